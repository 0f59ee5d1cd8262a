package hexa.privacy.backups;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.database.EmbeddedPostgresServer;
import hexa.support.HexaIntegrationTest;
import hexa.support.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@code ./hexa backup} and {@code ./hexa restore} as the script runs them (the command in a JVM of its own): on a
 * database named by {@code HEXA_DATABASE_URL}, on an embedded one that is running (an app on the directory) and on one
 * that is not; a directory that is not empty and a key that is not the backup's are refused and change nothing.
 */
class BackupCommandTest extends HexaIntegrationTest {

    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void backs_up_and_restores_from_the_command_line_whether_or_not_the_database_runs() throws Exception {
        fixtures.workspace("Command Line Backups");
        Path root = TestPaths.target().resolve("backup-command-" + UUID.randomUUID());
        Path data = Files.createDirectories(root.resolve("data"));
        String masterKey = randomKey();
        Files.writeString(data.resolve("master.key"), masterKey + "\n");
        byte[] media = new byte[5000];
        new Random(5).nextBytes(media);
        Files.createDirectories(data.resolve("media/ws"));
        Files.write(data.resolve("media/ws/file-1"), media);

        // On the database HEXA_DATABASE_URL names: this server's (its URL carries the user and password).
        String databaseUrl = ((com.zaxxer.hikari.HikariDataSource) dataSource).getJdbcUrl();
        Run backup = run(Map.of("HEXA_DATABASE_URL", databaseUrl), "backup", "--data", data.toString());
        assertThat(backup.exit()).as(backup.output()).isZero();
        assertThat(backup.output()).contains("Backed up").contains("media files");
        Path file;
        try (var files = Files.list(data.resolve("backups"))) {
            file = files.filter(p -> p.toString().endsWith(Backups.SUFFIX)).findFirst().orElseThrow();
        }
        assertThat(data.resolve("backup.key")).exists();
        Files.writeString(data.resolve("backups").resolve("erasure-ledger.jsonl"), "{\"at\":\"2026-01-01T00:00:00Z\"}\n");

        Run notEmpty = run(Map.of(), "restore", file.toString(), "--data", data.toString());
        assertThat(notEmpty.exit()).isEqualTo(1);
        assertThat(notEmpty.output()).contains("it is not empty");

        Path refused = root.resolve("refused");
        Run wrongKey = run(Map.of("HEXA_BACKUP_KEY", randomKey()), "restore", file.toString(), "--data", refused.toString());
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.output()).contains("the backup is refused").contains("not with the key given").contains("Nothing was restored.");
        assertThat(refused).doesNotExist();

        // Into the embedded PostgreSQL of a new directory (the key found beside the backups' directory).
        Path restored = root.resolve("restored");
        Run restore = run(Map.of(), "restore", file.toString(), "--data", restored.toString());
        assertThat(restore.exit()).as(restore.output()).isZero();
        assertThat(restore.output()).contains("Start it with: ./hexa run --data " + restored);
        assertThat(restored.resolve("media/ws/file-1")).hasBinaryContent(media);
        assertThat(Files.readString(restored.resolve("master.key")).strip()).isEqualTo(masterKey);
        assertThat(Files.readString(restored.resolve("backup.key"))).isEqualTo(Files.readString(data.resolve("backup.key")));
        assertThat(restored.resolve("backups/erasure-ledger.jsonl")).hasContent("{\"at\":\"2026-01-01T00:00:00Z\"}");
        assertThat(Files.readString(restored.resolve("restored-from.json"))).startsWith("{\"takenAt\":\"");
        assertThat(restored.resolve("pg/postmaster.pid")).as("the database it started is stopped").doesNotExist();

        // Backing up that directory: with its database stopped (started for the dump), then running (as under the app).
        Run stopped = run(Map.of(), "backup", "--data", restored.toString());
        assertThat(stopped.exit()).as(stopped.output()).isZero();
        assertThat(stopped.output()).contains("Starting the database");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(restored.resolve("pg"), false)) {
            JdbcClient db = JdbcClient.create(new DriverManagerDataSource(server.jdbcUrl("postgres"), server.user(), server.password()));
            long workspaces = db.sql("select count(*) from workspaces").query(Long.class).single();
            assertThat(workspaces).isPositive();
            Run running = run(Map.of(), "backup", "--data", restored.toString());
            assertThat(running.exit()).as(running.output()).isZero();
            assertThat(running.output()).contains("The app is running on " + restored);
            assertThat(db.sql("select count(*) from workspaces").query(Long.class).single()).isEqualTo(workspaces);
        }
        assertThat(Backups.list(restored.resolve("backups"))).hasSize(2);
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                BackupCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("HEXA_") && !name.equals("HEXA_TEST_TARGET"));
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("The command did not end: " + command);
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
