package hexa.audit;

import static hexa.platform.privacy.PersonalTable.Erasure.ANONYMIZE;
import static hexa.platform.privacy.PersonalTable.Expiry.LOGS;
import static hexa.platform.privacy.PersonalTable.customer;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** The audit log: who did what to whom, including who opened a contact. */
@Component
class AuditPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(customer("audit_events", List.of("target_id", "target_name", "details", "actor_name", "ip_address", "user_agent"),
                "access.json: who in the workspace opened, changed or exported the contact, and when", ANONYMIZE, LOGS,
                "Sensitive actions and accesses, by members, tokens and the system. Erasure keeps the action, who did it and when, and "
                        + "replaces the person's name and details by \"a person erased on …\"."));
    }
}
