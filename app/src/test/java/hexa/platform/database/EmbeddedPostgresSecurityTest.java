package hexa.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hexa.support.TestDatabase;
import hexa.support.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL lets in only a client with its password: no local user can connect as its superuser
 * (and from there run programs as the server's user). A directory made when local connections were trusted is
 * given a password at its next start.
 */
class EmbeddedPostgresSecurityTest {

    @Test
    void a_connection_without_the_password_is_refused() throws Exception {
        EmbeddedPostgresServer server = TestDatabase.server();
        assertRefused(server, "");
        assertRefused(server, "postgres");
        try (Connection ok = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password())) {
            assertThat(ok.isValid(2)).isTrue();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.passwordFile()))).isEqualTo("rw-------");
        assertThat(server.password()).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void a_directory_that_trusted_local_connections_is_given_a_password_at_its_next_start() throws IOException, SQLException {
        Path directory = Files.createTempDirectory(TestPaths.target(), "pg-trusting-").resolve("pg");
        EmbeddedPostgresServer first = EmbeddedPostgresServer.start(directory, false);
        first.close();
        // As an earlier version left it: every local connection trusted, no password.
        Path hba = directory.resolve("pg_hba.conf");
        Files.write(hba, Files.readAllLines(hba).stream().map(l -> l.replace("scram-sha-256", "trust")).toList());
        Files.delete(first.passwordFile());

        EmbeddedPostgresServer again = EmbeddedPostgresServer.start(directory, false);
        try {
            assertRefused(again, "");
            try (Connection ok = DriverManager.getConnection(again.jdbcUrl("postgres"), again.user(), again.password())) {
                assertThat(ok.isValid(2)).isTrue();
            }
            List<String> rules = Files.readAllLines(hba).stream().filter(l -> !l.isBlank() && !l.strip().startsWith("#")).toList();
            assertThat(rules).isNotEmpty().allSatisfy(rule -> assertThat(rule).endsWith("scram-sha-256"));
        } finally {
            again.close();
            try (var files = Files.walk(directory.getParent())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private static void assertRefused(EmbeddedPostgresServer server, String password) {
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), password).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password");
    }
}
