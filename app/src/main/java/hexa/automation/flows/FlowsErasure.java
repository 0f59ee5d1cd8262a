package hexa.automation.flows;

import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Erasing a person deletes their flow runs, with the steps and answers in them. */
@Component
class FlowsErasure implements PersonErasure {

    private final JdbcClient jdbc;

    FlowsErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int order() {
        return 15;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        Map<String, Long> removed = new LinkedHashMap<>();
        removed.put("automation_flow_run_steps", (long) jdbc.sql("""
                        delete from automation_flow_run_steps s using automation_flow_runs r
                         where r.tenant_id = :tenant and r.contact_id = :contact and s.tenant_id = r.tenant_id and s.run_id = r.id
                        """)
                .param("tenant", person.tenantId()).param("contact", person.contactId()).update());
        removed.put("automation_flow_runs", (long) jdbc.sql("delete from automation_flow_runs where tenant_id = :tenant and contact_id = :contact")
                .param("tenant", person.tenantId()).param("contact", person.contactId()).update());
        return removed;
    }
}
