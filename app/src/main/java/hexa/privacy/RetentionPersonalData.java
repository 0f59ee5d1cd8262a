package hexa.privacy;

import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.LOGS;
import static hexa.platform.privacy.PersonalTable.member;
import static hexa.platform.privacy.PersonalTable.none;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** Retention's own tables: the workspace's periods and the purge's runs. */
@Component
class RetentionPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                member("privacy_settings", List.of("updated_by_name"), KEPT,
                        "The workspace's retention periods (Settings → Privacy), with who last changed them."),
                member("privacy_purge_runs", List.of("started_by_name"), LOGS,
                        "Each run of the retention purge and each dry run: when, who started it, how many rows it removed per table (no one's data)."));
    }
}
