package hexa.privacy;

import static hexa.platform.privacy.PersonalTable.Erasure.ANONYMIZE;
import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.LOGS;
import static hexa.platform.privacy.PersonalTable.Expiry.OWN_TIMER;
import static hexa.platform.privacy.PersonalTable.customer;
import static hexa.platform.privacy.PersonalTable.none;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** What the privacy requests and the public privacy page keep about people. */
@Component
class RequestsPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                customer("privacy_requests", List.of("contact_id", "phone_number", "rejection_reason"),
                        "requests.json: the person's requests, their dates and what became of them", ANONYMIZE, LOGS,
                        "Access, export and erasure requests, with the number the person gave, their state and who decided; erasure keeps the "
                                + "request (what was asked, when, and that it was done) without the contact or the number."),
                customer("privacy_request_codes", List.of("phone_number"), "left out: one-time codes, useless after 10 minutes", DELETE, OWN_TIMER,
                        "One-time codes sent to prove a number on the public page (hashed), kept an hour for the rate limit per number and address."),
                none("privacy_public_pages", KEPT, "The public privacy page's address key, the business's text, the rule for requests and their due period."));
    }
}
