package hexa.campaigns;

import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.WITH_OWNER;
import static hexa.platform.privacy.PersonalTable.customer;
import static hexa.platform.privacy.PersonalTable.member;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** What the campaigns module holds about people: who a campaign went to and how far each message got; who made it. */
@Component
class CampaignsPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                customer("campaign_recipients", List.of("contact_id", "message_id", "country", "error_title"),
                        "left out: which campaigns reached the person (the messages themselves are in messages.json)", DELETE, WITH_OWNER,
                        "One row per contact per campaign: excluded and why, or the message's way (queued, sent, delivered, read, replied, "
                                + "failed with Meta's reason) and its cost; kept with the campaign, deleted when the person is erased."),
                member("campaigns", List.of("created_by"), KEPT,
                        "Campaigns: the template, audience, schedule, numbers, A/B test and estimate, and the member who created each."));
    }
}
