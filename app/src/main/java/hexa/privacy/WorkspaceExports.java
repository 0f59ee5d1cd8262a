package hexa.privacy;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.contacts.ContactExport;
import hexa.platform.Ids;
import hexa.platform.QueueWorker;
import hexa.platform.crypto.SecretBox;
import hexa.platform.database.AfterCommit;
import hexa.platform.database.LeasedJobs;
import hexa.platform.database.Sql;
import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import hexa.platform.privacy.PersonExport;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Export the whole workspace": a leased background job (one at a time per node, claimed with {@code SKIP LOCKED})
 * writes one ZIP: {@code contacts.csv} through the contacts module's CSV export, and for each contact, under
 * {@code people/<contact id>/}, every module's part of a person's export (conversations, messages, media files). The
 * ZIP is sealed at rest beside the person exports; Owners download it for 24 hours, then the sweep deletes it with its
 * row. Erasing a person deletes the workspace's exports (they hold the person).
 */
@Service
public class WorkspaceExports implements DisposableBean, PersonErasure {

    /** How long a finished export can be downloaded. */
    public static final Duration KEPT = Duration.ofHours(24);
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final int MAX_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(WorkspaceExports.class);

    /** One export of the workspace. */
    public record Job(UUID id, String requestedByName, String status, Instant createdAt, Instant finishedAt, Instant expiresAt, Long sizeBytes) {

        public boolean ready() {
            return "done".equals(status);
        }

        public boolean pending() {
            return "queued".equals(status) || "running".equals(status);
        }

        static Job map(ResultSet rs, int n) throws SQLException {
            long size = rs.getLong("size_bytes");
            return new Job(Sql.uuid(rs, "id"), rs.getString("requested_by_name"), rs.getString("status"), Sql.instant(rs, "created_at"),
                    Sql.instant(rs, "finished_at"), Sql.instant(rs, "expires_at"), rs.wasNull() ? null : size);
        }
    }

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final ContactExport contacts;
    private final List<PersonExport> parts;
    private final ExportRunner personExports;
    private final SecretBox secrets;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private final QueueWorker worker = new QueueWorker("workspace-export", this::runOne);

    WorkspaceExports(JdbcClient jdbc, AuditTrail audit, ContactExport contacts, List<PersonExport> parts, ExportRunner personExports,
                     SecretBox secrets, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.contacts = contacts;
        this.parts = parts.stream().sorted(Comparator.comparing((PersonExport p) -> p.getClass().getName())).toList();
        this.personExports = personExports;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Starts an export of the current workspace, unless one is already queued or running (answered then). Audited. */
    public Job start() {
        Optional<Job> pending = latest().filter(Job::pending);
        if (pending.isPresent()) {
            return pending.get();
        }
        Actor actor = TenantContext.actor();
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into privacy_workspace_exports (tenant_id, id, requested_by, requested_by_name, status, created_at)
                values (:tenant, :id, :by, :name, 'queued', :now)
                """).param("tenant", actor.tenantId()).param("id", id).param("by", actor.userId()).param("name", actor.name())
                .param("now", Sql.ts(clock.instant())).update();
        audit.record(AuditEntry.of("privacy.workspace_export_started").target("workspace_export", id, null));
        AfterCommit.run(worker::wake);
        return job(id).orElseThrow();
    }

    /** The current workspace's latest export, if any. */
    public Optional<Job> latest() {
        return jdbc.sql("select * from privacy_workspace_exports where tenant_id = :tenant order by created_at desc limit 1")
                .param("tenant", TenantContext.tenantId()).query(Job::map).optional();
    }

    /** An export of the current workspace (another workspace's: empty). */
    public Optional<Job> job(UUID id) {
        return jdbc.sql("select * from privacy_workspace_exports where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(Job::map).optional();
    }

    /** The decrypted ZIP of a finished export of the current workspace still within its 24 hours. Audited. */
    public Optional<InputStream> open(UUID id) {
        Optional<String> file = jdbc.sql("""
                select file_name from privacy_workspace_exports
                 where tenant_id = :tenant and id = :id and status = 'done' and expires_at > :now and file_name is not null
                """).param("tenant", TenantContext.tenantId()).param("id", id).param("now", Sql.ts(clock.instant())).query(String.class).optional();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            InputStream in = SealedFiles.reader(Files.newInputStream(personExports.file(TenantContext.tenantId(), file.get())), secrets);
            audit.record(AuditEntry.of("privacy.workspace_export_downloaded").target("workspace_export", id, null));
            return Optional.of(in);
        } catch (IOException e) {
            log.error("The workspace export {} could not be read", id, e);
            return Optional.empty();
        }
    }

    @Scheduled(fixedDelayString = "${hexa.privacy.export.sweep:2s}", initialDelayString = "${hexa.privacy.export.sweep:2s}")
    void sweep() {
        worker.wake();
    }

    /** Deletes the ZIPs and rows of exports whose 24 hours have passed, and of failed ones after as long; answers how many. */
    @Scheduled(fixedDelayString = "${hexa.privacy.export.expiry-sweep:10m}", initialDelayString = "PT1M")
    int deleteExpired() {
        Instant now = clock.instant();
        List<Map<String, Object>> expired = jdbc.sql("""
                delete from privacy_workspace_exports
                 where (status = 'done' and expires_at <= :now) or (status = 'failed' and finished_at <= :failedBefore)
                returning tenant_id, coalesce(file_name, '') as file_name
                """).param("now", Sql.ts(now)).param("failedBefore", Sql.ts(now.minus(KEPT))).query().listOfRows();
        for (Map<String, Object> row : expired) {
            String name = (String) row.get("file_name");
            if (!name.isEmpty()) {
                deleteQuietly(personExports.file((UUID) row.get("tenant_id"), name));
            }
        }
        return expired.size();
    }

    /** Erasing a person deletes the workspace's exports: each holds the person. */
    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        List<String> files = jdbc.sql("delete from privacy_workspace_exports where tenant_id = :tenant returning coalesce(file_name, '')")
                .param("tenant", person.tenantId()).query(String.class).list();
        List<Path> zips = files.stream().filter(f -> !f.isEmpty()).map(f -> personExports.file(person.tenantId(), f)).toList();
        AfterCommit.run(() -> zips.forEach(WorkspaceExports::deleteQuietly));
        return Map.of("privacy_workspace_exports", (long) files.size());
    }

    @Override
    public int order() {
        return 50;
    }

    @Override
    public void destroy() {
        worker.close();
    }

    /** Runs one due export to its end; false when none was due. */
    boolean runOne() {
        Optional<Map<String, Object>> claimed;
        try {
            Instant now = clock.instant();
            claimed = jdbc.sql(LeasedJobs.claimNext("privacy_workspace_exports", "privacy.workspace-export.failed"))
                    .param("now", Sql.ts(now)).param("lease", Sql.ts(now.plus(LEASE))).param("maxAttempts", MAX_ATTEMPTS)
                    .query().listOfRows().stream().findFirst();
        } catch (RuntimeException e) {
            log.error("Could not look for workspace exports to run", e);
            return false;
        }
        if (claimed.isEmpty()) {
            return false;
        }
        if ("failed".equals(claimed.get().get("status"))) {
            return true;
        }
        UUID tenant = (UUID) claimed.get().get("tenant_id");
        UUID id = (UUID) claimed.get().get("id");
        Path target = personExports.file(tenant, "workspace-" + id + ".zip.sealed");
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant, "Workspace export"))) {
            Files.createDirectories(target.getParent());
            try (OutputStream file = Files.newOutputStream(part); ZipOutputStream zip = new ZipOutputStream(SealedFiles.writer(file, secrets))) {
                write(tenant, zip);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Instant finished = clock.instant();
            jdbc.sql("""
                    update privacy_workspace_exports set status = 'done', finished_at = :now, expires_at = :expires, lease_until = null,
                           file_name = :file, size_bytes = :size
                     where tenant_id = :tenant and id = :id
                    """).param("now", Sql.ts(finished)).param("expires", Sql.ts(finished.plus(KEPT))).param("file", target.getFileName().toString())
                    .param("size", Files.size(target)).param("tenant", tenant).param("id", id).update();
        } catch (IOException | RuntimeException e) {
            log.error("Workspace export {} failed", id, e);
            deleteQuietly(part);
            jdbc.sql("""
                    update privacy_workspace_exports set status = 'failed', failure = 'privacy.workspace-export.failed', finished_at = :now,
                           lease_until = null
                     where tenant_id = :tenant and id = :id
                    """).param("now", Sql.ts(clock.instant())).param("tenant", tenant).param("id", id).update();
        }
        return true;
    }

    private void write(UUID tenant, ZipOutputStream zip) throws IOException {
        zip.putNextEntry(new ZipEntry("contacts.csv"));
        contacts.writeAll(new NotClosing(zip));
        zip.closeEntry();
        List<UUID> people = jdbc.sql("select id from published_contacts where tenant_id = :tenant order by created_at, id")
                .param("tenant", tenant).query(UUID.class).list();
        for (UUID person : people) {
            String folder = "people/" + person + "/";
            Set<String> written = new HashSet<>();
            for (PersonExport module : parts) {
                module.export(tenant, person, new PersonExport.Sink() {
                    @Override
                    public void json(String path, Object value) throws IOException {
                        entry(zip, written, folder, path);
                        json.writeValue(zip, value);
                        zip.closeEntry();
                    }

                    @Override
                    public void file(String path, InputStream content) throws IOException {
                        entry(zip, written, folder, path);
                        content.transferTo(zip);
                        zip.closeEntry();
                    }
                });
            }
        }
    }

    private static void entry(ZipOutputStream zip, Set<String> written, String folder, String path) throws IOException {
        String name = path.replace('\\', '/');
        if (name.startsWith("/") || name.contains("..") || name.isBlank()) {
            throw new IllegalArgumentException("Not a path inside an export: " + path);
        }
        String unique = name;
        for (int n = 2; !written.add(unique); n++) {
            int dot = name.lastIndexOf('.');
            unique = dot > name.lastIndexOf('/') ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
        }
        zip.putNextEntry(new ZipEntry(folder + unique));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.error("Could not delete the workspace export {}", file, e);
        }
    }

    /** The CSV writer flushes but must not close the ZIP. */
    private static final class NotClosing extends java.io.FilterOutputStream {
        NotClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
