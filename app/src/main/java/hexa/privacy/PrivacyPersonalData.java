package hexa.privacy;

import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.LOGS;
import static hexa.platform.privacy.PersonalTable.customer;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** What the privacy module itself keeps about people. */
@Component
class PrivacyPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                customer("privacy_legal_holds", List.of("contact_id", "reason"), "hold.json: holds on the contact and their reasons", DELETE, LOGS,
                        "Legal holds on contacts, with the reason and who placed and released them; a held contact cannot be erased."));
    }
}
