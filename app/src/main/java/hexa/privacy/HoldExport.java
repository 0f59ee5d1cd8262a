package hexa.privacy;

import hexa.platform.privacy.PersonExport;
import java.io.IOException;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The privacy module's part of a person's export: {@code hold.json}, the legal holds on the contact with their reasons. */
@Component
class HoldExport implements PersonExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    HoldExport(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void export(UUID tenantId, UUID contactId, Sink sink) throws IOException {
        String holds = jdbc.sql("""
                select coalesce(json_agg(json_build_object('reason', h.reason, 'heldBy', h.held_by_name, 'heldAt', h.held_at,
                         'releasedBy', h.released_by_name, 'releasedAt', h.released_at) order by h.held_at), '[]'::json)::text
                  from privacy_legal_holds h where h.tenant_id = :tenant and h.contact_id = :contact
                """).param("tenant", tenantId).param("contact", contactId).query(String.class).single();
        sink.json("hold.json", JSON.readTree(holds));
        sink.progress(1, 1);
    }
}
