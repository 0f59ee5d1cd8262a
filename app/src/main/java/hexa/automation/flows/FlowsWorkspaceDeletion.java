package hexa.automation.flows;

import hexa.platform.privacy.WorkspaceDeletion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A closed workspace's chatbot flows: runs with their steps, versions, flows. */
@Component
class FlowsWorkspaceDeletion implements WorkspaceDeletion {

    /** In this order: a row before those it refers to. */
    private static final List<String> DELETES = List.of(
            "delete from automation_flow_run_steps where tenant_id = :tenant",
            "delete from automation_flow_runs where tenant_id = :tenant",
            "delete from automation_flow_versions where tenant_id = :tenant",
            "delete from automation_flows where tenant_id = :tenant");

    private final JdbcClient jdbc;

    FlowsWorkspaceDeletion(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int order() {
        return 15;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        return WorkspaceDeletion.deleteInOrder(jdbc, tenantId, DELETES, new LinkedHashMap<>());
    }
}
