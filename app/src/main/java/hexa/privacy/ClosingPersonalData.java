package hexa.privacy;

import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.OWN_TIMER;
import static hexa.platform.privacy.PersonalTable.member;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** A workspace's closing and its whole exports: who asked for them. */
@Component
class ClosingPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(member("privacy_workspace_closings", List.of("requested_by", "requested_by_name"), KEPT,
                "A workspace being closed and who asked for it; deleted with the workspace after 30 days, or when an Owner keeps it."),
                member("privacy_workspace_exports", List.of("requested_by", "requested_by_name"), OWN_TIMER,
                        "Exports of the whole workspace and who asked for them; the ZIP (encrypted, under the data directory's exports/) holds "
                                + "every contact and is deleted with its row 24 hours after it was written, or when any person is erased."));
    }
}
