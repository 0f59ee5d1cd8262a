package hexa.contacts;

import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The contacts' part of erasing a person, the last one (the other modules' rows refer to the contact): the contact with
 * its tags, notes, timeline, consent ledger and ad referrals, and its place in bulk actions. Unlike deleting a contact it
 * writes no audit entry naming them (the erasure's own entry names nobody); it publishes {@link ContactsDeleted} like a
 * deletion, so that listeners forget the contact too.
 */
@Component
class ContactsErasure implements PersonErasure {

    private static final List<String> WITH_CONTACT = List.of("contact_tags", "contact_notes", "contact_events", "contact_consent_events", "contact_referrals");

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher publisher;

    ContactsErasure(JdbcClient jdbc, ApplicationEventPublisher publisher) {
        this.jdbc = jdbc;
        this.publisher = publisher;
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        Map<String, Long> removed = new LinkedHashMap<>();
        for (String table : WITH_CONTACT) {
            // Deleted with the contact by their foreign keys; counted first for the certificate.
            removed.put(table, jdbc.sql("select count(*) from " + table + " where tenant_id = :tenant and contact_id = :contact")
                    .param("tenant", person.tenantId()).param("contact", person.contactId()).query(Long.class).single());
        }
        removed.put("contact_bulk_job_items", (long) jdbc.sql("delete from contact_bulk_job_items where tenant_id = :tenant and contact_id = :contact")
                .param("tenant", person.tenantId()).param("contact", person.contactId()).update());
        removed.put("contacts", (long) jdbc.sql("delete from contacts where tenant_id = :tenant and id = :contact")
                .param("tenant", person.tenantId()).param("contact", person.contactId()).update());
        publisher.publishEvent(new ContactsDeleted(person.tenantId(), List.of(person.contactId())));
        return removed;
    }
}
