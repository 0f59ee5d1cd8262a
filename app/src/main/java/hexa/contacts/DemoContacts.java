package hexa.contacts;

import hexa.platform.DemoConversationsSeeded;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** {@code ./hexa run --demo}: the demo customers' contacts get their tags and a note, as a person would give them. */
@Component
class DemoContacts {

    private final ContactService contacts;
    private final ContactNotes notes;

    DemoContacts(ContactService contacts, ContactNotes notes) {
        this.contacts = contacts;
        this.notes = notes;
    }

    @Order(10)
    @EventListener
    void seeded(DemoConversationsSeeded demo) {
        for (DemoConversationsSeeded.Customer customer : demo.customers()) {
            contacts.byWaId(customer.waId()).ifPresent(contact -> {
                if (!customer.tags().isEmpty()) {
                    contacts.update(contact.id(), new ContactChanges().tags(customer.tags()));
                }
                if (customer.contactNote() != null) {
                    notes.add(contact.id(), customer.contactNote());
                }
            });
        }
    }
}
