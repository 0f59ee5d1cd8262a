package hexa.contacts;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Contacts with every CRM field set, written as rows for the list's tests. The list reads what the contact page,
 * imports and the consent service write; until those are merged beside it, its tests lay the rows down themselves
 * (one insert per contact, the columns of V17).
 */
final class ContactRows {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final UUID tenant;

    ContactRows(JdbcClient jdbc, UUID tenant) {
        this.jdbc = jdbc;
        this.tenant = tenant;
    }

    /** A contact to write; change what the test needs, then {@link #save()}. */
    final class Draft {
        final UUID id = Ids.newId();
        String name;
        String phone;
        String email;
        String company;
        UUID owner;
        Map<String, Object> attributes = Map.of();
        String consent = "unknown";
        String consentSource;
        Instant consentAt;
        Instant blockedAt;
        Instant createdAt = Instant.parse("2026-01-01T00:00:00Z");
        Instant lastActivityAt;
        List<String> tags = new ArrayList<>();

        Draft name(String value) { name = value; return this; }
        Draft phone(String value) { phone = value; return this; }
        Draft email(String value) { email = value; return this; }
        Draft company(String value) { company = value; return this; }
        Draft owner(UUID value) { owner = value; return this; }
        Draft attributes(Map<String, Object> value) { attributes = value; return this; }
        Draft consent(String state, String source, Instant at) { consent = state; consentSource = source; consentAt = at; return this; }
        Draft blocked(Instant at) { blockedAt = at; return this; }
        Draft created(Instant at) { createdAt = at; return this; }
        Draft active(Instant at) { lastActivityAt = at; return this; }
        Draft tags(String... values) { tags = new ArrayList<>(List.of(values)); return this; }

        UUID save() {
            jdbc.sql("""
                    insert into contacts (tenant_id, id, name, phone_e164, email, company, owner_id, attributes, marketing_consent,
                                          marketing_consent_source, marketing_consent_at, blocked_at, created_at, updated_at, last_activity_at)
                    values (:tenant, :id, :name, :phone, :email, :company, :owner, cast(:attributes as jsonb), :consent, :source, :consentAt,
                            :blockedAt, :created, :created, :active)
                    """)
                    .param("tenant", tenant).param("id", id).param("name", name)
                    .param("phone", phone == null ? "+91" + (9000000000L + Math.abs(id.getLeastSignificantBits() % 999999999L)) : phone)
                    .param("email", email).param("company", company).param("owner", owner)
                    .param("attributes", JSON.writeValueAsString(attributes)).param("consent", consent).param("source", consentSource)
                    .param("consentAt", Sql.ts(consentAt)).param("blockedAt", Sql.ts(blockedAt)).param("created", Sql.ts(createdAt))
                    .param("active", Sql.ts(lastActivityAt))
                    .update();
            for (String tag : tags) {
                jdbc.sql("insert into contact_tags (tenant_id, contact_id, tag, created_at) values (:tenant, :id, :tag, now())")
                        .param("tenant", tenant).param("id", id).param("tag", tag).update();
            }
            return id;
        }
    }

    Draft contact(String name) {
        return new Draft().name(name);
    }

    void attribute(String key, String label, String type, String... options) {
        jdbc.sql("""
                insert into contact_attributes (tenant_id, key, label, type, options, position, created_at)
                values (:tenant, :key, :label, :type, :options, (select count(*) from contact_attributes where tenant_id = :tenant), now())
                """)
                .param("tenant", tenant).param("key", key).param("label", label).param("type", type).param("options", options)
                .update();
    }
}
