package hexa.contacts;

import hexa.platform.Ids;
import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Contacts of the current workspace, as the channel and the inbox need them. */
@Service
public class ContactService {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final Clock clock;

    ContactService(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * The contact of a WhatsApp identity, created on first contact. The profile name and any newly
     * learnt id are kept up to date; two webhooks racing for the same new person make one contact.
     */
    @Transactional
    public Contact identify(WhatsAppIdentity identity) {
        return byId(identifyAll(List.of(identity)).get(0)).orElseThrow();
    }

    /**
     * The contacts of several WhatsApp identities at once (a webhook's worth), in a few statements
     * whatever their number, with the outcome of calling {@link #identify} for each in turn: an identity
     * met earlier in the list counts as known to the later ones, the last profile name given wins, and
     * an id a contact lacked is learnt from the first identity that brings it. Answers each identity's
     * contact id, in order.
     */
    @Transactional
    public List<UUID> identifyAll(List<WhatsAppIdentity> identities) {
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        for (int attempt = 1; ; attempt++) {
            Resolution resolution = resolve(identities, findAll(tenant, identities));
            if (!resolution.created.isEmpty()) {
                JsonRows rows = new JsonRows();
                resolution.created.forEach(c -> rows.add().put("id", c.id).put("profile", c.profileName).put("wa_id", c.waId)
                        .put("user_id", c.userId));
                int inserted = jdbc.sql("""
                        insert into contacts (tenant_id, id, profile_name, phone_e164, wa_id, whatsapp_user_id, created_at, updated_at, last_activity_at)
                        select :tenant, r.id, r.profile, '+' || r.wa_id, r.wa_id, r.user_id, :now, :now, :now
                          from json_to_recordset(cast(:rows as json)) as r(id uuid, profile text, wa_id text, user_id text)
                        on conflict do nothing
                        """)
                        .param("tenant", tenant).param("rows", rows.json()).param("now", Sql.ts(now))
                        .update();
                if (inserted < resolution.created.size()) {
                    // Someone else created one of these people meanwhile: start again from what is stored.
                    if (attempt >= 3) {
                        throw new IllegalStateException("Could not create " + resolution.created.size() + " contacts: identities keep conflicting");
                    }
                    continue;
                }
            }
            if (!resolution.learnt.isEmpty()) {
                JsonRows rows = new JsonRows();
                resolution.learnt.forEach(c -> rows.add().put("id", c.id).put("profile", c.profileName).put("wa_id", c.waId)
                        .put("user_id", c.userId));
                jdbc.sql("""
                        update contacts c
                           set profile_name = coalesce(r.profile, c.profile_name),
                               wa_id = coalesce(c.wa_id, r.wa_id),
                               phone_e164 = coalesce(c.phone_e164, '+' || r.wa_id),
                               whatsapp_user_id = coalesce(c.whatsapp_user_id, r.user_id),
                               last_activity_at = greatest(c.last_activity_at, :now),
                               updated_at = :now
                          from json_to_recordset(cast(:rows as json)) as r(id uuid, profile text, wa_id text, user_id text)
                         where c.tenant_id = :tenant and c.id = r.id
                        """)
                        .param("tenant", tenant).param("rows", rows.json()).param("now", Sql.ts(now))
                        .update();
            }
            return resolution.contactIds;
        }
    }

    /** What one contact becomes after a batch of identities: the fields to set where it has none yet. */
    private static final class Learnt {
        final UUID id;
        String profileName;
        String waId;
        String userId;

        Learnt(UUID id, String waId, String userId) {
            this.id = id;
            this.waId = waId;
            this.userId = userId;
        }
    }

    private record Resolution(List<UUID> contactIds, Collection<Learnt> created, Collection<Learnt> learnt) {
    }

    /**
     * Plays {@link #identify} for each identity in turn against the stored contacts, in memory: which
     * contact each one is (the wa_id first, then the user id), which are new, and what the known ones learn.
     */
    private static Resolution resolve(List<WhatsAppIdentity> identities, List<Contact> stored) {
        Map<String, Learnt> byWaId = new HashMap<>();
        Map<String, Learnt> byUserId = new HashMap<>();
        for (Contact contact : stored) {
            Learnt state = new Learnt(contact.id(), contact.waId(), contact.whatsappUserId());
            if (contact.waId() != null) {
                byWaId.put(contact.waId(), state);
            } else if (contact.phoneE164() != null) {
                // Added by hand, an import or the API before the person ever wrote: their number is their wa_id.
                byWaId.putIfAbsent(contact.phoneE164().substring(1), state);
            }
            if (contact.whatsappUserId() != null) {
                byUserId.put(contact.whatsappUserId(), state);
            }
        }
        Map<UUID, Learnt> created = new LinkedHashMap<>();
        Map<UUID, Learnt> learnt = new LinkedHashMap<>();
        List<UUID> ids = new ArrayList<>(identities.size());
        for (WhatsAppIdentity identity : identities) {
            Learnt contact = identity.waId() == null ? null : byWaId.get(identity.waId());
            if (contact == null && identity.userId() != null) {
                contact = byUserId.get(identity.userId());
            }
            if (contact == null) {
                contact = new Learnt(Ids.newId(), identity.waId(), identity.userId());
                created.put(contact.id, contact);
            } else if (!created.containsKey(contact.id)) {
                learnt.put(contact.id, contact);
            }
            if (identity.profileName() != null) {
                contact.profileName = identity.profileName();
            }
            if (contact.waId == null && identity.waId() != null) {
                contact.waId = identity.waId();
            }
            if (contact.userId == null && identity.userId() != null) {
                contact.userId = identity.userId();
            }
            if (contact.waId != null) {
                byWaId.putIfAbsent(contact.waId, contact);
            }
            if (contact.userId != null) {
                byUserId.putIfAbsent(contact.userId, contact);
            }
            ids.add(contact.id);
        }
        return new Resolution(ids, created.values(), learnt.values());
    }

    /** A customer changed their number: the same contact, now reached at the new one; history stays. */
    @Transactional
    public void changeNumber(String oldWaId, String newWaId) {
        UUID tenant = TenantContext.tenantId();
        jdbc.sql("""
                update contacts set wa_id = :new, phone_e164 = '+' || :new, updated_at = :now
                 where tenant_id = :tenant and wa_id = :old
                   and not exists (select 1 from contacts c where c.tenant_id = :tenant and c.wa_id = :new)
                """)
                .param("tenant", tenant).param("old", oldWaId).param("new", newWaId).param("now", Sql.ts(clock.instant()))
                .update();
    }

    /** A customer's business-scoped user id changed. */
    @Transactional
    public void changeUserId(String waId, String oldUserId, String newUserId) {
        jdbc.sql("""
                update contacts set whatsapp_user_id = :new, updated_at = :now
                 where tenant_id = :tenant and (whatsapp_user_id = :old or (cast(:waId as text) is not null and wa_id = :waId))
                   and not exists (select 1 from contacts c where c.tenant_id = :tenant and c.whatsapp_user_id = :new)
                """)
                .param("tenant", TenantContext.tenantId()).param("old", oldUserId).param("new", newUserId).param("waId", waId)
                .param("now", Sql.ts(clock.instant()))
                .update();
    }

    public Optional<Contact> byId(UUID id) {
        return jdbc.sql("select * from contacts where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(ContactService::map).optional();
    }

    /** Several contacts at once (for a page of conversations): id → contact. */
    public java.util.Map<UUID, Contact> byIds(java.util.Collection<UUID> ids) {
        java.util.Map<UUID, Contact> found = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.sql("select * from contacts where tenant_id = :tenant and id = any(:ids)")
                .param("tenant", TenantContext.tenantId()).param("ids", ids.toArray(new UUID[0]))
                .query(ContactService::map).list().forEach(c -> found.put(c.id(), c));
        return found;
    }

    public Optional<Contact> byWaId(String waId) {
        return jdbc.sql("select * from contacts where tenant_id = :tenant and wa_id = :waId")
                .param("tenant", TenantContext.tenantId()).param("waId", waId).query(ContactService::map).optional();
    }

    /** The tags of several contacts at once, each list in alphabetical order: id → tags (absent when none). */
    public Map<UUID, List<String>> tagsOf(Collection<UUID> ids) {
        Map<UUID, List<String>> tags = new HashMap<>();
        if (ids.isEmpty()) {
            return tags;
        }
        jdbc.sql("select contact_id, tag from contact_tags where tenant_id = :tenant and contact_id = any(:ids) order by tag")
                .param("tenant", TenantContext.tenantId()).param("ids", ids.toArray(new UUID[0]))
                .query((rs, n) -> {
                    tags.computeIfAbsent(Sql.uuid(rs, "contact_id"), id -> new ArrayList<>()).add(rs.getString("tag"));
                    return null;
                }).list();
        return tags;
    }

    /** The stored contacts that any of these identities names, by wa_id or user id. */
    private List<Contact> findAll(UUID tenant, List<WhatsAppIdentity> identities) {
        JsonRows keys = new JsonRows();
        identities.forEach(identity -> keys.add().put("wa_id", identity.waId()).put("user_id", identity.userId()));
        return jdbc.sql("""
                select * from contacts
                 where tenant_id = :tenant
                   and (wa_id in (select r.wa_id from json_to_recordset(cast(:keys as json)) as r(wa_id text, user_id text))
                        or phone_e164 in (select '+' || r.wa_id from json_to_recordset(cast(:keys as json)) as r(wa_id text, user_id text))
                        or whatsapp_user_id in (select r.user_id from json_to_recordset(cast(:keys as json)) as r(wa_id text, user_id text)))
                """)
                .param("tenant", tenant).param("keys", keys.json())
                .query(ContactService::map).list();
    }

    static Contact map(ResultSet rs, int row) throws SQLException {
        String consentSource = rs.getString("marketing_consent_source");
        return new Contact(Sql.uuid(rs, "id"), rs.getString("name"), rs.getString("profile_name"), rs.getString("phone_e164"),
                rs.getString("wa_id"), rs.getString("whatsapp_user_id"), rs.getString("email"), rs.getString("company"),
                Sql.uuid(rs, "owner_id"), attributes(rs.getString("attributes")), Sql.instant(rs, "blocked_at"),
                new Contact.Consent(rs.getString("marketing_consent"), consentSource, Sql.instant(rs, "marketing_consent_at")),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "last_activity_at"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attributes(String json) {
        return json == null ? Map.of() : JSON.readValue(json, Map.class);
    }
}
