package hexa.whatsapp.media;

import hexa.platform.database.Sql;
import hexa.platform.privacy.RetentionPurge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The purge's part for files members uploaded to send: an upload older than the messages' period that no message's
 * file uses any more (those messages have expired, after the channel's part) goes with Meta's ids for it, and its blob
 * leaves the disk once the rows are gone.
 */
@Component
class MediaUploadRetention implements RetentionPurge {

    static final int BATCH = 1_000;
    private static final String UNUSED = """
            from media_uploads u where u.tenant_id = :tenant and u.created_at < :before
               and not exists (select 1 from media_files f where f.tenant_id = u.tenant_id and f.upload_id = u.id)
            """;

    private final JdbcClient jdbc;
    private final MediaBlobs blobs;
    private final TransactionTemplate transaction;

    MediaUploadRetention(JdbcClient jdbc, MediaBlobs blobs, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.blobs = blobs;
        this.transaction = transaction;
    }

    @Override
    public int order() {
        return 15;
    }

    @Override
    public Map<String, Long> purge(Rules rules, boolean dryRun) {
        if (rules.messagesBefore().isEmpty()) {
            return Map.of();
        }
        var before = Sql.ts(rules.messagesBefore().get());
        if (dryRun) {
            // The messages that use an upload are still there in a dry run: count those whose every user expires too.
            return Map.of("media_uploads", jdbc.sql("""
                    select count(*) from media_uploads u where u.tenant_id = :tenant and u.created_at < :before
                       and not exists (select 1 from media_files f join messages m on m.tenant_id = f.tenant_id and m.id = f.message_id
                                        where f.tenant_id = u.tenant_id and f.upload_id = u.id
                                          and (m.created_at >= :before or m.contact_id = any(:held)))
                    """).param("tenant", rules.tenantId()).param("before", before).param("held", rules.held().toArray(new java.util.UUID[0]))
                    .query(Long.class).single());
        }
        long total = 0;
        while (true) {
            List<String> keys = transaction.execute(s -> {
                List<java.util.UUID> ids = jdbc.sql("select u.id " + UNUSED + " limit " + BATCH + " for update of u skip locked")
                        .param("tenant", rules.tenantId()).param("before", before).query(java.util.UUID.class).list();
                if (ids.isEmpty()) {
                    return new ArrayList<String>();
                }
                java.util.UUID[] gone = ids.toArray(new java.util.UUID[0]);
                jdbc.sql("delete from media_uploads_at_meta where tenant_id = :tenant and upload_id = any(:ids)")
                        .param("tenant", rules.tenantId()).param("ids", gone).update();
                return jdbc.sql("delete from media_uploads where tenant_id = :tenant and id = any(:ids) returning blob_key")
                        .param("tenant", rules.tenantId()).param("ids", gone).query(String.class).list();
            });
            keys.forEach(blobs::delete);
            total += keys.size();
            if (keys.size() < BATCH) {
                return Map.of("media_uploads", total);
            }
        }
    }
}
