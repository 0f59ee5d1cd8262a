package hexa.contacts;

import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A contact's tags. A tag is stored normalised (trimmed, inner spaces made one, lower case), so "VIP",
 * " vip " and "Vip" are one tag; at most 64 characters.
 */
@Service
class ContactTags {

    public static final int MAX = 64;

    private final JdbcClient jdbc;
    private final ContactEvents events;
    private final Clock clock;

    private final ApplicationEventPublisher publisher;

    ContactTags(JdbcClient jdbc, ContactEvents events, Clock clock, ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** The one spelling a tag is stored and matched in; a blank or too long tag is refused. */
    public static String normalise(String tag) {
        String value = tag == null ? "" : tag.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.length() > MAX) {
            throw UserError.invalid("contacts.core.tag-invalid", MAX);
        }
        return value;
    }

    /** Several tags normalised, each once, in the order given. */
    public static List<String> normaliseAll(Collection<String> tags) {
        Set<String> distinct = new LinkedHashSet<>();
        tags.forEach(t -> distinct.add(normalise(t)));
        return List.copyOf(distinct);
    }

    /** Adds the tag (nothing happens when the contact has it); the caller has checked the contact. */
    @Transactional
    public String add(UUID contactId, String tag) {
        String value = normalise(tag);
        int added = jdbc.sql("""
                insert into contact_tags (tenant_id, contact_id, tag, created_at) values (:tenant, :contact, :tag, :now)
                on conflict do nothing
                """)
                .param("tenant", TenantContext.tenantId()).param("contact", contactId).param("tag", value)
                .param("now", Sql.ts(clock.instant())).update();
        if (added > 0) {
            events.record(contactId, ContactEvents.TAG_ADDED, Map.of("tag", value));
            publisher.publishEvent(new ContactsTagged(TenantContext.tenantId(), List.of(contactId), value));
        }
        return value;
    }

    /** Removes the tag, matched whatever its case; answers whether the contact had it. */
    @Transactional
    public boolean remove(UUID contactId, String tag) {
        String value;
        try {
            value = normalise(tag);
        } catch (UserError e) {
            return false;
        }
        int removed = jdbc.sql("delete from contact_tags where tenant_id = :tenant and contact_id = :contact and tag = :tag")
                .param("tenant", TenantContext.tenantId()).param("contact", contactId).param("tag", value).update();
        if (removed > 0) {
            events.record(contactId, ContactEvents.TAG_REMOVED, Map.of("tag", value));
            publisher.publishEvent(new ContactsUntagged(TenantContext.tenantId(), List.of(contactId), value));
        }
        return removed > 0;
    }

    /** Makes the contact's tags exactly these (already normalised). */
    @Transactional
    public void replace(UUID contactId, List<String> tags) {
        List<String> current = jdbc.sql("select tag from contact_tags where tenant_id = :tenant and contact_id = :contact")
                .param("tenant", TenantContext.tenantId()).param("contact", contactId).query(String.class).list();
        for (String tag : current) {
            if (!tags.contains(tag)) {
                remove(contactId, tag);
            }
        }
        for (String tag : tags) {
            if (!current.contains(tag)) {
                add(contactId, tag);
            }
        }
    }
}
