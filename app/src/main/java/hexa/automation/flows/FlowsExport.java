package hexa.automation.flows;

import hexa.platform.privacy.PersonExport;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A person's export holds their flow runs: which flow, when, how it ended, the answers they gave and the steps taken. */
@Component
class FlowsExport implements PersonExport {

    private final JdbcClient jdbc;
    private final FlowRuns runs;

    FlowsExport(JdbcClient jdbc, FlowRuns runs) {
        this.jdbc = jdbc;
        this.runs = runs;
    }

    record ExportedRun(FlowRun run, List<FlowRun.StepTaken> steps) {
    }

    @Override
    public void export(UUID tenantId, UUID contactId, Sink sink) throws IOException {
        List<ExportedRun> exported = new ArrayList<>();
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenantId, "Export"))) {
            List<UUID> ids = jdbc.sql("select id from automation_flow_runs where tenant_id = :tenant and contact_id = :contact order by started_at")
                    .param("tenant", tenantId).param("contact", contactId).query(UUID.class).list();
            for (UUID id : ids) {
                runs.find(id).ifPresent(run -> exported.add(new ExportedRun(run, runs.steps(id))));
            }
        }
        if (!exported.isEmpty()) {
            sink.json("flow-runs.json", exported);
        }
    }
}
