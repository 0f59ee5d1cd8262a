package hexa.contacts;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Contacts of the current workspace, as the channel and the inbox need them. */
@Service
public class ContactService {

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
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        Optional<Contact> existing = find(tenant, identity);
        if (existing.isEmpty()) {
            jdbc.sql("""
                    insert into contacts (tenant_id, id, profile_name, phone_e164, wa_id, whatsapp_user_id, created_at, updated_at, last_activity_at)
                    values (:tenant, :id, :profile, :phone, :waId, :userId, :now, :now, :now)
                    on conflict do nothing
                    """)
                    .param("tenant", tenant).param("id", Ids.newId()).param("profile", identity.profileName())
                    .param("phone", identity.waId() == null ? null : "+" + identity.waId()).param("waId", identity.waId())
                    .param("userId", identity.userId()).param("now", Sql.ts(now))
                    .update();
            return find(tenant, identity).orElseThrow();
        }
        Contact contact = existing.get();
        jdbc.sql("""
                update contacts
                   set profile_name = coalesce(:profile, profile_name),
                       wa_id = coalesce(wa_id, :waId),
                       phone_e164 = coalesce(phone_e164, :phone),
                       whatsapp_user_id = coalesce(whatsapp_user_id, :userId),
                       last_activity_at = greatest(last_activity_at, :now),
                       updated_at = :now
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", tenant).param("id", contact.id()).param("profile", identity.profileName())
                .param("waId", identity.waId()).param("phone", identity.waId() == null ? null : "+" + identity.waId())
                .param("userId", identity.userId()).param("now", Sql.ts(now))
                .update();
        return byId(contact.id()).orElseThrow();
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

    private Optional<Contact> find(UUID tenant, WhatsAppIdentity identity) {
        return jdbc.sql("""
                select * from contacts
                 where tenant_id = :tenant
                   and ((cast(:waId as text) is not null and wa_id = :waId) or (cast(:userId as text) is not null and whatsapp_user_id = :userId))
                 order by (wa_id = :waId) desc nulls last, created_at
                 limit 1
                """)
                .param("tenant", tenant).param("waId", identity.waId()).param("userId", identity.userId())
                .query(ContactService::map).optional();
    }

    static Contact map(ResultSet rs, int row) throws SQLException {
        return new Contact(Sql.uuid(rs, "id"), rs.getString("name"), rs.getString("profile_name"), rs.getString("phone_e164"),
                rs.getString("wa_id"), rs.getString("whatsapp_user_id"));
    }
}
