package hexa.privacy.backups;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Backing up and restoring a Hexa CRM installation: its database, its media files and its master key, in one
 * encrypted file ({@link BackupCipher}). Used by {@code ./hexa backup}/{@code ./hexa restore} ({@link BackupCommand})
 * and by the daily backup inside the app.
 *
 * <p>The database is read in one repeatable-read, read-only transaction, so every table is dumped as of the same
 * moment while the app goes on writing; each table goes out with PostgreSQL's binary {@code COPY}, the sequences with
 * their values, and the schema as the migration version it was at. A restore builds the schema with the same
 * migrations up to that version, loads every table in one transaction (triggers and foreign-key checks held off while
 * it loads, as {@code pg_restore} does), sets the sequences and commits; the app migrates further when it starts.
 * (The embedded PostgreSQL ships without {@code pg_dump}, and a {@code pg_dump} older than the server refuses to dump
 * it; this needs nothing beyond the JDBC driver.)
 *
 * <p>Inside the encryption the content is gzip-compressed and made of entries: a name, then blocks of bytes (a 4-byte
 * length and the bytes, a length of 0 ending the entry). The first entry is {@code manifest.json}.
 */
public final class Backups {

    public static final String SUFFIX = ".hexabackup";
    public static final String PREFIX = "hexa-backup-";
    public static final String RESTORED_FROM = "restored-from.json";
    static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BLOCK = 64 * 1024;

    private Backups() {
    }

    /** A backup file in the backup directory. */
    public record BackupFile(Path path, Instant takenAt, long size) {
        public String name() {
            return path.getFileName().toString();
        }

        /** The size for people: 14.8 MB. */
        public String readableSize() {
            if (size < 1024) {
                return size + " B";
            }
            String[] units = {"KB", "MB", "GB", "TB"};
            double value = size;
            int unit = -1;
            while (value >= 1024 && unit < units.length - 1) {
                value /= 1024;
                unit++;
            }
            return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
        }
    }

    /** What a backup holds. */
    public record Made(BackupFile file, int tables, long rows, int mediaFiles) {
    }

    /** What a restore put back. */
    public record Restored(Instant takenAt, int tables, long rows, int mediaFiles) {
    }

    /** Where a restore puts things: the database (empty, or a new one) and the data directory (media, master key). */
    public record Target(String jdbcUrl, String user, String password, Path dataDir) {
    }

    /**
     * Backs up the database behind {@code database} (a connection this method uses and leaves open), the media
     * files under {@code mediaDir} and the master key into a new file in {@code backupDir}.
     *
     * @param masterKey the master key as configured (base64), or null when there is none to carry
     */
    public static Made backUp(Connection database, Path mediaDir, String masterKey, Path backupDir, byte[] key, Instant takenAt)
            throws IOException, SQLException {
        ownerOnlyDirectories(backupDir);
        Path file = backupDir.resolve(PREFIX + NAME_TIME.format(takenAt) + SUFFIX);
        for (int n = 2; Files.exists(file); n++) {
            file = backupDir.resolve(PREFIX + NAME_TIME.format(takenAt) + "-" + n + SUFFIX);
        }
        Path partial = backupDir.resolve(file.getFileName() + ".partial");
        boolean autoCommit = database.getAutoCommit();
        int isolation = database.getTransactionIsolation();
        long rows = 0;
        int tables;
        int media = 0;
        String[] schema = schemaVersion(database);
        try {
            database.setAutoCommit(false);
            database.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            database.setReadOnly(true);
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", BackupCipher.FORMAT_VERSION);
            manifest.put("takenAt", takenAt.toString());
            manifest.put("schemaVersion", schema[0]);
            List<Table> all = tables(database, schema[1]);
            tables = all.size();
            ArrayNode tableList = manifest.putArray("tables");
            for (Table table : all) {
                ObjectNode t = tableList.addObject();
                t.put("name", table.name());
                ArrayNode columns = t.putArray("columns");
                table.columns().forEach(columns::add);
            }
            ArrayNode sequences = manifest.putArray("sequences");
            try (Statement s = database.createStatement();
                 ResultSet r = s.executeQuery("select sequencename, last_value from pg_sequences where schemaname = 'public' and last_value is not null")) {
                while (r.next()) {
                    sequences.addObject().put("name", r.getString(1)).put("value", r.getLong(2));
                }
            }
            manifest.put("masterKey", masterKey != null);
            CopyManager copy = database.unwrap(PGConnection.class).getCopyAPI();
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream encrypted = BackupCipher.encrypt(new BufferedOutputStream(Files.newOutputStream(partial,
                    java.nio.file.StandardOpenOption.WRITE)), key, takenAt);
                 GZIPOutputStream zipped = new GZIPOutputStream(encrypted, BLOCK);
                 DataOutputStream entries = new DataOutputStream(zipped)) {
                entry(entries, "manifest.json", JSON.writeValueAsBytes(manifest));
                if (masterKey != null) {
                    entry(entries, "keys/master.key", (masterKey.strip() + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                for (Table table : all) {
                    entries.writeBoolean(true);
                    entries.writeUTF("db/" + table.name());
                    try (Blocks blocks = new Blocks(entries)) {
                        rows += copy.copyOut("copy (select " + table.columnList() + " from " + quote(table.name()) + ") to stdout (format binary)", blocks);
                    }
                }
                if (Files.isDirectory(mediaDir)) {
                    List<Path> files;
                    try (var walk = Files.walk(mediaDir)) {
                        files = walk.filter(Files::isRegularFile).sorted().toList();
                    }
                    for (Path path : files) {
                        entries.writeBoolean(true);
                        entries.writeUTF("media/" + mediaDir.relativize(path).toString().replace('\\', '/'));
                        try (Blocks blocks = new Blocks(entries); InputStream in = Files.newInputStream(path)) {
                            in.transferTo(blocks);
                        } catch (java.nio.file.NoSuchFileException deletedMeanwhile) {
                            // a purge removed it while we were backing up: the entry stays empty
                        }
                        media++;
                    }
                }
                entries.writeBoolean(false);
            }
            database.commit();
        } catch (IOException | SQLException | RuntimeException e) {
            Files.deleteIfExists(partial);
            try {
                database.rollback();
            } catch (SQLException ignored) {
                // the connection is going back to its pool or being closed anyway
            }
            throw e;
        } finally {
            database.setReadOnly(false);
            database.setTransactionIsolation(isolation);
            database.setAutoCommit(autoCommit);
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        return new Made(new BackupFile(file, takenAt, Files.size(file)), tables, rows, media);
    }

    /** Reads the whole file and checks every chunk: a file that is cut short, altered or made with another key is refused. */
    public static Instant verify(Path file, byte[] key) throws IOException {
        try (InputStream in = BackupCipher.decrypt(new BufferedInputStream(Files.newInputStream(file)), key);
             InputStream plain = new GZIPInputStream(in, BLOCK)) {
            JsonNode manifest = null;
            DataInputStream entries = new DataInputStream(plain);
            while (entries.readBoolean()) {
                String name = entries.readUTF();
                try (Blocks.In blocks = new Blocks.In(entries)) {
                    if (name.equals("manifest.json")) {
                        manifest = JSON.readTree(blocks.readAllBytes());
                    } else {
                        blocks.transferTo(OutputStream.nullOutputStream());
                    }
                }
            }
            plain.transferTo(OutputStream.nullOutputStream());
            // Past the compressed content, to the file's end: the last chunk is verified, and nothing may follow it.
            in.transferTo(OutputStream.nullOutputStream());
            if (manifest == null) {
                throw new BackupRefused("The backup file has no manifest");
            }
            return Instant.parse(manifest.path("takenAt").asString());
        } catch (java.util.zip.ZipException | EOFException | java.io.UTFDataFormatException e) {
            throw new BackupRefused("The backup file is damaged: " + e.getMessage());
        }
    }

    /**
     * Restores a backup into {@code target}: its database must be empty (no tables), its data directory gets the media
     * files and the master key (a master key file already there is kept). The file is verified whole first, so a bad
     * file changes nothing.
     */
    public static Restored restore(Path file, byte[] key, Target target) throws IOException, SQLException {
        verify(file, key);
        return restoreVerified(file, key, target);
    }

    /** {@link #restore} of a file {@link #verify} has just passed. */
    static Restored restoreVerified(Path file, byte[] key, Target target) throws IOException, SQLException {
        try (Connection check = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             Statement s = check.createStatement();
             ResultSet r = s.executeQuery("select count(*) from pg_tables where schemaname = 'public'")) {
            r.next();
            if (r.getInt(1) > 0) {
                throw new IllegalStateException("The database to restore into is not empty (it has " + r.getInt(1) + " tables)");
            }
        }
        Path media = target.dataDir().resolve("media").toAbsolutePath().normalize();
        try (InputStream in = BackupCipher.decrypt(new BufferedInputStream(Files.newInputStream(file)), key);
             InputStream plain = new GZIPInputStream(in, BLOCK);
             DataInputStream entries = new DataInputStream(plain)) {
            if (!entries.readBoolean() || !entries.readUTF().equals("manifest.json")) {
                throw new BackupRefused("The backup file does not start with its manifest");
            }
            JsonNode manifest;
            try (Blocks.In blocks = new Blocks.In(entries)) {
                manifest = JSON.readTree(blocks.readAllBytes());
            }
            Instant takenAt = Instant.parse(manifest.path("takenAt").asString());
            Flyway.configure().dataSource(target.jdbcUrl(), target.user(), target.password())
                    .locations("classpath:db/migration")
                    .target(MigrationVersion.fromVersion(manifest.path("schemaVersion").asString()))
                    .load().migrate();
            List<Table> tables = new ArrayList<>();
            manifest.path("tables").forEach(t -> {
                List<String> columns = new ArrayList<>();
                t.path("columns").forEach(c -> columns.add(c.asString()));
                tables.add(new Table(t.path("name").asString(), columns));
            });
            long rows = 0;
            int mediaFiles = 0;
            try (Connection database = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password())) {
                database.setAutoCommit(false);
                try (Statement s = database.createStatement()) {
                    s.execute("set session_replication_role = replica");
                    if (!tables.isEmpty()) {
                        s.execute("truncate " + String.join(", ", tables.stream().map(t -> quote(t.name())).toList()));
                    }
                }
                CopyManager copy = database.unwrap(PGConnection.class).getCopyAPI();
                while (entries.readBoolean()) {
                    String name = entries.readUTF();
                    try (Blocks.In blocks = new Blocks.In(entries)) {
                        if (name.startsWith("db/")) {
                            Table table = tables.stream().filter(t -> t.name().equals(name.substring(3))).findFirst()
                                    .orElseThrow(() -> new BackupRefused("The backup holds a table its manifest does not list: " + name));
                            rows += copy.copyIn("copy " + quote(table.name()) + " (" + table.columnList() + ") from stdin (format binary)", blocks, BLOCK);
                        } else if (name.startsWith("media/")) {
                            Path path = media.resolve(name.substring("media/".length())).normalize();
                            if (!path.startsWith(media) || path.equals(media)) {
                                throw new BackupRefused("The backup holds a media file outside the media directory: " + name);
                            }
                            ownerOnlyDirectories(path.getParent());
                            Files.deleteIfExists(path);
                            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                            try (OutputStream out = Files.newOutputStream(path)) {
                                blocks.transferTo(out);
                            }
                            mediaFiles++;
                        } else if (name.equals("keys/master.key")) {
                            Path masterKey = target.dataDir().resolve("master.key");
                            byte[] value = blocks.readAllBytes();
                            if (!Files.exists(masterKey)) {
                                Files.createDirectories(target.dataDir());
                                Files.createFile(masterKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                                Files.write(masterKey, value);
                            }
                        } else {
                            blocks.transferTo(OutputStream.nullOutputStream());
                        }
                    }
                }
                in.transferTo(OutputStream.nullOutputStream());
                try (PreparedStatement setval = database.prepareStatement("select setval(?::regclass, ?, true)")) {
                    for (JsonNode sequence : manifest.path("sequences")) {
                        setval.setString(1, quote(sequence.path("name").asString()));
                        setval.setLong(2, sequence.path("value").asLong());
                        setval.execute();
                    }
                }
                database.commit();
            }
            return new Restored(takenAt, tables.size(), rows, mediaFiles);
        }
    }

    /** The backups in a directory, newest first. */
    public static List<BackupFile> list(Path backupDir) {
        if (!Files.isDirectory(backupDir)) {
            return List.of();
        }
        try (var files = Files.list(backupDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.getFileName().toString().endsWith(SUFFIX))
                    .map(p -> {
                        Instant at = takenAt(p);
                        try {
                            return at == null ? null : new BackupFile(p, at, Files.size(p));
                        } catch (IOException e) {
                            return null;
                        }
                    })
                    .filter(java.util.Objects::nonNull)
                    .sorted(Comparator.comparing(BackupFile::takenAt).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the backups taken before {@code cutoff}; returns how many. */
    public static int deleteTakenBefore(Path backupDir, Instant cutoff) {
        int deleted = 0;
        for (BackupFile file : list(backupDir)) {
            if (file.takenAt().isBefore(cutoff)) {
                try {
                    Files.deleteIfExists(file.path());
                    deleted++;
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not delete the expired backup " + file.path(), e);
                }
            }
        }
        return deleted;
    }

    /** The moment in a backup file's name ({@code hexa-backup-20261207T132616Z.hexabackup}), or null. */
    static Instant takenAt(Path file) {
        String name = file.getFileName().toString();
        if (name.length() < PREFIX.length() + 16) {
            return null;
        }
        try {
            return Instant.from(NAME_TIME.parse(name.substring(PREFIX.length(), PREFIX.length() + 16)));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Creates the directories that are missing, readable by their owner only (as the app makes its media directories). */
    static void ownerOnlyDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        if (absolute.getParent() != null) {
            ownerOnlyDirectories(absolute.getParent());
        }
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // made meanwhile
        }
    }

    private static void entry(DataOutputStream entries, String name, byte[] content) throws IOException {
        entries.writeBoolean(true);
        entries.writeUTF(name);
        try (Blocks blocks = new Blocks(entries)) {
            blocks.write(content);
        }
    }

    /** The schema's migration version and the migration history's table, as Flyway reads them on this connection. */
    private static String[] schemaVersion(Connection database) {
        var flyway = Flyway.configure().dataSource(new org.springframework.jdbc.datasource.SingleConnectionDataSource(database, true))
                .locations("classpath:db/migration").load();
        var current = flyway.info().current();
        if (current == null || current.getVersion() == null) {
            throw new IllegalStateException("The database has no migration history: is it a Hexa CRM database?");
        }
        return new String[] {current.getVersion().getVersion(), flyway.getConfiguration().getTable()};
    }

    private static List<Table> tables(Connection database, String historyTable) throws SQLException {
        List<Table> tables = new ArrayList<>();
        try (PreparedStatement s = database.prepareStatement("""
                select c.relname,
                       (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
                         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '')
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
                   and c.relname <> ?
                 order by c.relname
                """)) {
            s.setString(1, historyTable);
            try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                tables.add(new Table(r.getString(1), List.of((String[]) r.getArray(2).getArray())));
            }
            }
        }
        return tables;
    }

    private record Table(String name, List<String> columns) {
        String columnList() {
            return String.join(", ", columns.stream().map(Backups::quote).toList());
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** An entry's bytes as blocks: a 4-byte length and the bytes; closing writes the ending 0 (not closing the stream). */
    private static final class Blocks extends OutputStream {
        private final DataOutputStream out;
        private final byte[] buffer = new byte[BLOCK];
        private int filled;

        Blocks(DataOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (filled == BLOCK) {
                flushBlock();
            }
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == BLOCK) {
                    flushBlock();
                }
                int n = Math.min(len, BLOCK - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void flushBlock() throws IOException {
            if (filled > 0) {
                out.writeInt(filled);
                out.write(buffer, 0, filled);
                filled = 0;
            }
        }

        @Override
        public void close() throws IOException {
            flushBlock();
            out.writeInt(0);
        }

        /** Reads one entry's blocks; closing skips what was not read. */
        static final class In extends InputStream {
            private final DataInputStream in;
            private int left;
            private boolean ended;

            In(DataInputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (left == 0) {
                    if (ended) {
                        return -1;
                    }
                    left = in.readInt();
                    if (left < 0 || left > BLOCK) {
                        throw new BackupRefused("The backup file is damaged: a block has an impossible length");
                    }
                    if (left == 0) {
                        ended = true;
                        return -1;
                    }
                }
                int n = in.read(b, off, Math.min(len, left));
                if (n < 0) {
                    throw new EOFException("The backup ends inside an entry");
                }
                left -= n;
                return n;
            }

            @Override
            public void close() throws IOException {
                byte[] skip = new byte[BLOCK];
                while (read(skip, 0, skip.length) >= 0) {
                    // skipping the rest of the entry
                }
            }
        }
    }
}
