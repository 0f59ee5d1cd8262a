package hexa.privacy;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.contacts.Contact;
import hexa.contacts.ContactNotes;
import hexa.contacts.ContactService;
import hexa.contacts.ConversationsOfContacts;
import hexa.platform.Ids;
import hexa.platform.database.AfterCommit;
import hexa.platform.database.Sql;
import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import hexa.whatsapp.media.MediaLibrary;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Erasing a person everywhere: the contact and everything that refers to it in every module (through each module's
 * {@link hexa.platform.privacy.PersonErasure}), an erasure certificate without personal data, and a line in the
 * {@link ErasureLedger}. Works in the current workspace; callers check {@code HANDLE_PERSONAL_DATA} (or act for an
 * approved public request).
 */
@Service
public class PersonErasures {

    private static final Logger log = LoggerFactory.getLogger(PersonErasures.class);

    /** The longest reason kept on a certificate. */
    public static final int MAX_REASON = 500;

    /** What an erasure removed, when and by whom; kept without personal data. */
    public record Certificate(UUID id, UUID tenantId, Instant erasedAt, String erasedBy, String reason, Map<String, Long> removed) {

        /** All rows removed or anonymised. */
        public long total() {
            return removed.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** What erasing a contact would remove, for the page that asks to confirm it. */
    public record Preview(int conversations, int messages, int files, int notes) {
    }

    /** One page of certificates, newest first. */
    public record CertificatePage(List<Certificate> items, int page, boolean hasNext) {
    }

    private final JdbcClient jdbc;
    private final List<PersonErasure> erasures;
    private final ContactService contacts;
    private final ContactNotes notes;
    private final ConversationsOfContacts conversations;
    private final MediaLibrary media;
    private final LegalHolds holds;
    private final ErasureLedger ledger;
    private final AuditTrail audit;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    PersonErasures(JdbcClient jdbc, List<PersonErasure> erasures, ContactService contacts, ContactNotes notes, ConversationsOfContacts conversations,
                   MediaLibrary media, LegalHolds holds, ErasureLedger ledger, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.erasures = erasures.stream().sorted(Comparator.comparingInt(PersonErasure::order)).toList();
        this.contacts = contacts;
        this.notes = notes;
        this.conversations = conversations;
        this.media = media;
        this.holds = holds;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    /** What erasing the contact of the current workspace would remove; an unknown one is not found. */
    public Preview preview(UUID contactId) {
        Contact contact = contacts.byId(contactId).orElseThrow(NotFoundException::new);
        ConversationsOfContacts.Counts counts = conversations.countOf(contact.id());
        return new Preview(counts.conversations(), counts.messages(), media.countOfContact(contact.id()), notes.of(contact.id()).size());
    }

    /**
     * Erases the contact now, in one transaction (its files are deleted in the background after the commit). A contact
     * on legal hold is refused with a conflict error; an unknown one is not found.
     *
     * @param reason why: "by a member", or the privacy request it answers
     */
    @Transactional
    public Certificate erase(UUID contactId, String reason) {
        return erase(contactId, reason, true);
    }

    /**
     * As {@link #erase(UUID, String)}; an erasure applied again after a restore ignores a legal hold the backup still
     * has, since the person was erased after it (a hold is released before an erasure).
     */
    @Transactional
    Certificate erase(UUID contactId, String reason, boolean respectHold) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw UserError.invalid("privacy.erasure.reason-required");
        }
        if (why.length() > MAX_REASON) {
            throw UserError.invalid("privacy.erasure.reason-too-long", MAX_REASON);
        }
        UUID tenant = TenantContext.tenantId();
        Contact contact = contacts.byId(contactId).orElseThrow(NotFoundException::new);
        if (respectHold && holds.isHeld(tenant, contact.id())) {
            throw UserError.conflict("privacy.erasure.held");
        }
        List<String> identities = ContactService.identitiesOf(contact);
        ErasedPerson person = new ErasedPerson(tenant, contact.id(), identities);
        Map<String, Long> removed = new TreeMap<>();
        for (PersonErasure erasure : erasures) {
            erasure.erase(person).forEach((table, rows) -> removed.merge(table, rows, Long::sum));
        }
        removed.put("privacy_legal_holds", (long) jdbc.sql("delete from privacy_legal_holds where tenant_id = :tenant and contact_id = :contact")
                .param("tenant", tenant).param("contact", contact.id()).update());

        Actor actor = TenantContext.actor();
        UUID id = Ids.newId();
        Instant now = clock.instant();
        jdbc.sql("""
                insert into privacy_erasures (tenant_id, id, erased_at, erased_by_kind, erased_by_id, erased_by_name, reason, removed)
                values (:tenant, :id, :at, :kind, :by, :name, :reason, cast(:removed as jsonb))
                """)
                .param("tenant", tenant).param("id", id).param("at", Sql.ts(now)).param("kind", kind(actor))
                .param("by", actor.userId() != null ? actor.userId() : actor.tokenId()).param("name", actor.name() == null ? "" : actor.name())
                .param("reason", why).param("removed", json.writeValueAsString(removed)).update();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rows", removed.values().stream().mapToLong(Long::longValue).sum());
        details.put("reason", why);
        audit.record(AuditEntry.of("privacy.person_erased").target("erasure", id, null).details(details));
        AfterCommit.run(() -> {
            try {
                ledger.append(now, tenant, id, identities);
            } catch (RuntimeException e) {
                // The erasure stands; only a restore of an older backup would miss it. Said loudly, for the operator.
                log.error("Erasure {} of workspace {} could not be written to the erasure ledger", id, tenant, e);
            }
        });
        return new Certificate(id, tenant, now, actor.name(), why, removed);
    }

    /** A certificate of the current workspace. */
    public Optional<Certificate> certificate(UUID id) {
        return jdbc.sql("select * from privacy_erasures where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query((rs, n) -> certificate(rs)).optional();
    }

    /** The current workspace's certificates, newest first, a page at a time (pages count from 0). */
    public CertificatePage certificates(int page, int size) {
        int at = Math.max(page, 0);
        List<Certificate> rows = jdbc.sql("select * from privacy_erasures where tenant_id = :tenant order by erased_at desc, id desc limit :limit offset :offset")
                .param("tenant", TenantContext.tenantId()).param("limit", size + 1).param("offset", (long) at * size)
                .query((rs, n) -> certificate(rs)).list();
        return new CertificatePage(rows.stream().limit(size).toList(), at, rows.size() > size);
    }

    private Certificate certificate(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Long> removed = json.readValue(rs.getString("removed"), new TypeReference<TreeMap<String, Long>>() {
        });
        return new Certificate(Sql.uuid(rs, "id"), Sql.uuid(rs, "tenant_id"), Sql.instant(rs, "erased_at"), rs.getString("erased_by_name"),
                rs.getString("reason"), removed);
    }

    private static String kind(Actor actor) {
        if (actor.userId() != null) {
            return "USER";
        }
        return actor.tokenId() != null ? "API_TOKEN" : "SYSTEM";
    }
}
