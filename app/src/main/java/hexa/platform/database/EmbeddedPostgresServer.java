package hexa.platform.database;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * A PostgreSQL 17 server started from the binaries that io.zonky ships in a Maven artifact, so that
 * nothing has to be installed by hand. Its files live in a directory we are given and survive restarts.
 *
 * <p>Only a client with the password gets in: the server listens on 127.0.0.1 alone, and every connection must
 * authenticate with {@code scram-sha-256} as {@code postgres} with a random password that lives beside the data
 * directory ({@code pg.password}, readable by its owner only). A local user could otherwise connect as superuser
 * and run programs as the server's user ({@code COPY ... TO PROGRAM}). A directory made by an earlier version that
 * trusted every local connection is given a password and switched over at its next start.
 *
 * <p>PostgreSQL refuses to run as root. Self-hosters and CI machines often are root, so when we are,
 * the server runs inside a user namespace ({@code unshare --user}) where it sees itself as an
 * unprivileged user while still owning its root-owned files.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final Path binaries;
    private final Path dataDirectory;
    private final Path logFile;
    private final Path passwordFile;
    private final int port;
    private final boolean durable;
    private volatile boolean running;

    private EmbeddedPostgresServer(Path binaries, Path dataDirectory, Path logFile, int port, boolean durable) {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
        this.passwordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
        this.port = port;
        this.durable = durable;
    }

    /**
     * Starts a server on a free loopback port whose data lives in {@code dataDirectory}.
     *
     * @param durable false trades crash safety for speed (fsync off); only tests may ask for that
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, boolean durable) {
        try {
            Path binaries = unpackBinaries();
            Files.createDirectories(dataDirectory.getParent());
            Path logFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(binaries, dataDirectory.toAbsolutePath(), logFile, freePort(), durable);
            server.initIfNeeded();
            server.stopLeftover();
            server.requirePasswords();
            server.startPostmaster();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return "postgres";
    }

    /** The superuser's password, from {@code pg.password} beside the data directory. */
    public String password() {
        try {
            return Files.readString(passwordFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the database password in " + passwordFile, e);
        }
    }

    /** Where the password is kept (readable by its owner only). */
    public Path passwordFile() {
        return passwordFile;
    }

    private void initIfNeeded() throws IOException {
        if (Files.exists(dataDirectory.resolve("PG_VERSION"))) {
            return;
        }
        Files.createDirectories(dataDirectory);
        Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
        log.info("Creating a new PostgreSQL database in {}", dataDirectory);
        writeNewPassword();
        run(List.of(bin("initdb"), "-A", "scram-sha-256", "-U", "postgres", "--pwfile=" + passwordFile, "-D", dataDirectory.toString(),
                "-E", "UTF-8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"), 120);
    }

    /**
     * Every connection needs the password. A directory without one (made when local connections were trusted) gets
     * one now, set in single-user mode before the server listens, and its {@code pg_hba.conf} asks for it.
     */
    private void requirePasswords() throws IOException {
        if (!Files.exists(passwordFile)) {
            log.info("Giving the PostgreSQL database in {} a password; connections without it are refused from now on", dataDirectory);
            String password = writeNewPassword();
            run(List.of(bin("postgres"), "--single", "-D", dataDirectory.toString(), "postgres"), 60,
                    "alter role postgres password '" + password + "';\n");
        }
        Path hba = dataDirectory.resolve("pg_hba.conf");
        List<String> lines = Files.readAllLines(hba);
        List<String> required = lines.stream()
                .map(line -> line.strip().startsWith("#") ? line : line.replaceAll("\\b(trust|md5|password)\\s*$", "scram-sha-256"))
                .toList();
        if (!required.equals(lines)) {
            Files.write(hba, required);
        }
    }

    /** A new random password in {@code pg.password}, created readable by its owner only. */
    private String writeNewPassword() throws IOException {
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, password + "\n");
        return password;
    }

    /** A server left running by a process that was killed holds the directory; stop it first. */
    private void stopLeftover() {
        if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            log.info("Stopping a PostgreSQL server left running in {}", dataDirectory);
            try {
                run(List.of(bin("pg_ctl"), "-D", dataDirectory.toString(), "stop", "-m", "fast", "-w", "-t", "30"), 60);
            } catch (RuntimeException e) {
                log.debug("No leftover server to stop: {}", e.getMessage());
            }
        }
    }

    private void startPostmaster() {
        List<String> options = new ArrayList<>(List.of(
                "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=''",
                "-c", "timezone=UTC",
                "-c", "max_connections=200",
                "-c", "shared_buffers=256MB"));
        if (!durable) {
            options.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        run(List.of(bin("pg_ctl"), "-D", dataDirectory.toString(), "-l", logFile.toString(),
                "-o", String.join(" ", options), "-w", "-t", "60", "start"), 90);
        running = true;
        // PostgreSQL must outlive the application: a graceful shutdown still stores webhooks in flight and
        // finishes requests. Spring runs its shutdown handlers after every context has closed; the JVM hook
        // is the safety net (a process without Spring), and waits for Spring first since JVM hooks run side by side.
        org.springframework.boot.SpringApplication.getShutdownHandlers().add(this::close);
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeAfterTheApplication, "embedded-postgres-stop"));
        log.info("PostgreSQL is running on 127.0.0.1:{} with its data in {}", port, dataDirectory);
    }

    private void closeAfterTheApplication() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(45).toNanos();
        while (isRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                break;
            }
        }
        close();
    }

    private synchronized boolean isRunning() {
        return running;
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            run(List.of(bin("pg_ctl"), "-D", dataDirectory.toString(), "stop", "-m", "fast", "-w", "-t", "30"), 60);
        } catch (RuntimeException e) {
            log.warn("Could not stop PostgreSQL cleanly: {}", e.getMessage());
        }
    }

    private String bin(String name) {
        return binaries.resolve("bin").resolve(name).toString();
    }

    private void run(List<String> command, int timeoutSeconds) {
        run(command, timeoutSeconds, null);
    }

    private void run(List<String> command, int timeoutSeconds, String input) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("unshare", "--user"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", full));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Failed (" + process.exitValue() + "): " + String.join(" ", full)
                        + "\n" + new String(output) + logTail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }

    private String logTail() {
        try {
            if (!Files.exists(logFile)) {
                return "";
            }
            List<String> lines = Files.readAllLines(logFile);
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Unpacks the PostgreSQL binaries once per version into the temp directory and reuses them. */
    private static synchronized Path unpackBinaries() throws IOException {
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64")) {
            if (in == null) {
                throw new IOException("No PostgreSQL binaries for this platform on the classpath");
            }
            archive = in.readAllBytes();
        }
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "hexa-postgres-" + digest);
        Path done = target.resolve(".unpacked");
        if (Files.exists(done)) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "hexa-postgres-unpacking-");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(
                new BufferedInputStream(new java.io.ByteArrayInputStream(archive))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = staging.resolve(entry.getName()).normalize();
                if (!path.startsWith(staging)) {
                    throw new IOException("Refusing archive entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    if ((entry.getMode() & 0100) != 0 || entry.getName().contains("bin/")) {
                        path.toFile().setExecutable(true, false);
                    }
                }
            }
        }
        Files.createFile(staging.resolve(".unpacked"));
        try {
            Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException alreadyThere) {
            // Another process unpacked the same version first; theirs is as good as ours.
            deleteQuietly(staging);
            if (!Files.exists(done)) {
                throw alreadyThere;
            }
        }
        return target;
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover staging directory in /tmp harms nothing
        }
    }
}
