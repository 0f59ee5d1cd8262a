package hexa.privacy;

import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.LOGS;
import static hexa.platform.privacy.PersonalTable.customer;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** What a person's export keeps: the jobs, and for 24 hours the ZIP each wrote. */
@Component
class ExportPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(customer("privacy_exports", List.of("contact_id", "contact_name", "file_name"),
                "left out: the exports themselves (who asked for one is in access.json)", DELETE, LOGS,
                "Exports of a person's data and who asked for them; the ZIP (encrypted, under the data directory's exports/) is deleted "
                        + "24 hours after it was written, the row is kept as a log."));
    }
}
