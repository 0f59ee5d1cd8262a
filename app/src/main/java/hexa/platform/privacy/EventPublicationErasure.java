package hexa.platform.privacy;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The platform's part of erasing a person: domain events still in the publication registry that name the contact, or
 * carry one of its identities as a JSON string, go (their listeners had nothing left to do for someone erased).
 */
@Component
class EventPublicationErasure implements PersonErasure {

    private final JdbcClient jdbc;

    EventPublicationErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        String[] quoted = person.identities().stream().map(i -> "%\"" + i.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "\"%")
                .toArray(String[]::new);
        // The registry is shared by all workspaces: a number counts only in an event of the person's workspace.
        long removed = jdbc.sql("""
                delete from event_publication
                 where serialized_event like :contact
                    or (serialized_event like :tenant and serialized_event like any(:quoted))
                """)
                .param("contact", "%" + person.contactId() + "%").param("tenant", "%" + person.tenantId() + "%").param("quoted", quoted).update();
        return Map.of("event_publication", removed);
    }
}
