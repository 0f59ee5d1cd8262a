package hexa.privacy.backups;

import hexa.platform.database.DatabaseUrl;
import hexa.platform.database.EmbeddedPostgresServer;
import hexa.privacy.ErasureLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code ./hexa backup [--data DIR]} and {@code ./hexa restore FILE --data NEWDIR [--key-file FILE]}, run before and
 * without Spring (the {@code hexa} script starts this class from the app's jar).
 *
 * <p>A backup works whether or not the app is running on the data directory: when it is, the command connects to its
 * PostgreSQL (the port in {@code pg/postmaster.pid}, the password in {@code pg.password}); when it is not, it starts
 * the embedded server for the dump and stops it after. With {@code HEXA_DATABASE_URL} set, that database is used.
 */
public final class BackupCommand {

    /** Backups are kept this long, then deleted (by the command and by the daily backup alike). */
    public static final Duration KEPT = Duration.ofDays(90);

    private BackupCommand() {
    }

    public static void main(String[] args) {
        // The command says what it does itself; the libraries' progress logging is for the app's log.
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        try {
            if (args.length > 0 && args[0].equals("backup")) {
                backup(List.of(args).subList(1, args.length));
            } else if (args.length > 0 && args[0].equals("restore")) {
                restore(List.of(args).subList(1, args.length));
            } else {
                usage();
                System.exit(2);
            }
            System.exit(0);
        } catch (BackupRefused e) {
            System.err.println("hexa: the backup is refused: " + e.getMessage());
            System.err.println("Nothing was restored.");
            System.exit(1);
        } catch (UsageError e) {
            System.err.println("hexa: " + e.getMessage());
            usage();
            System.exit(2);
        } catch (Exception e) {
            System.err.println("hexa: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage() {
        System.err.println("Usage: ./hexa backup [--data DIR]");
        System.err.println("       ./hexa restore FILE --data NEWDIR [--key-file BACKUP_KEY_FILE]");
    }

    private static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    private static void backup(List<String> args) throws Exception {
        Path data = Path.of(env("HEXA_DATA_DIR", "data"));
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--data" -> data = Path.of(value(args, ++i, "--data"));
                default -> throw new UsageError("unknown option " + args.get(i));
            }
        }
        data = data.toAbsolutePath().normalize();
        if (!Files.isDirectory(data)) {
            throw new IllegalStateException("There is no data directory " + data);
        }
        Path backupDir = backupDir(data);
        byte[] key = BackupKey.load(System.getenv("HEXA_BACKUP_KEY"), data);
        String masterKey = masterKey(data);
        Instant now = Instant.now();
        Backups.Made made;
        String databaseUrl = System.getenv("HEXA_DATABASE_URL");
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
            try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.username(), url.password())) {
                made = Backups.backUp(connection, data.resolve("media"), masterKey, backupDir, key, now);
            }
        } else {
            Path pg = data.resolve("pg");
            if (!Files.exists(pg.resolve("PG_VERSION"))) {
                throw new IllegalStateException("There is no database in " + pg + " (has Hexa CRM run with --data " + data + "?)");
            }
            Integer port = runningPort(pg);
            if (port != null) {
                System.out.println("The app is running on " + data + ": backing up its database on port " + port);
                String password = Files.readString(data.resolve("pg.password")).strip();
                try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password)) {
                    made = Backups.backUp(connection, data.resolve("media"), masterKey, backupDir, key, now);
                }
            } else {
                System.out.println("Starting the database in " + pg + " for the backup");
                try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(pg, true);
                     Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password())) {
                    made = Backups.backUp(connection, data.resolve("media"), masterKey, backupDir, key, now);
                }
            }
        }
        int expired = Backups.deleteTakenBefore(backupDir, now.minus(KEPT));
        System.out.printf("Backed up %d tables (%d rows) and %d media files to %s (%,d bytes, key %s)%n", made.tables(), made.rows(),
                made.mediaFiles(), made.file().path(), made.file().size(), BackupCipher.keyId(key));
        if (expired > 0) {
            System.out.println("Deleted " + expired + " backups older than " + KEPT.toDays() + " days");
        }
        if (masterKey == null) {
            System.out.println("Warning: no master key was found in " + data + " or HEXA_MASTER_KEY; the backup does not carry one");
        }
    }

    private static void restore(List<String> args) throws Exception {
        Path file = null;
        Path data = null;
        Path keyFile = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--data" -> data = Path.of(value(args, ++i, "--data"));
                case "--key-file" -> keyFile = Path.of(value(args, ++i, "--key-file"));
                default -> {
                    if (args.get(i).startsWith("--") || file != null) {
                        throw new UsageError("unknown option " + args.get(i));
                    }
                    file = Path.of(args.get(i));
                }
            }
        }
        if (file == null || data == null) {
            throw new UsageError("restore needs the backup FILE and --data NEWDIR");
        }
        file = file.toAbsolutePath().normalize();
        data = data.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("There is no backup file " + file);
        }
        if (Files.exists(data) && (!Files.isDirectory(data) || hasFiles(data))) {
            throw new IllegalStateException("Refusing to restore into " + data + ": it is not empty (restore into a new, empty directory)");
        }
        byte[] key = restoreKey(file, keyFile);
        Instant takenAt = Backups.verify(file, key);
        System.out.println("The backup of " + takenAt + " verifies; restoring into " + data);
        Files.createDirectories(data);
        Backups.Restored restored;
        String databaseUrl = System.getenv("HEXA_DATABASE_URL");
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
            restored = Backups.restoreVerified(file, key, new Backups.Target(url.jdbcUrl(), url.username(), url.password(), data));
        } else {
            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data.resolve("pg"), true)) {
                restored = Backups.restoreVerified(file, key, new Backups.Target(server.jdbcUrl("postgres"), server.user(), server.password(), data));
            }
        }
        finishRestore(file, data, backupDir(data), restored.takenAt(), System.getenv("HEXA_BACKUP_KEY") == null ? key : null);
        System.out.printf("Restored %d tables (%d rows) and %d media files from the backup of %s%n", restored.tables(), restored.rows(),
                restored.mediaFiles(), restored.takenAt());
        System.out.println("Start it with: ./hexa run --data " + data);
    }

    /**
     * What a restore leaves beside the data: the erasure ledger and its salt copied from the backup's directory into the
     * new backup directory, the backup key (when it came from a file), and {@code restored-from.json} naming the
     * backup's moment, from which the app re-applies the erasures done after it.
     */
    public static void finishRestore(Path backupFile, Path data, Path newBackupDir, Instant takenAt, byte[] keyToKeep) throws IOException {
        Path from = backupFile.toAbsolutePath().getParent();
        Files.createDirectories(newBackupDir);
        for (String name : List.of(ErasureLedger.FILE, ErasureLedger.SALT)) {
            Path source = from.resolve(name);
            Path target = newBackupDir.resolve(name);
            if (Files.exists(source) && !source.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (keyToKeep != null && !Files.exists(data.resolve(BackupKey.FILE))) {
            BackupKey.write(data.resolve(BackupKey.FILE), keyToKeep);
        }
        Files.writeString(data.resolve(Backups.RESTORED_FROM), "{\"takenAt\":\"" + takenAt + "\"}\n");
    }

    private static byte[] restoreKey(Path file, Path keyFile) {
        String fromEnv = System.getenv("HEXA_BACKUP_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return BackupKey.decode(fromEnv, "HEXA_BACKUP_KEY");
        }
        if (keyFile != null) {
            return BackupKey.read(keyFile);
        }
        // The data directory the backups directory belongs to, when it is the default <data>/backups.
        Path beside = file.getParent().getParent() == null ? null : file.getParent().getParent().resolve(BackupKey.FILE);
        if (beside != null && Files.exists(beside)) {
            return BackupKey.read(beside);
        }
        throw new IllegalStateException("The backup key is needed: set HEXA_BACKUP_KEY or give --key-file (the backup.key that made the backup)");
    }

    /** The port of a PostgreSQL running on the directory, or null when none is. */
    static Integer runningPort(Path pg) throws IOException {
        Path pid = pg.resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            return null;
        }
        List<String> lines = Files.readAllLines(pid);
        if (lines.size() < 4) {
            return null;
        }
        long process = Long.parseLong(lines.get(0).strip());
        boolean alive = ProcessHandle.of(process).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Integer.parseInt(lines.get(3).strip()) : null;
    }

    private static Path backupDir(Path data) {
        String configured = System.getenv("HEXA_BACKUP_DIR");
        return configured == null || configured.isBlank() ? data.resolve("backups") : Path.of(configured).toAbsolutePath();
    }

    private static String masterKey(Path data) throws IOException {
        String fromEnv = System.getenv("HEXA_MASTER_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        Path file = data.resolve("master.key");
        return Files.exists(file) ? Files.readString(file).strip() : null;
    }

    private static boolean hasFiles(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.findAny().isPresent();
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UsageError(option + " needs a value");
        }
        return args.get(i);
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}
