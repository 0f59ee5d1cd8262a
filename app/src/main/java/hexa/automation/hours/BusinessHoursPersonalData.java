package hexa.automation.hours;

import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.none;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** Business hours hold nobody's personal data: the business's own opening times and holidays. */
@Component
class BusinessHoursPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                none("business_hour_weeks", KEPT, "The workspace's and its teams' weeks of business hours."),
                none("business_hour_intervals", KEPT, "The opening times of each day of a week of business hours."),
                none("business_hour_holidays", KEPT, "Days the business, or one of its teams, is closed, with their names."));
    }
}
