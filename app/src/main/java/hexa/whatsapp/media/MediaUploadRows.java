package hexa.whatsapp.media;

import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code media_uploads} and {@code media_uploads_at_meta} tables, scoped to the current workspace. */
@Repository
class MediaUploadRows {

    private final JdbcClient jdbc;

    MediaUploadRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(MediaUpload upload, String blobKey, String byKind, UUID by) {
        jdbc.sql("""
                insert into media_uploads (tenant_id, id, kind, mime_type, size_bytes, sha256, filename, blob_key,
                                           uploaded_by_kind, uploaded_by, created_at)
                values (:tenant, :id, :kind, :mime, :size, :sha, :filename, :key, :byKind, :by, :at)
                """)
                .param("tenant", TenantContext.tenantId()).param("id", upload.id()).param("kind", upload.kind().messageType())
                .param("mime", upload.mimeType()).param("size", upload.sizeBytes()).param("sha", upload.sha256())
                .param("filename", upload.filename()).param("key", blobKey).param("byKind", byKind).param("by", by)
                .param("at", Sql.ts(upload.createdAt())).update();
    }

    Optional<MediaUpload> find(UUID id) {
        return jdbc.sql("select * from media_uploads where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(MediaUploadRows::upload).optional();
    }

    Optional<String> blobKey(UUID id) {
        return jdbc.sql("select blob_key from media_uploads where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(String.class).optional();
    }

    /** Meta's media id of the upload for this number, if it was uploaded there after {@code notBefore}. */
    Optional<String> atMeta(UUID uploadId, UUID connectionId, Instant notBefore) {
        return jdbc.sql("""
                select media_id from media_uploads_at_meta
                 where tenant_id = :tenant and upload_id = :upload and connection_id = :connection and uploaded_at > :notBefore
                """)
                .param("tenant", TenantContext.tenantId()).param("upload", uploadId).param("connection", connectionId)
                .param("notBefore", Sql.ts(notBefore)).query(String.class).optional();
    }

    void rememberAtMeta(UUID uploadId, UUID connectionId, String mediaId, Instant at) {
        jdbc.sql("""
                insert into media_uploads_at_meta (tenant_id, upload_id, connection_id, media_id, uploaded_at)
                values (:tenant, :upload, :connection, :media, :at)
                on conflict (tenant_id, upload_id, connection_id) do update set media_id = excluded.media_id, uploaded_at = excluded.uploaded_at
                """)
                .param("tenant", TenantContext.tenantId()).param("upload", uploadId).param("connection", connectionId)
                .param("media", mediaId).param("at", Sql.ts(at)).update();
    }

    void forgetAtMeta(UUID uploadId, UUID connectionId, String mediaId) {
        jdbc.sql("""
                delete from media_uploads_at_meta
                 where tenant_id = :tenant and upload_id = :upload and connection_id = :connection and media_id = :media
                """)
                .param("tenant", TenantContext.tenantId()).param("upload", uploadId).param("connection", connectionId)
                .param("media", mediaId).update();
    }

    private static MediaUpload upload(ResultSet rs, int row) throws SQLException {
        return new MediaUpload(Sql.uuid(rs, "id"), MediaKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                rs.getString("mime_type"), rs.getLong("size_bytes"), rs.getString("sha256"), rs.getString("filename"),
                Sql.instant(rs, "created_at"));
    }
}
