package hexa.contacts;

import hexa.platform.Ids;
import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one writer of {@code contact_events}: the lines of a contact's timeline that are not conversations, notes
 * or consent changes: the contact created or imported, a field or attribute changed (from, to), a tag added or
 * removed, blocked or unblocked, a merge. One at a time ({@link #record}, naming who did it as they were called
 * then) or a line for each of many contacts in one statement ({@link #recordEach}, for bulk and import chunks).
 */
@Component
public class ContactEvents {

    static final String CREATED = "created";
    static final String FIELD_CHANGED = "field_changed";
    static final String ATTRIBUTE_CHANGED = "attribute_changed";
    static final String TAG_ADDED = "tag_added";
    static final String TAG_REMOVED = "tag_removed";
    static final String MERGED = "merged";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final Clock clock;

    ContactEvents(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void record(UUID contactId, String kind, Map<String, Object> details) {
        Actor actor = TenantContext.actor();
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.put("actorName", actor.name());
        jdbc.sql("""
                insert into contact_events (tenant_id, id, contact_id, kind, actor_id, details, created_at)
                values (:tenant, :id, :contact, :kind, :actor, cast(:details as jsonb), :now)
                """)
                .param("tenant", actor.tenantId()).param("id", Ids.newId()).param("contact", contactId).param("kind", kind)
                .param("actor", actor.userId())
                .param("details", JSON.writeValueAsString(all)).param("now", Sql.ts(clock.instant()))
                .update();
    }

    /**
     * A line of {@code kind} on each contact given, with its own details, by {@code actorId} (a member, a token, or
     * null for the system), in one statement whatever their number.
     */
    public void recordEach(UUID tenant, UUID actorId, Instant at, String kind, Map<UUID, Map<String, Object>> detailsByContact) {
        if (detailsByContact.isEmpty()) {
            return;
        }
        JsonRows rows = new JsonRows();
        detailsByContact.forEach((contact, details) -> rows.add().put("id", Ids.newId()).put("contact", contact)
                .put("details", JSON.writeValueAsString(details)));
        jdbc.sql("""
                insert into contact_events (tenant_id, id, contact_id, kind, actor_id, details, created_at)
                select :tenant, r.id, r.contact, :kind, :actor, cast(r.details as jsonb), :at
                  from json_to_recordset(cast(:rows as json)) as r(id uuid, contact uuid, details text)
                """)
                .param("tenant", tenant).param("kind", kind).param("actor", actorId).param("at", Sql.ts(at)).param("rows", rows.json())
                .update();
    }

    static Map<String, Object> change(String name, Object from, Object to) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", name);
        details.put("from", from);
        details.put("to", to);
        return details;
    }
}
