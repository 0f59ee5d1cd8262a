package hexa.support;

import hexa.platform.database.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test run, the same server the product starts, with a fresh database
 * for every Spring context that asks for one.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private TestDatabase() {
    }

    public static synchronized String newDatabaseUrl() {
        if (server == null) {
            Path directory = TestPaths.target().resolve("test-postgres-" + ProcessHandle.current().pid());
            server = EmbeddedPostgresServer.start(directory, false);
            Path passwordFile = server.passwordFile();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                deleteQuietly(directory);
                passwordFile.toFile().delete();
            }));
        }
        String name = "hexa_test_" + COUNTER.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return server.jdbcUrl(name) + "?user=" + server.user() + "&password=" + server.password();
    }

    /** The server the tests' databases live in, started by the first of them. */
    public static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            newDatabaseUrl();
        }
        return server;
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = java.nio.file.Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // target/ is cleaned by the next build anyway
        }
    }
}
