package hexa.contacts;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two contacts that are one person become one. The kept contact receives the other's conversations
 * (and messages), notes, tags, the attribute values and fields it lacks, the consent history (the
 * more recent consent state wins), timeline and, if it has none, the other's WhatsApp identity; then
 * the other is deleted. One transaction; the audit trail and the kept contact's timeline record it.
 */
@Service
class ContactMerge {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final ContactService contacts;
    private final ConversationsOfContacts conversations;
    private final ContactEvents events;
    private final AuditTrail audit;
    private final java.time.Clock clock;

    private final ApplicationEventPublisher publisher;

    ContactMerge(JdbcClient jdbc, ContactService contacts, ConversationsOfContacts conversations, ContactEvents events, AuditTrail audit,
                 java.time.Clock clock, ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.clock = clock;
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.conversations = conversations;
        this.events = events;
        this.audit = audit;
    }

    /** What a merge moved, as the confirmation and the API tell it. */
    public record Outcome(Contact kept, UUID mergedContactId, int conversations, int messages, int notes, int tagsAdded,
                          List<String> attributesTaken, boolean whatsappIdentityMoved) {
    }

    @Transactional
    public Outcome merge(UUID keptId, UUID otherId) {
        if (keptId.equals(otherId)) {
            throw UserError.invalid("contacts.core.merge-same");
        }
        // Locked in a fixed order, so two merges of the same pair the other way round do not deadlock.
        Contact kept;
        Contact other;
        if (keptId.compareTo(otherId) < 0) {
            kept = contacts.lock(keptId);
            other = contacts.lock(otherId);
        } else {
            other = contacts.lock(otherId);
            kept = contacts.lock(keptId);
        }
        UUID tenant = TenantContext.tenantId();
        ConversationsOfContacts.Counts moved = conversations.moveAll(otherId, keptId);
        int notes = move("contact_notes", tenant, otherId, keptId);
        move("contact_consent_events", tenant, otherId, keptId);
        move("contact_events", tenant, otherId, keptId);
        move("contact_referrals", tenant, otherId, keptId);
        int tagsAdded = jdbc.sql("""
                insert into contact_tags (tenant_id, contact_id, tag, created_at)
                select tenant_id, :kept, tag, created_at from contact_tags where tenant_id = :tenant and contact_id = :other
                on conflict do nothing
                """).param("tenant", tenant).param("kept", keptId).param("other", otherId).update();

        Map<String, Object> attributes = new LinkedHashMap<>(other.attributes());
        List<String> taken = new ArrayList<>();
        other.attributes().keySet().stream().filter(k -> !kept.attributes().containsKey(k)).sorted().forEach(taken::add);
        attributes.putAll(kept.attributes());

        String waId = kept.waId();
        String phone = kept.phoneE164();
        boolean identityMoved = false;
        if (kept.waId() == null && other.waId() != null) {
            // The number the person writes from is who they are on WhatsApp: the kept contact takes it.
            waId = other.waId();
            phone = other.phoneE164();
            identityMoved = true;
        } else if (phone == null && other.phoneE164() != null && other.waId() == null) {
            phone = other.phoneE164();
        }
        String userId = kept.whatsappUserId();
        if (userId == null && other.whatsappUserId() != null) {
            userId = other.whatsappUserId();
            identityMoved = true;
        }
        Contact.Consent consent = newer(kept.consent(), other.consent());

        UUID blockedBy = jdbc.sql("select blocked_by from contacts where tenant_id = :tenant and id = :id")
                .param("tenant", tenant).param("id", otherId).query((rs, n) -> java.util.Optional.ofNullable(Sql.uuid(rs, "blocked_by"))).single().orElse(null);
        jdbc.sql("delete from contacts where tenant_id = :tenant and id = :id").param("tenant", tenant).param("id", otherId).update();
        jdbc.sql("""
                update contacts k
                   set name = coalesce(k.name, :name), profile_name = coalesce(k.profile_name, :profileName),
                       email = coalesce(k.email, :email), company = coalesce(k.company, :company), owner_id = coalesce(k.owner_id, :owner),
                       wa_id = :waId, phone_e164 = :phone, whatsapp_user_id = :userId, attributes = cast(:attributes as jsonb),
                       blocked_at = coalesce(k.blocked_at, :blockedAt), blocked_by = coalesce(k.blocked_by, :blockedBy),
                       marketing_consent = :consent, marketing_consent_source = :consentSource, marketing_consent_at = :consentAt,
                       last_activity_at = greatest(k.last_activity_at, :lastActivity), created_at = least(k.created_at, :createdAt),
                       updated_at = :now
                 where k.tenant_id = :tenant and k.id = :id
                """)
                .param("tenant", tenant).param("id", keptId).param("name", other.name()).param("profileName", other.profileName())
                .param("email", other.email()).param("company", other.company()).param("owner", other.ownerId())
                .param("waId", waId).param("phone", phone).param("userId", userId).param("attributes", JSON.writeValueAsString(attributes))
                .param("blockedAt", ts(other.blockedAt())).param("blockedBy", blockedBy).param("now", Sql.ts(clock.instant()))
                .param("consent", consent.marketing()).param("consentSource", consent.source()).param("consentAt", ts(consent.at()))
                .param("lastActivity", ts(other.lastActivityAt())).param("createdAt", ts(other.createdAt()))
                .update();

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mergedContactId", otherId.toString());
        details.put("mergedName", other.displayName());
        details.put("conversations", moved.conversations());
        details.put("messages", moved.messages());
        details.put("notes", notes);
        details.put("tagsAdded", tagsAdded);
        details.put("attributesTaken", taken);
        details.put("whatsappIdentityMoved", identityMoved);
        events.record(keptId, ContactEvents.MERGED, details);
        audit.record(AuditEntry.of("contact.merged").target("contact", keptId, kept.displayName()).details(details));
        publisher.publishEvent(new ContactsMerged(TenantContext.tenantId(), keptId, otherId));
        return new Outcome(contacts.get(keptId), otherId, moved.conversations(), moved.messages(), notes, tagsAdded, taken, identityMoved);
    }

    /** The more recent of two consent states; a known one over none. */
    private static Contact.Consent newer(Contact.Consent kept, Contact.Consent other) {
        if (other.at() == null) {
            return kept;
        }
        if (kept.at() == null || other.at().isAfter(kept.at())) {
            return other;
        }
        return kept;
    }

    private int move(String table, UUID tenant, UUID from, UUID to) {
        return jdbc.sql("update " + table + " set contact_id = :to where tenant_id = :tenant and contact_id = :from")
                .param("tenant", tenant).param("from", from).param("to", to).update();
    }

    private static java.time.OffsetDateTime ts(Instant instant) {
        return instant == null ? null : Sql.ts(instant);
    }
}
