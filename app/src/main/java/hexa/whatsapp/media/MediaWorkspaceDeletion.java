package hexa.whatsapp.media;

import hexa.platform.database.AfterCommit;
import hexa.platform.privacy.WorkspaceDeletion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A closed workspace's media: the file rows and uploads now, their encrypted blobs once the deletion has committed. */
@Component
class MediaWorkspaceDeletion implements WorkspaceDeletion {

    private static final Logger log = LoggerFactory.getLogger(MediaWorkspaceDeletion.class);

    private final JdbcClient jdbc;
    private final MediaBlobs blobs;

    MediaWorkspaceDeletion(JdbcClient jdbc, MediaBlobs blobs) {
        this.jdbc = jdbc;
        this.blobs = blobs;
    }

    @Override
    public int order() {
        return 5;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        Map<String, Long> removed = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        List<String> fileKeys = jdbc.sql("delete from media_files where tenant_id = :tenant returning coalesce(blob_key, '')")
                .param("tenant", tenantId).query(String.class).list();
        removed.put("media_files", (long) fileKeys.size());
        keys.addAll(fileKeys);
        removed.put("media_uploads_at_meta", (long) jdbc.sql("delete from media_uploads_at_meta where tenant_id = :tenant")
                .param("tenant", tenantId).update());
        List<String> uploadKeys = jdbc.sql("delete from media_uploads where tenant_id = :tenant returning coalesce(blob_key, '')")
                .param("tenant", tenantId).query(String.class).list();
        removed.put("media_uploads", (long) uploadKeys.size());
        keys.addAll(uploadKeys);
        List<String> named = keys.stream().filter(k -> !k.isEmpty()).distinct().toList();
        AfterCommit.run(() -> named.forEach(key -> {
            try {
                blobs.delete(key);
            } catch (RuntimeException e) {
                log.warn("Could not delete media blob {} of a deleted workspace", key, e);
            }
        }));
        return removed;
    }
}
