package hexa.audit;

import hexa.platform.privacy.PersonExport;
import java.io.IOException;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail's part of a person's export: {@code access.json}, who in the workspace opened, changed or exported
 * the contact, and when (members and API tokens by name; their addresses and browsers are the members' data, left out).
 */
@Component
class AuditExport implements PersonExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    AuditExport(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void export(UUID tenantId, UUID contactId, Sink sink) throws IOException {
        String access = jdbc.sql("""
                select coalesce(json_agg(json_build_object('at', e.occurred_at, 'action', e.action, 'byKind', e.actor_kind,
                         'byId', e.actor_id, 'by', e.actor_name, 'details', e.details) order by e.occurred_at, e.id), '[]'::json)::text
                  from audit_events e
                 where e.tenant_id = :tenant and e.target_type = 'contact' and e.target_id = :contact
                """).param("tenant", tenantId).param("contact", contactId.toString()).query(String.class).single();
        sink.json("access.json", JSON.readTree(access));
        sink.progress(1, 1);
    }
}
