package hexa.privacy;

import static hexa.platform.web.Text.t;

import hexa.platform.QueueWorker;
import hexa.platform.config.HexaProperties;
import hexa.platform.crypto.SecretBox;
import hexa.platform.database.LeasedJobs;
import hexa.platform.database.Sql;
import hexa.platform.privacy.PersonExport;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs queued exports in the background, one at a time per node: the job is claimed with {@code SKIP LOCKED} and
 * leased (a node that stops mid-way leaves it to another once the lease ends, which starts it again); every module's
 * {@link PersonExport} writes its part into the ZIP, which is sealed a chunk at a time as it is written
 * ({@link SealedFiles}) under {@code <data-dir>/exports/<workspace>/}. Progress is saved at most twice a second. A sweep
 * deletes the ZIPs whose 24 hours have passed.
 */
@Component
class ExportRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ExportRunner.class);
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final int MAX_ATTEMPTS = 3;

    private final JdbcClient jdbc;
    private final List<PersonExport> parts;
    private final SecretBox secrets;
    private final Clock clock;
    private final Path directory;
    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private final QueueWorker worker = new QueueWorker("person-export", this::runOne);
    private final TransactionTemplate ownTransaction;

    ExportRunner(JdbcClient jdbc, List<PersonExport> parts, SecretBox secrets, Clock clock, HexaProperties properties,
                 PlatformTransactionManager transactions, @Value("${hexa.privacy.export-dir:}") String exportDir) {
        this.jdbc = jdbc;
        // Progress is saved on its own, committed at once, whatever transaction a module reads its part in.
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // The contact first, then the other modules, always in the same order.
        this.parts = parts.stream().sorted(Comparator.comparing((PersonExport p) -> !p.getClass().getName().startsWith("hexa.contacts."))
                .thenComparing(p -> p.getClass().getName())).toList();
        this.secrets = secrets;
        this.clock = clock;
        this.directory = exportDir == null || exportDir.isBlank() ? properties.dataDir().resolve("exports") : Path.of(exportDir);
    }

    Path file(UUID tenantId, String fileName) {
        return directory.resolve(tenantId.toString()).resolve(fileName);
    }

    void wake() {
        worker.wake();
    }

    @Scheduled(fixedDelayString = "${hexa.privacy.export.sweep:2s}", initialDelayString = "${hexa.privacy.export.sweep:2s}")
    void sweep() {
        wake();
    }

    /** Deletes the ZIPs of exports whose 24 hours have passed; answers how many. */
    @Scheduled(fixedDelayString = "${hexa.privacy.export.expiry-sweep:10m}", initialDelayString = "PT1M")
    int deleteExpired() {
        Instant now = clock.instant();
        List<PersonExports.Row> expired = jdbc.sql("select * from privacy_exports where status = 'done' and expires_at <= :now")
                .param("now", Sql.ts(now)).query(PersonExports.Row::map).list();
        int deleted = 0;
        for (PersonExports.Row row : expired) {
            try {
                if (row.fileName() != null) {
                    Files.deleteIfExists(file(row.tenantId(), row.fileName()));
                }
                jdbc.sql("update privacy_exports set status = 'expired', file_name = null where tenant_id = :tenant and id = :id")
                        .param("tenant", row.tenantId()).param("id", row.id()).update();
                deleted++;
            } catch (IOException | RuntimeException e) {
                log.error("Could not delete the expired export {}", row.id(), e);
            }
        }
        if (deleted > 0) {
            log.info("Deleted {} expired exports of people's data", deleted);
        }
        return deleted;
    }

    @Override
    public void destroy() {
        worker.close();
    }

    /** Runs one due export to its end; false when none was due. */
    boolean runOne() {
        Optional<PersonExports.Row> claimed;
        try {
            Instant now = clock.instant();
            claimed = jdbc.sql(LeasedJobs.claimNext("privacy_exports", "privacy.export.failed.attempts"))
                    .param("now", Sql.ts(now)).param("lease", Sql.ts(now.plus(LEASE))).param("maxAttempts", MAX_ATTEMPTS)
                    .query(PersonExports.Row::map).optional();
        } catch (RuntimeException e) {
            log.error("Could not look for exports to run", e);
            return false;
        }
        if (claimed.isEmpty()) {
            return false;
        }
        PersonExports.Row job = claimed.get();
        if ("failed".equals(job.status())) {
            return true;
        }
        Path target = file(job.tenantId(), job.id() + ".zip.sealed");
        Path part = target.resolveSibling(job.id() + ".zip.sealed.part");
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(job.tenantId(), "Export"))) {
            Files.createDirectories(target.getParent());
            try (OutputStream file = Files.newOutputStream(part); ZipOutputStream zip = new ZipOutputStream(SealedFiles.writer(file, secrets))) {
                write(job, zip);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Instant finished = clock.instant();
            jdbc.sql("""
                    update privacy_exports set status = 'done', progress = 100, finished_at = :now, expires_at = :expires, lease_until = null,
                           file_name = :file, size_bytes = :size
                     where tenant_id = :tenant and id = :id
                    """)
                    .param("now", Sql.ts(finished)).param("expires", Sql.ts(finished.plus(PersonExports.KEPT))).param("file", target.getFileName().toString())
                    .param("size", Files.size(target)).param("tenant", job.tenantId()).param("id", job.id()).update();
            log.info("Export {} of a contact done: {} bytes", job.id(), Files.size(target));
        } catch (IOException | RuntimeException e) {
            log.error("Export {} failed", job.id(), e);
            try {
                Files.deleteIfExists(part);
                jdbc.sql("""
                        update privacy_exports set status = 'failed', failure = 'privacy.export.failed.unexpected', finished_at = :now, lease_until = null
                         where tenant_id = :tenant and id = :id
                        """).param("now", Sql.ts(clock.instant())).param("tenant", job.tenantId()).param("id", job.id()).update();
            } catch (IOException | RuntimeException again) {
                log.error("Could not mark export {} as failed; it is taken up again when its lease ends", job.id(), again);
            }
        }
        return true;
    }

    private void write(PersonExports.Row job, ZipOutputStream zip) throws IOException {
        Progress progress = new Progress(job);
        Set<String> written = new HashSet<>();
        for (int i = 0; i < parts.size(); i++) {
            int index = i;
            PersonExport part = parts.get(i);
            part.export(job.tenantId(), job.contactId(), new PersonExport.Sink() {
                @Override
                public void json(String path, Object value) throws IOException {
                    entry(zip, written, path);
                    json.writeValue(zip, value);
                    zip.closeEntry();
                }

                @Override
                public void file(String path, InputStream content) throws IOException {
                    entry(zip, written, path);
                    content.transferTo(zip);
                    zip.closeEntry();
                }

                @Override
                public void progress(long done, long total) {
                    progress.report(index, total == 0 ? 1 : (double) done / total);
                }
            });
            progress.report(index, 1);
        }
        entry(zip, written, "README.txt");
        zip.write(t("privacy.export.readme", job.contactName() == null ? "" : job.contactName(), clock.instant().toString())
                .replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static void entry(ZipOutputStream zip, Set<String> written, String path) throws IOException {
        String name = path.replace('\\', '/');
        if (name.startsWith("/") || name.contains("..") || name.isBlank()) {
            throw new IllegalArgumentException("Not a path inside an export: " + path);
        }
        String unique = name;
        for (int n = 2; !written.add(unique); n++) {
            int dot = name.lastIndexOf('.');
            unique = dot > name.lastIndexOf('/') ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
        }
        zip.putNextEntry(new ZipEntry(unique));
    }

    /** The job's progress over all modules, saved at most twice a second with its lease renewed. */
    private final class Progress {
        private final PersonExports.Row job;
        private long savedAt;
        private int saved = -1;

        Progress(PersonExports.Row job) {
            this.job = job;
        }

        void report(int part, double fraction) {
            int percent = (int) Math.min(99, Math.floor(100 * (part + Math.min(1, fraction)) / parts.size()));
            long now = System.nanoTime();
            if (percent == saved || now - savedAt < 500_000_000L && saved >= 0) {
                return;
            }
            savedAt = now;
            saved = percent;
            Integer updated = ownTransaction.execute(s -> jdbc.sql("""
                    update privacy_exports set progress = :percent, lease_until = :lease
                     where tenant_id = :tenant and id = :id and status = 'running'
                    """).param("percent", percent).param("lease", Sql.ts(clock.instant().plus(LEASE)))
                    .param("tenant", job.tenantId()).param("id", job.id()).update());
            if (updated == null || updated == 0) {
                throw new IllegalStateException("Export " + job.id() + " is no longer running here");
            }
        }
    }
}
