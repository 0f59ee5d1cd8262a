package hexa.platform.privacy;

import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.OWN_TIMER;
import static hexa.platform.privacy.PersonalTable.customer;
import static hexa.platform.privacy.PersonalTable.member;
import static hexa.platform.privacy.PersonalTable.none;

import java.util.List;
import org.springframework.stereotype.Component;

/** The tables libraries keep for the platform: sessions, the event registry, the schema's history, the timers. */
@Component
class PlatformPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                member("spring_session", List.of("principal_name"), OWN_TIMER, "Signed-in sessions, until signed out or idle past the timeout."),
                member("spring_session_attributes", List.of("attribute_bytes"), OWN_TIMER, "What a session holds (who is signed in, the CSRF token)."),
                customer("event_publication", List.of("serialized_event"), "left out: domain events waiting for their listeners", DELETE, OWN_TIMER,
                        "Domain events in flight (they may carry a message's text); deleted as soon as every listener has handled them."),
                none("flyway_schema_history", KEPT, "The database schema's migrations."),
                none("scheduled_tasks", OWN_TIMER, "Durable timers (time-based rules, flow timeouts): ids only; deleted when they fire or are cancelled."));
    }
}
