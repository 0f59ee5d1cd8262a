package hexa.privacy.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.config.HexaProperties;
import hexa.platform.database.EmbeddedPostgresServer;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.TestDatabase;
import hexa.support.TestPaths;
import hexa.support.WebClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The restore drill: the app backs up its own database, media and master key; the file is unreadable without the
 * backup key and refused when altered, cut or opened with another key; restored into a new database and data directory,
 * it holds the same workspaces and messages, and the app started on it (a process of its own) serves the same media
 * file and accepts the same API token.
 */
class RestoreDrillTest extends HexaIntegrationTest {

    @Autowired
    BackupService backups;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    HexaProperties properties;

    @Test
    void backs_up_wipes_restores_and_compares() throws Exception {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Restore Drill Textiles");
        String secretText = "Please send the indigo kurta to flat " + UUID.randomUUID();
        UUID conversation = shop.customer().writes("919800055501", secretText);
        byte[] photo = new byte[40_000];
        new Random(7).nextBytes(photo);
        String mediaId = shop.customer().uploads("919800055501", photo, "image/jpeg", "kurta.jpg");
        shop.customer().sendsMessage("919800055501", "{\"type\":\"image\",\"image\":{\"id\":\"" + mediaId + "\"}}");
        UUID photoMessage = Eventually.present(() -> jdbc.sql("select message_id from media_files where tenant_id = :t and media_id = :m and state = 'STORED'")
                .param("t", shop.id()).param("m", mediaId).query(UUID.class).optional(), "the photo to be stored");
        String token = fixtures.apiToken(shop.workspace(), Role.ADMIN);

        Backups.Made made = backups.backUp();
        assertThat(made).isNotNull();
        Path file = made.file().path();
        assertThat(file.getParent()).isEqualTo(backups.directory());
        assertThat(file.getFileName().toString()).matches("hexa-backup-\\d{8}T\\d{6}Z(-\\d+)?\\.hexabackup");
        assertThat(made.mediaFiles()).isPositive();
        assertThat(backups.status().kept()).extracting(Backups.BackupFile::path).contains(file);

        byte[] bytes = Files.readAllBytes(file);
        assertThat(indexOf(bytes, secretText.getBytes(StandardCharsets.UTF_8))).as("no message text in the file").isEqualTo(-1);
        assertThat(indexOf(bytes, "Restore Drill Textiles".getBytes(StandardCharsets.UTF_8))).as("no workspace name").isEqualTo(-1);
        assertThat(indexOf(bytes, properties.masterKey().getBytes(StandardCharsets.US_ASCII))).as("no master key").isEqualTo(-1);
        byte[] key = BackupKey.load(null, properties.dataDir());
        assertThat(indexOf(bytes, java.util.Base64.getEncoder().encodeToString(key).getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);

        Path drill = TestPaths.target().resolve("restore-drill-" + UUID.randomUUID());
        Files.createDirectories(drill);
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        assertThatThrownBy(() -> Backups.verify(file, otherKey)).isInstanceOf(BackupRefused.class)
                .hasMessageContaining("not with the key given");
        Path altered = drill.resolve("altered.hexabackup");
        byte[] changed = bytes.clone();
        changed[bytes.length / 2] ^= 0x01;
        Files.write(altered, changed);
        assertThatThrownBy(() -> Backups.verify(altered, key)).isInstanceOf(BackupRefused.class).hasMessageContaining("altered");
        Path cut = drill.resolve("cut.hexabackup");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 40));
        assertThatThrownBy(() -> Backups.verify(cut, key)).isInstanceOf(BackupRefused.class);
        Path cutAtAChunk = drill.resolve("cut-at-a-chunk.hexabackup");
        Files.write(cutAtAChunk, Arrays.copyOf(bytes, 8 + 2 + 8 + 8 + 32));
        assertThatThrownBy(() -> Backups.verify(cutAtAChunk, key)).isInstanceOf(BackupRefused.class).hasMessageContaining("cut short");
        assertThat(Backups.verify(file, key)).isEqualTo(made.file().takenAt());

        // Restore into a database of its own in the tests' PostgreSQL server and a new data directory.
        EmbeddedPostgresServer server = TestDatabase.server();
        String database = "restore_drill_" + Math.abs(new Random().nextInt(1_000_000));
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password());
             Statement s = admin.createStatement()) {
            s.execute("create database " + database);
        }
        Path data = drill.resolve("data");
        Backups.Target target = new Backups.Target(server.jdbcUrl(database), server.user(), server.password(), data);
        Backups.Restored restored = Backups.restore(file, key, target);
        BackupCommand.finishRestore(file, data, data.resolve("backups"), restored.takenAt(), null);
        assertThat(restored.takenAt()).isEqualTo(made.file().takenAt());
        assertThat(restored.rows()).isEqualTo(made.rows());
        assertThat(restored.mediaFiles()).isEqualTo(made.mediaFiles());
        assertThat(Files.readString(data.resolve("restored-from.json"))).contains("\"takenAt\":\"" + made.file().takenAt() + "\"");
        assertThat(Files.readString(data.resolve("master.key")).strip()).isEqualTo(properties.masterKey());
        assertThatThrownBy(() -> Backups.restore(file, key, target)).as("a database that is not empty is refused")
                .hasMessageContaining("not empty");

        String url = server.jdbcUrl(database) + "?user=" + server.user() + "&password=" + server.password();
        JdbcClient copy = JdbcClient.create(new DriverManagerDataSource(url));
        String workspaces = "select id, name from workspaces where created_at <= :at order by id";
        assertThat(copy.sql(workspaces).param("at", java.sql.Timestamp.from(made.file().takenAt())).query().listOfRows())
                .isEqualTo(jdbc.sql(workspaces).param("at", java.sql.Timestamp.from(made.file().takenAt())).query().listOfRows());
        String messages = "select id, conversation_id, type, body from messages where tenant_id = :t order by id";
        List<Map<String, Object>> restoredMessages = copy.sql(messages).param("t", shop.id()).query().listOfRows();
        assertThat(restoredMessages).isEqualTo(jdbc.sql(messages).param("t", shop.id()).query().listOfRows());
        assertThat(restoredMessages).anyMatch(m -> secretText.equals(m.get("body")));
        String blobKey = jdbc.sql("select blob_key from media_files where message_id = :m").param("m", photoMessage).query(String.class).single();
        assertThat(data.resolve("media").resolve(blobKey)).hasSameBinaryContentAs(properties.dataDir().toAbsolutePath().resolve("media").resolve(blobKey));

        // The app started on the restored data serves the same conversation, photo and API token.
        int port = freePort();
        Process app = startApp(port, url, data, drill.resolve("app.log"));
        try {
            String base = "http://localhost:" + port;
            Response listed = new ApiClient(base, token).get("/api/v1/conversations");
            assertThat(listed.status()).as(listed.text()).isEqualTo(200);
            assertThat(listed.text()).contains(conversation.toString());
            assertThat(new ApiClient(base, token + "x").get("/api/v1/conversations").status()).isEqualTo(401);
            WebClient owner = new WebClient(base);
            owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
            HttpResponse<byte[]> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/media/" + photoMessage))
                    .header("Cookie", "HEXA_SESSION=" + owner.sessionId()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(photo);
        } finally {
            app.destroy();
            if (!app.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor();
            }
        }
    }

    private Process startApp(int port, String databaseUrl, Path data, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "hexa.HexaApplication",
                "--hexa.port=" + port,
                "--hexa.database-url=" + databaseUrl,
                "--hexa.data-dir=" + data,
                "--hexa.whatsapp.graph-url=" + baseUrl() + "/sandbox/graph",
                "--hexa.sandbox.enabled=false",
                "--hexa.backup-enabled=false",
                "--spring.lifecycle.timeout-per-shutdown-phase=2s")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Eventually.until(() -> {
            assertThat(process.isAlive()).as("the restored app is running; see %s", log).isTrue();
            try {
                return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, "the app on the restored data to start", Duration.ofMinutes(2));
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
