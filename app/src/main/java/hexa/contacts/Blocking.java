package hexa.contacts;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Blocking a contact: their messages are still stored and shown, but raise no notification (no unread
 * marker, no live alert, no assignment notice) and start no automation (no round-robin assignment, no
 * keyword replies, and nothing of rules or flows to come). This class is the one place that says
 * whether a contact is blocked: whatever reacts to customers' messages asks it.
 */
@Service
public class Blocking {

    /** What blocking or unblocking did: whether anything changed, and the contact as it is now. */
    public record Change(boolean changed, Contact contact) {
    }

    private final JdbcClient jdbc;
    private final ContactService contacts;
    private final AuditTrail audit;
    private final Clock clock;

    private final ContactEvents timeline;

    Blocking(JdbcClient jdbc, ContactService contacts, AuditTrail audit, Clock clock, ContactEvents timeline) {
        this.timeline = timeline;
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.audit = audit;
        this.clock = clock;
    }

    public boolean isBlocked(UUID contactId) {
        return !blockedAmong(Set.of(contactId)).isEmpty();
    }

    /** Which of these contacts are blocked: one primary-key lookup for a whole webhook batch. */
    public Set<UUID> blockedAmong(Collection<UUID> contactIds) {
        if (contactIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("select id from contacts where tenant_id = :tenant and id = any(:ids) and blocked_at is not null")
                .param("tenant", TenantContext.tenantId()).param("ids", new HashSet<>(contactIds).toArray(new UUID[0]))
                .query(UUID.class).list());
    }

    /** Blocks the contact from now on (already blocked: nothing changes); audited and on the contact's timeline. */
    @Transactional
    public Change block(UUID contactId) {
        return change(contactId, true);
    }

    /** Normal behaviour again for the contact's next messages; what arrived while blocked stays as it was. */
    @Transactional
    public Change unblock(UUID contactId) {
        return change(contactId, false);
    }

    private Change change(UUID contactId, boolean block) {
        UUID tenant = TenantContext.tenantId();
        Actor actor = TenantContext.actor();
        Contact contact = contacts.byId(contactId).orElseThrow(NotFoundException::new);
        Instant now = clock.instant();
        int changed = jdbc.sql(block
                        ? "update contacts set blocked_at = :now, blocked_by = :actor, updated_at = :now where tenant_id = :tenant and id = :id and blocked_at is null"
                        : "update contacts set blocked_at = null, blocked_by = null, updated_at = :now where tenant_id = :tenant and id = :id and blocked_at is not null")
                .param("tenant", tenant).param("id", contactId).param("now", Sql.ts(now)).param("actor", actor.userId())
                .update();
        if (changed == 0) {
            return new Change(false, contact);
        }
        String kind = block ? "blocked" : "unblocked";
        timeline.recordEach(tenant, actor.userId() != null ? actor.userId() : actor.tokenId(), now, kind,
                Map.of(contactId, actor.tokenId() != null ? Map.<String, Object>of("via", "api") : Map.<String, Object>of()));
        audit.record(AuditEntry.of("contact." + kind).target("contact", contactId, contact.displayName()));
        return new Change(true, contacts.byId(contactId).orElseThrow());
    }
}
