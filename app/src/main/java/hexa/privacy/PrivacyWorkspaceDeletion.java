package hexa.privacy;

import hexa.platform.database.AfterCommit;
import hexa.platform.privacy.WorkspaceDeletion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The privacy module's rows of a closed workspace (holds, erasure certificates, requests, exports with their ZIPs,
 * settings, purge runs, workspace exports with their ZIPs and the closing itself), before the audit log and the identity module's workspace row.
 */
@Component
class PrivacyWorkspaceDeletion implements WorkspaceDeletion {

    private static final Logger log = LoggerFactory.getLogger(PrivacyWorkspaceDeletion.class);

    private static final List<String> DELETES = List.of(
            "delete from privacy_legal_holds where tenant_id = :tenant",
            "delete from privacy_erasures where tenant_id = :tenant",
            "delete from privacy_request_codes where tenant_id = :tenant",
            "delete from privacy_requests where tenant_id = :tenant",
            "delete from privacy_public_pages where tenant_id = :tenant",
            "delete from privacy_settings where tenant_id = :tenant",
            "delete from privacy_purge_runs where tenant_id = :tenant",
            "delete from privacy_workspace_closings where tenant_id = :tenant");

    private final JdbcClient jdbc;
    private final ExportRunner exports;

    PrivacyWorkspaceDeletion(JdbcClient jdbc, ExportRunner exports) {
        this.jdbc = jdbc;
        this.exports = exports;
    }

    @Override
    public int order() {
        return 80;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        Map<String, Long> removed = new LinkedHashMap<>();
        List<String> files = jdbc.sql("delete from privacy_exports where tenant_id = :tenant returning coalesce(file_name, '')")
                .param("tenant", tenantId).query(String.class).list();
        removed.put("privacy_exports", (long) files.size());
        List<String> workspaceFiles = jdbc.sql("delete from privacy_workspace_exports where tenant_id = :tenant returning coalesce(file_name, '')")
                .param("tenant", tenantId).query(String.class).list();
        removed.put("privacy_workspace_exports", (long) workspaceFiles.size());
        files = new java.util.ArrayList<>(files);
        files.addAll(workspaceFiles);
        List<Path> zips = files.stream().filter(f -> !f.isEmpty()).map(f -> exports.file(tenantId, f)).toList();
        AfterCommit.run(() -> zips.forEach(zip -> {
            try {
                Files.deleteIfExists(zip);
            } catch (IOException e) {
                log.error("Could not delete the export {} of a deleted workspace", zip, e);
            }
        }));
        WorkspaceDeletion.deleteInOrder(jdbc, tenantId, DELETES, removed);
        return removed;
    }
}
