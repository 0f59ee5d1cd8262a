package hexa.privacy;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Legal holds: a held contact is skipped by retention's purges and refused by erasure until released. Holding and
 * releasing are audited. Callers check the permission ({@code MANAGE_PRIVACY}); this service works in the current
 * workspace.
 */
@Service
public class LegalHolds {

    /** A hold, active or released. */
    public record Hold(UUID id, UUID contactId, String reason, String heldByName, Instant heldAt, String releasedByName, Instant releasedAt) {
        public boolean active() {
            return releasedAt == null;
        }
    }

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final Clock clock;

    LegalHolds(JdbcClient jdbc, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** Holds the contact with a reason; holding one already held changes nothing. */
    @Transactional
    public Hold hold(UUID contactId, String contactName, String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw UserError.invalid("privacy.hold.reason-required");
        }
        if (why.length() > 1000) {
            throw UserError.invalid("privacy.hold.reason-too-long");
        }
        Optional<Hold> existing = active(contactId);
        if (existing.isPresent()) {
            return existing.get();
        }
        Actor actor = TenantContext.actor();
        UUID id = Ids.newId();
        Instant now = clock.instant();
        jdbc.sql("""
                insert into privacy_legal_holds (tenant_id, id, contact_id, reason, held_by, held_by_name, held_at)
                values (:tenant, :id, :contact, :reason, :by, :name, :at)
                """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("contact", contactId).param("reason", why)
                .param("by", actor.userId()).param("name", actor.name()).param("at", Sql.ts(now)).update();
        audit.record(AuditEntry.of("privacy.hold_placed").target("contact", contactId, contactName).details(Map.of("reason", why)));
        return new Hold(id, contactId, why, actor.name(), now, null, null);
    }

    /** Releases the contact's active hold, if any; answers whether there was one. */
    @Transactional
    public boolean release(UUID contactId, String contactName) {
        Actor actor = TenantContext.actor();
        int released = jdbc.sql("""
                update privacy_legal_holds set released_by = :by, released_by_name = :name, released_at = :at
                 where tenant_id = :tenant and contact_id = :contact and released_at is null
                """)
                .param("tenant", TenantContext.tenantId()).param("contact", contactId)
                .param("by", actor.userId()).param("name", actor.name()).param("at", Sql.ts(clock.instant())).update();
        if (released > 0) {
            audit.record(AuditEntry.of("privacy.hold_released").target("contact", contactId, contactName));
        }
        return released > 0;
    }

    /** The contact's active hold in the current workspace. */
    public Optional<Hold> active(UUID contactId) {
        return history(contactId).stream().filter(Hold::active).findFirst();
    }

    public boolean isHeld(UUID tenantId, UUID contactId) {
        return jdbc.sql("select exists (select 1 from privacy_legal_holds where tenant_id = :tenant and contact_id = :contact and released_at is null)")
                .param("tenant", tenantId).param("contact", contactId).query(Boolean.class).single();
    }

    /** Every contact of the workspace on hold now: retention's purges skip them. */
    public Set<UUID> held(UUID tenantId) {
        return Set.copyOf(jdbc.sql("select contact_id from privacy_legal_holds where tenant_id = :tenant and released_at is null")
                .param("tenant", tenantId).query(UUID.class).list());
    }

    /** The contact's holds, newest first, in the current workspace. */
    public List<Hold> history(UUID contactId) {
        return jdbc.sql("""
                select id, contact_id, reason, held_by_name, held_at, released_by_name, released_at from privacy_legal_holds
                 where tenant_id = :tenant and contact_id = :contact order by held_at desc
                """)
                .param("tenant", TenantContext.tenantId()).param("contact", contactId)
                .query((rs, n) -> new Hold(Sql.uuid(rs, "id"), Sql.uuid(rs, "contact_id"), rs.getString("reason"), rs.getString("held_by_name"),
                        Sql.instant(rs, "held_at"), rs.getString("released_by_name"), Sql.instant(rs, "released_at"))).list();
    }
}
