package hexa.privacy;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.platform.Ids;
import hexa.platform.crypto.SecretBox;
import hexa.platform.database.AfterCommit;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's export: a job that gathers everything about a contact from every module (through each module's
 * {@link hexa.platform.privacy.PersonExport}) into a ZIP, with progress, downloadable for 24 hours. Works in the
 * current workspace; callers check {@code HANDLE_PERSONAL_DATA} (or act for an approved public request).
 *
 * <p>Only whoever asked for an export (the member, or the API token) may download it; to anyone else, and after 24
 * hours, it is not found. The ZIP is written by {@link ExportRunner} under {@code <data-dir>/exports/}, encrypted at
 * rest ({@link SealedFiles}), and deleted when it expires.
 */
@Service
public class PersonExports {

    /** How long a finished export can be downloaded. */
    public static final Duration KEPT = Duration.ofHours(24);

    /** An export job as its page and the API show it. */
    public record Job(UUID id, UUID contactId, String status, int percent, Instant requestedAt, Instant finishedAt, Instant expiresAt, String requestedBy) {
    }

    /** A job with what only the privacy module's pages need: whether the one looking may download it, and its size. */
    public record Listed(Job job, boolean downloadable, Long sizeBytes, String failure) {
    }

    /** A job's row, with who asked for it and where its file is. */
    record Row(UUID tenantId, UUID id, UUID contactId, String contactName, String requesterKind, UUID requesterId, String requesterName,
               String status, int progress, String failure, Instant createdAt, Instant finishedAt, Instant expiresAt, String fileName,
               Long sizeBytes) {

        Job job() {
            return new Job(id, contactId, status, progress, createdAt, finishedAt, expiresAt, requesterName);
        }

        boolean requestedBy(Actor actor) {
            AuditActor who = AuditActor.of(actor);
            return who.kind().name().equals(requesterKind) && Objects.equals(who.id(), requesterId);
        }

        static Row map(ResultSet rs, int n) throws SQLException {
            long size = rs.getLong("size_bytes");
            return new Row(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), Sql.uuid(rs, "contact_id"), rs.getString("contact_name"),
                    rs.getString("requested_by_kind"), Sql.uuid(rs, "requested_by"), rs.getString("requested_by_name"), rs.getString("status"),
                    rs.getInt("progress"), rs.getString("failure"), Sql.instant(rs, "created_at"), Sql.instant(rs, "finished_at"),
                    Sql.instant(rs, "expires_at"), rs.getString("file_name"), rs.wasNull() ? null : size);
        }
    }

    private final JdbcClient jdbc;
    private final ContactService contacts;
    private final AuditTrail audit;
    private final SecretBox secrets;
    private final ExportRunner runner;
    private final Clock clock;

    PersonExports(JdbcClient jdbc, ContactService contacts, AuditTrail audit, SecretBox secrets, @Lazy ExportRunner runner, Clock clock) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.audit = audit;
        this.secrets = secrets;
        this.runner = runner;
        this.clock = clock;
    }

    /** Starts exporting the contact for whoever acts now; answers the job. An unknown contact is not found. */
    @Transactional
    public Job start(UUID contactId) {
        Contact contact = contacts.get(contactId);
        Actor actor = TenantContext.actor();
        AuditActor who = AuditActor.of(actor);
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into privacy_exports (tenant_id, id, contact_id, contact_name, requested_by_kind, requested_by, requested_by_name,
                                             status, created_at)
                values (:tenant, :id, :contact, :name, :kind, :by, :byName, 'queued', :now)
                """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("contact", contact.id()).param("name", contact.displayName())
                .param("kind", who.kind().name()).param("by", who.id()).param("byName", who.name() == null ? "" : who.name())
                .param("now", Sql.ts(clock.instant())).update();
        audit.record(AuditEntry.of("privacy.export_started").target("contact", contact.id(), contact.displayName())
                .details(Map.of("export", id.toString())));
        AfterCommit.run(runner::wake);
        return job(id).orElseThrow();
    }

    /** A job of the current workspace. */
    public Optional<Job> job(UUID id) {
        return row(id).map(Row::job);
    }

    /** The contact's exports, newest first, each with whether whoever acts now may download it. */
    public List<Listed> of(UUID contactId) {
        Actor actor = TenantContext.actor();
        Instant now = clock.instant();
        return jdbc.sql("select * from privacy_exports where tenant_id = :tenant and contact_id = :contact order by created_at desc limit 50")
                .param("tenant", TenantContext.tenantId()).param("contact", contactId).query(Row::map).list().stream()
                .map(r -> new Listed(r.job(), downloadable(r, actor, now), r.sizeBytes(), r.failure())).toList();
    }

    /** Whether whoever acts now may download the job's ZIP: they asked for it, it is done and has not expired. */
    public boolean downloadable(UUID id) {
        return row(id).map(r -> downloadable(r, TenantContext.actor(), clock.instant())).orElse(false);
    }

    /**
     * The finished ZIP of a job of the current workspace, while it has not expired, to whoever asked for it (to anyone
     * else it is not there). Each download is audited.
     */
    public Optional<InputStream> open(UUID id) {
        Optional<Row> found = row(id);
        Actor actor = TenantContext.actor();
        if (found.isEmpty() || !downloadable(found.get(), actor, clock.instant())) {
            return Optional.empty();
        }
        Row row = found.get();
        Path file = runner.file(row.tenantId(), row.fileName());
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            InputStream in = SealedFiles.reader(Files.newInputStream(file), secrets);
            audit.record(AuditEntry.of("privacy.export_downloaded").target("contact", row.contactId(), row.contactName())
                    .details(Map.of("export", id.toString())));
            return Optional.of(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file name for the download: {@code personal-data-2026-12-07.zip}. */
    public static String downloadName(Job job) {
        Instant at = job.finishedAt() == null ? job.requestedAt() : job.finishedAt();
        return "personal-data-" + at.toString().substring(0, 10) + ".zip";
    }

    private static boolean downloadable(Row row, Actor actor, Instant now) {
        return "done".equals(row.status()) && row.fileName() != null && row.expiresAt() != null && now.isBefore(row.expiresAt())
                && row.requestedBy(actor);
    }

    private Optional<Row> row(UUID id) {
        return jdbc.sql("select * from privacy_exports where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(Row::map).optional();
    }
}
