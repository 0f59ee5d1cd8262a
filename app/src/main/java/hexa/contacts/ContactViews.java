package hexa.contacts;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Who in the workspace looked at a contact, for the person's export ("who accessed my data, when") and the audit log:
 * a member opening the contact's page or an API token reading the contact is recorded as {@code contact.viewed}, at
 * most once an hour per viewer and contact, so that the log stays small.
 */
@Component
class ContactViews {

    static final Duration ONCE_PER = Duration.ofHours(1);

    private final AuditTrail audit;

    ContactViews(AuditTrail audit) {
        this.audit = audit;
    }

    void viewed(Contact contact) {
        audit.recordUnlessRecent(AuditEntry.of("contact.viewed").target("contact", contact.id(), contact.displayName()), ONCE_PER);
    }
}
