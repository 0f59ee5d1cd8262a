package hexa.automation.rules;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;
import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.LOGS;
import static hexa.platform.privacy.PersonalTable.Expiry.OWN_TIMER;
import static hexa.platform.privacy.PersonalTable.customer;
import static hexa.platform.privacy.PersonalTable.none;

/** What the rules hold about customers: their log says which conversation, contact and message a rule was considered for. */
@Component
class RulesPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                none("automation_rules", KEPT, "The workspace's automation rules: triggers, conditions and actions."),
                none("automation_settings", KEPT, "The hourly limit of automatic replies per conversation."),
                customer("automation_rule_log", List.of("conversation_id", "contact_id", "message_id", "reason", "actions"),
                        "left out: a log of the workspace's automation (the replies it sent are in messages.json)", DELETE, LOGS,
                        "Each time a rule was considered for a conversation or contact: whether it fired, why not, what its actions did."),
                customer("automation_rule_passes", List.of("conversation_id", "contact_id", "message_id", "seen"),
                        "left out: a log of the workspace's automation (the replies it sent are in messages.json)", DELETE, LOGS,
                        "Each time the rules of a trigger were considered for a conversation or contact, the rules that did not fire and why:"
                                + " the condition that failed and what it saw (for example the message's text)."),
                none("automation_rule_sets", KEPT, "The rules' lineups the passes went through: rule ids and their conditions as they were."),
                customer("automation_rule_echoes", List.of("subject_id"), "left out: marks of the rules' loop guard, kept minutes", DELETE, OWN_TIMER,
                        "Marks that an event about a conversation or contact was caused by a rule (the loop guard); forgotten after an hour."));
    }
}
