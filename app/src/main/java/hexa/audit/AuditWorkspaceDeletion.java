package hexa.audit;

import hexa.platform.privacy.WorkspaceDeletion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A closed workspace's audit log, its closing included: nothing of the workspace is kept. The append-only trigger
 * allows it only in the deletion's transaction, for that workspace (V106).
 */
@Component
class AuditWorkspaceDeletion implements WorkspaceDeletion {

    /** In this order: a row before those it refers to. */
    private static final List<String> DELETES = List.of(
            "delete from audit_events where tenant_id = :tenant");

    private final JdbcClient jdbc;

    AuditWorkspaceDeletion(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int order() {
        return 90;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        Map<String, Long> removed = new LinkedHashMap<>();
        // The append-only trigger lets this transaction delete this workspace's entries, however young (V106).
        jdbc.sql("select set_config('hexa.deleting_workspace', :tenant, true)").param("tenant", tenantId.toString()).query(String.class).single();
        WorkspaceDeletion.deleteInOrder(jdbc, tenantId, DELETES, removed);
        return removed;
    }
}
