package hexa.automation.hours;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * What Settings → Business hours shows: "open now" or not, the week being edited (the workspace's, or a team's on the
 * team's page), the holidays and each team's choice.
 *
 * @param openNow   "Open now — closes 18:00" or "Closed — opens Monday 09:00"; null when no hours are set
 * @param open      whether open now (for the badge's colour)
 * @param team      the team whose week this is; null on the workspace's page
 * @param weekSet   whether the week shown is set (without, the workspace is always open, or the team keeps the workspace's)
 * @param edited    the week was changed on the page and is not saved yet
 * @param weekError what is wrong with the week typed, or null
 */
public record HoursPage(ZoneId zone, String openNow, boolean open, TeamChoice team, WeekForm week, boolean weekSet, boolean edited,
                        String weekError, List<HolidayRow> holidays, HolidayForm holidayForm, String holidayError, List<TeamChoice> teams) {

    public record TeamChoice(UUID id, String name, boolean ownHours) {
    }

    public record HolidayRow(Holiday holiday, String teamName) {
    }

    /** The holiday being added, as typed: a date (yyyy-mm-dd), a name and for whom (a team's id, or empty: everyone). */
    public record HolidayForm(String day, String name, String team) {

        static final HolidayForm EMPTY = new HolidayForm("", "", "");
    }

    public List<DayOfWeek> days() {
        return List.of(DayOfWeek.values());
    }

    public String dayName(DayOfWeek day) {
        return BusinessHoursService.dayName(day);
    }

    /** Where the week's form posts. */
    public String weekAction() {
        return team == null ? "/settings/business-hours/week" : "/settings/business-hours/teams/" + team.id() + "/week";
    }
}
