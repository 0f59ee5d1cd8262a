package hexa.contacts;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.tenant.TenantContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deleting one contact with everything about them. It lives apart from {@link ContactService} because it
 * reaches into the inbox (a contact's conversations go with them), and the inbox reaches back to contacts.
 */
@Service
class ContactDeletion {

    private final JdbcClient jdbc;
    private final ContactService contacts;
    private final ConversationsOfContacts conversations;
    private final AuditTrail audit;

    private final ApplicationEventPublisher publisher;

    ContactDeletion(JdbcClient jdbc, ContactService contacts, ConversationsOfContacts conversations, AuditTrail audit, ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.conversations = conversations;
        this.audit = audit;
    }

    /** What deleting a contact deletes with it: their conversations and messages. */
    public ConversationsOfContacts.Counts deletionOf(UUID id) {
        return conversations.countOf(contacts.get(id).id());
    }

    /**
     * Deletes the contact and, in the same transaction, every conversation with them (messages, files,
     * notes, tags): a conversation cannot outlive its person. Their notes, tags, consent history and
     * timeline go too. The audit trail records it with what was deleted.
     */
    @Transactional
    public ConversationsOfContacts.Counts delete(UUID id) {
        Contact contact = contacts.lock(id);
        ConversationsOfContacts.Counts deleted = conversations.deleteAll(id);
        jdbc.sql("delete from contacts where tenant_id = :tenant and id = :id").param("tenant", TenantContext.tenantId()).param("id", id).update();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("conversations", deleted.conversations());
        details.put("messages", deleted.messages());
        audit.record(AuditEntry.of("contact.deleted").target("contact", id, contact.displayName()).details(details));
        publisher.publishEvent(new ContactsDeleted(TenantContext.tenantId(), java.util.List.of(id)));
        return deleted;
    }
}
