package hexa.campaigns;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;
import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.MESSAGES;
import static hexa.platform.privacy.PersonalTable.customer;
import static hexa.platform.privacy.PersonalTable.none;

/**
 * What campaigns hold about customers: one row per recipient, with what became of the message they were sent. The rows
 * expire with the messages (90 days by default): they are the messages' delivery record, and keeping who was sent what
 * for longer than the message itself would outlive the promise the messages' retention makes.
 */
@Component
class CampaignsPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                none("campaigns", KEPT, "The workspace's campaigns: name, template, variables' sources, audience definition, numbers, schedule."),
                customer("campaign_recipients", List.of("contact_id", "message_id", "country", "state", "exclusion", "queued_at", "sent_at",
                                "delivered_at", "read_at", "replied_at", "clicked_at", "failed_at", "error_code", "error_title", "cost"),
                        "campaign-receipts.json", DELETE, MESSAGES,
                        "Each campaign's recipients: who was to get it or why not (no consent, opted out, blocked…), and what became of"
                                + " the message (queued, sent, delivered, read, replied, failed). Expire with the messages, once the campaign"
                                + " has ended that long ago."));
    }
}
