package hexa.privacy;

import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.member;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** A workspace's closing: who asked for it, deleted with the workspace (or when an Owner keeps it). */
@Component
class ClosingPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(member("privacy_workspace_closings", List.of("requested_by", "requested_by_name"), KEPT,
                "A workspace being closed and who asked for it; deleted with the workspace after 30 days, or when an Owner keeps it."));
    }
}
