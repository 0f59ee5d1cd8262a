package hexa.privacy.backups;

import hexa.platform.config.HexaProperties;
import hexa.privacy.ErasureLedger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The backups the app makes of its own installation: daily at {@code HEXA_BACKUP_HOUR} (UTC) unless
 * {@code HEXA_BACKUP_ENABLED=false}, and by hand from Settings → Privacy → Backups. Written to the backup directory
 * (where the erasure ledger lives), kept {@link BackupCommand#KEPT}, then deleted.
 *
 * <p>One node at a time: the backup holds a PostgreSQL advisory lock while it runs, and a node whose daily run finds a
 * backup younger than 20 hours in the directory (another node made it) leaves it at that.
 */
@Service
public class BackupService {

    private static final Logger log = LoggerFactory.getLogger(BackupService.class);
    /** The advisory lock's key: "hexa-backups" hashed once, fixed here. */
    private static final long LOCK = 0x6865_7861_6261_6b75L;
    /** Older than this, the last backup is shown as late (the daily one did not happen). */
    public static final Duration LATE = Duration.ofDays(1);

    /** The last backup that failed, until one succeeds after it. */
    public record Failure(Instant at, String reason) {
    }

    /** What the page shows. */
    public record Status(Optional<Backups.BackupFile> last, List<Backups.BackupFile> kept, Optional<Failure> failure, boolean late,
                         boolean scheduled, int hour, String keyId, boolean running) {
    }

    private final DataSource dataSource;
    private final HexaProperties properties;
    private final Path directory;
    private final String backupKey;
    private final boolean enabled;
    private final int hour;
    private final Clock clock;
    private final Instant started;
    private volatile Failure failure;
    private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Instant lastByHand;

    BackupService(DataSource dataSource, HexaProperties properties, ErasureLedger ledger, Clock clock, MeterRegistry meters,
                  @Value("${hexa.backup-key:}") String backupKey,
                  @Value("${hexa.backup-enabled:true}") boolean enabled,
                  @Value("${hexa.backup-hour:3}") int hour) {
        if (hour < 0 || hour > 23) {
            throw new IllegalStateException("HEXA_BACKUP_HOUR must be an hour of the day from 0 to 23 (UTC), got " + hour);
        }
        this.dataSource = dataSource;
        this.properties = properties;
        this.directory = ledger.directory().toAbsolutePath();
        this.backupKey = backupKey;
        this.enabled = enabled;
        this.hour = hour;
        this.clock = clock;
        this.started = clock.instant();
        Gauge.builder("hexa.backup.last.success.age", this, BackupService::lastSuccessAgeSeconds)
                .description("Seconds since the newest backup in the backup directory was taken (since the app started, when there is none)")
                .baseUnit("seconds").register(meters);
        Gauge.builder("hexa.backup.last.failed", this, s -> s.failure == null ? 0 : 1)
                .description("1 when the last backup failed and none has succeeded since").register(meters);
    }

    /** The backup directory. */
    public Path directory() {
        return directory;
    }

    /** Makes a backup now; null when another is running (on this node or another). */
    public Backups.Made backUp() {
        try (Connection connection = dataSource.getConnection()) {
            if (!lock(connection)) {
                return null;
            }
            try {
                Instant now = clock.instant();
                Backups.Made made = Backups.backUp(connection, properties.dataDir().toAbsolutePath().resolve("media"), masterKey(), directory,
                        BackupKey.load(backupKey, properties.dataDir()), now);
                int expired = Backups.deleteTakenBefore(directory, now.minus(BackupCommand.KEPT));
                failure = null;
                log.info("Backed up {} tables ({} rows) and {} media files to {} ({} bytes){}", made.tables(), made.rows(), made.mediaFiles(),
                        made.file().path(), made.file().size(), expired > 0 ? "; deleted " + expired + " backups older than 90 days" : "");
                return made;
            } finally {
                unlock(connection);
            }
        } catch (Exception e) {
            failure = new Failure(clock.instant(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            log.error("The backup failed", e);
            throw new IllegalStateException("The backup failed: " + failure.reason(), e);
        }
    }

    /** What happened to a request to back up now. */
    public enum ByHand { STARTED, RUNNING, TOO_SOON }

    /** Backups by hand are at least this far apart (each is a copy of the whole installation). */
    public static final Duration BY_HAND_SPACING = Duration.ofMinutes(10);

    /** Starts a backup in the background (its result shows on the page and in the metric). */
    public ByHand startByHand() {
        Instant now = clock.instant();
        Instant last = lastByHand;
        if (last != null && last.isAfter(now.minus(BY_HAND_SPACING))) {
            return ByHand.TOO_SOON;
        }
        if (!running.compareAndSet(false, true)) {
            return ByHand.RUNNING;
        }
        lastByHand = now;
        Thread worker = new Thread(() -> {
            try {
                backUp();
            } catch (RuntimeException e) {
                // recorded in failure, the metric and the page
            } finally {
                running.set(false);
            }
        }, "backup-by-hand");
        worker.setDaemon(true);
        worker.start();
        return ByHand.STARTED;
    }

    /** The earliest moment the next backup by hand may start. */
    public Instant nextByHand() {
        Instant last = lastByHand;
        return last == null ? Instant.EPOCH : last.plus(BY_HAND_SPACING);
    }

    /** Whether a backup started by hand on this node is still running. */
    public boolean running() {
        return running.get();
    }

    /** The daily backup, unless switched off or another node made one in the last 20 hours. */
    @Scheduled(cron = "0 0 ${hexa.backup-hour:3} * * *", zone = "UTC")
    void daily() {
        if (!enabled) {
            return;
        }
        Optional<Backups.BackupFile> last = Backups.list(directory).stream().findFirst();
        if (last.isPresent() && last.get().takenAt().isAfter(clock.instant().minus(Duration.ofHours(20)))) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            backUp();
        } catch (RuntimeException e) {
            // recorded in failure, the metric and the page
        } finally {
            running.set(false);
        }
    }

    public Status status() {
        List<Backups.BackupFile> kept = Backups.list(directory);
        Optional<Backups.BackupFile> last = kept.stream().findFirst();
        Failure failed = failure;
        boolean late = last.isEmpty() || last.get().takenAt().isBefore(clock.instant().minus(LATE));
        String keyId;
        try {
            keyId = backupKey != null && !backupKey.isBlank() ? BackupCipher.keyId(BackupKey.decode(backupKey, "HEXA_BACKUP_KEY"))
                    : Files.exists(properties.dataDir().toAbsolutePath().resolve(BackupKey.FILE))
                    ? BackupCipher.keyId(BackupKey.read(properties.dataDir().toAbsolutePath().resolve(BackupKey.FILE))) : null;
        } catch (RuntimeException e) {
            keyId = null;
        }
        return new Status(last, kept, Optional.ofNullable(failed), late, enabled, hour, keyId, running.get());
    }

    double lastSuccessAgeSeconds() {
        Instant since = Backups.list(directory).stream().findFirst().map(Backups.BackupFile::takenAt).orElse(started);
        return Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }

    private String masterKey() throws java.io.IOException {
        if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
            return properties.masterKey().strip();
        }
        Path file = properties.dataDir().toAbsolutePath().resolve("master.key");
        return Files.exists(file) ? Files.readString(file).strip() : null;
    }

    private static boolean lock(Connection connection) throws java.sql.SQLException {
        try (PreparedStatement s = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            s.setLong(1, LOCK);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection) throws java.sql.SQLException {
        try (PreparedStatement s = connection.prepareStatement("select pg_advisory_unlock(?)")) {
            s.setLong(1, LOCK);
            s.execute();
        }
    }
}
