package hexa.privacy;

import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.member;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** What erasure keeps: its certificates, which name the member who erased and nobody erased. */
@Component
class ErasurePersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(member("privacy_erasures", List.of("erased_by_name"), KEPT,
                "Erasure certificates: when, by whom, why and how many rows of each table went; nothing about the person erased."));
    }
}
