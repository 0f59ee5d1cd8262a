package hexa.automation.flows;

import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.MESSAGES;
import static hexa.platform.privacy.PersonalTable.Expiry.WITH_OWNER;
import static hexa.platform.privacy.PersonalTable.customer;
import static hexa.platform.privacy.PersonalTable.none;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** What chatbot flows hold about customers: their runs, with the answers they gave, and the steps each run took. */
@Component
class FlowsPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                customer("automation_flow_runs", List.of("conversation_id", "contact_id", "answers", "last_answer"), "flow-runs.json", DELETE, MESSAGES,
                        "Runs of chatbot flows in a customer's conversations, with the answers collected; they expire with the messages."),
                customer("automation_flow_run_steps", List.of("run_id", "answer", "message_id"), "flow-runs.json, steps", DELETE, WITH_OWNER,
                        "Each step a run took, with the customer's answer there."),
                none("automation_flows", KEPT, "The business's chatbot flows and their drafts."),
                none("automation_flow_versions", KEPT, "The published versions of the flows."));
    }
}
