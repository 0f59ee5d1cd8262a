package hexa.whatsapp.media;

import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code media_files} table. Everything a person asks for is scoped to their workspace. */
@Repository
class MediaFiles {

    private static final int MAX_ERROR = 1000;

    private final JdbcClient jdbc;
    private final hexa.whatsapp.MessageHistory messages;

    MediaFiles(JdbcClient jdbc, hexa.whatsapp.MessageHistory messages) {
        this.messages = messages;
        this.jdbc = jdbc;
    }

    /** A download claimed by this node, with what it needs to call Meta. */
    record Claim(UUID tenantId, UUID messageId, String kind, String mediaId, String mimeType, String declaredSha256, int attempts,
                 String graphUrl, String accessTokenSealed) {
    }

    Optional<MediaFile> find(UUID messageId) {
        return jdbc.sql("select * from media_files where tenant_id = :tenant and message_id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", messageId)
                .query(MediaFiles::mediaFile).optional();
    }

    Optional<String> blobKey(UUID messageId) {
        return jdbc.sql("select blob_key from media_files where tenant_id = :tenant and message_id = :id and blob_key is not null")
                .param("tenant", TenantContext.tenantId()).param("id", messageId).query(String.class).optional();
    }

    /**
     * Takes the next due download for this node: counts the attempt and pushes its next attempt out by
     * the lease, so that no other node takes it meanwhile and a node that dies mid-download only
     * delays it. Runs across workspaces: it is the background worker's own query.
     */
    Optional<Claim> claimNextDue(Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                with due as (
                    select tenant_id, message_id from media_files
                     where state = 'PENDING' and next_attempt_at <= :now
                     order by next_attempt_at
                     limit 1
                       for update skip locked
                )
                update media_files f set attempts = f.attempts + 1, next_attempt_at = :lease
                  from due
                 where f.tenant_id = due.tenant_id and f.message_id = due.message_id
                returning f.tenant_id, f.message_id, f.kind, f.media_id, f.mime_type, f.declared_sha256, f.attempts
                """)
                .param("now", Sql.ts(now)).param("lease", Sql.ts(leaseUntil))
                .query((rs, n) -> new Claim(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "message_id"), rs.getString("kind"),
                        rs.getString("media_id"), rs.getString("mime_type"), rs.getString("declared_sha256"), rs.getInt("attempts"),
                        null, null))
                .optional()
                .map(this::withConnection);
    }

    /** The number the message came in on: its Graph API and sealed token. */
    private Claim withConnection(Claim claim) {
        Optional<UUID> connection;
        try (TenantContext.Scope ignored = TenantContext.enter(hexa.platform.tenant.Actor.system(claim.tenantId(), "WhatsApp"))) {
            connection = messages.connectionOf(claim.messageId());
        }
        if (connection.isEmpty()) {
            return claim;
        }
        return jdbc.sql("select graph_url, access_token_sealed from whatsapp_connections where tenant_id = :tenant and id = :id")
                .param("tenant", claim.tenantId()).param("id", connection.get())
                .query((rs, n) -> new Claim(claim.tenantId(), claim.messageId(), claim.kind(), claim.mediaId(), claim.mimeType(),
                        claim.declaredSha256(), claim.attempts(), rs.getString("graph_url"), rs.getString("access_token_sealed")))
                .optional().orElse(claim);
    }

    /** False when the file's row is gone meanwhile (its message was deleted while the file was fetched). */
    boolean stored(Claim claim, String blobKey, String mimeType, String sha256Hex, long size, Instant now) {
        return jdbc.sql("""
                update media_files set state = 'STORED', blob_key = :key, mime_type = :mime, sha256 = :sha, size_bytes = :size,
                                       stored_at = :now, next_attempt_at = :now, last_error = null
                 where tenant_id = :tenant and message_id = :id
                """)
                .param("key", blobKey).param("mime", mimeType).param("sha", sha256Hex).param("size", size).param("now", Sql.ts(now))
                .param("tenant", claim.tenantId()).param("id", claim.messageId()).update() > 0;
    }

    /** A failed attempt: tried again at {@code next}, or given up on when {@code next} is null. */
    void failed(Claim claim, String error, Instant next) {
        jdbc.sql("""
                update media_files set state = :state, last_error = :error, next_attempt_at = coalesce(:next, next_attempt_at)
                 where tenant_id = :tenant and message_id = :id and state = 'PENDING' and attempts = :attempts
                """)
                .param("state", next == null ? "FAILED" : "PENDING")
                .param("error", error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error)
                .param("next", Sql.ts(next))
                .param("tenant", claim.tenantId()).param("id", claim.messageId()).param("attempts", claim.attempts()).update();
    }

    /** Puts a file back in line, due now, with all its attempts again. */
    boolean retry(UUID messageId, Instant now) {
        return jdbc.sql("""
                update media_files set state = 'PENDING', attempts = 0, next_attempt_at = :now
                 where tenant_id = :tenant and message_id = :id
                """)
                .param("now", Sql.ts(now)).param("tenant", TenantContext.tenantId()).param("id", messageId).update() == 1;
    }

    /**
     * The file of an outbound message is the upload it sends: stored already, sharing the upload's
     * blob. Written in the caller's transaction, beside the message.
     */
    void linkOutbound(UUID messageId, MediaUpload upload, String blobKey, Instant now) {
        jdbc.sql("""
                insert into media_files (tenant_id, message_id, kind, mime_type, sha256, size_bytes, filename, blob_key, state,
                                         next_attempt_at, created_at, stored_at, upload_id)
                values (:tenant, :id, :kind, :mime, :sha, :size, :filename, :key, 'STORED', :now, :now, :now, :upload)
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("kind", upload.kind().messageType())
                .param("mime", upload.mimeType()).param("sha", upload.sha256()).param("size", upload.sizeBytes())
                .param("filename", upload.filename()).param("key", blobKey).param("now", Sql.ts(now)).param("upload", upload.id())
                .update();
    }

    /** The upload an outbound message sends, if it sends one of ours. */
    Optional<UUID> uploadOf(UUID messageId) {
        return jdbc.sql("select upload_id from media_files where tenant_id = :tenant and message_id = :id and upload_id is not null")
                .param("tenant", TenantContext.tenantId()).param("id", messageId).query(UUID.class).optional();
    }

    int countOfContact(UUID tenant, UUID contactId) {
        return jdbc.sql("""
                select count(*) from media_files f join messages m on m.tenant_id = f.tenant_id and m.id = f.message_id
                 where f.tenant_id = :tenant and m.contact_id = :contact
                """).param("tenant", tenant).param("contact", contactId).query(Integer.class).single();
    }

    /**
     * Deletes the file rows of every message of one contact (an erasure), answering, per row, the blob key that goes
     * with it (empty when there is none of its own: not stored yet, or an outbound message's, which is its upload's).
     */
    List<Optional<String>> deleteOfContact(UUID tenant, UUID contactId) {
        return jdbc.sql("""
                delete from media_files f using messages m
                 where f.tenant_id = :tenant and m.tenant_id = :tenant and m.contact_id = :contact and f.message_id = m.id
                returning f.blob_key, f.upload_id
                """)
                .param("tenant", tenant).param("contact", contactId)
                .query((rs, n) -> rs.getObject("upload_id") == null ? Optional.ofNullable(rs.getString("blob_key")) : Optional.<String>empty()).list();
    }

    void delete(UUID messageId) {
        jdbc.sql("delete from media_files where tenant_id = :tenant and message_id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", messageId).update();
    }

    private static MediaFile mediaFile(ResultSet rs, int row) throws SQLException {
        long size = rs.getLong("size_bytes");
        boolean sizeUnknown = rs.wasNull();
        return new MediaFile(Sql.uuid(rs, "message_id"), rs.getString("kind"), rs.getString("media_id"), rs.getString("mime_type"),
                rs.getString("declared_sha256"), rs.getString("sha256"), sizeUnknown ? null : size, rs.getString("filename"),
                MediaFile.State.valueOf(rs.getString("state")), rs.getInt("attempts"), Sql.instant(rs, "next_attempt_at"),
                rs.getString("last_error"), Sql.instant(rs, "created_at"), Sql.instant(rs, "stored_at"));
    }
}
