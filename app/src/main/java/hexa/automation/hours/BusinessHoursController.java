package hexa.automation.hours;

import hexa.inbox.Team;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.hours.OpenNowText;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings → Business hours: the workspace's week, holidays, and for each team its own hours or the workspace's. The
 * week's form works without JavaScript: its buttons to add or remove an interval and to copy Monday come back to the
 * page with the change made and not yet saved; "Save" checks and saves it, or shows it again, as typed, with what is
 * wrong (400).
 */
@Controller
class BusinessHoursController {

    private static final String PAGE = "/settings/business-hours";
    private static final String TEMPLATE = "automation/business-hours";

    private final BusinessHoursService hours;
    private final Clock clock;

    BusinessHoursController(BusinessHoursService hours, Clock clock) {
        this.hours = hours;
        this.clock = clock;
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping(PAGE)
    String page(Model model) {
        return show(model, null, null, false, null, HoursPage.HolidayForm.EMPTY, null);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping(PAGE + "/teams/{id}")
    String teamPage(@PathVariable String id, Model model) {
        return show(model, team(id), null, false, null, HoursPage.HolidayForm.EMPTY, null);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping(PAGE + "/week")
    String week(@RequestParam(defaultValue = "save") String action, HttpServletRequest request, Model model, RedirectAttributes redirect,
                HttpServletResponse response) {
        return editWeek(null, request, action, model, redirect, response);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping(PAGE + "/teams/{id}/week")
    String teamWeek(@PathVariable String id, @RequestParam(defaultValue = "save") String action, HttpServletRequest request, Model model,
                    RedirectAttributes redirect, HttpServletResponse response) {
        return editWeek(team(id), request, action, model, redirect, response);
    }

    /** The workspace without a week: always open (but on its holidays). */
    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping(PAGE + "/week/remove")
    String removeWeek(RedirectAttributes redirect) {
        hours.removeWeek(null);
        Notices.success(redirect, "hours.week.removed");
        return "redirect:" + PAGE;
    }

    /** A team's choice: {@code hours} is {@code own} (a week of its own, starting as a copy of the workspace's) or {@code workspace}. */
    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping(PAGE + "/teams/{id}")
    String teamChoice(@PathVariable String id, @RequestParam(defaultValue = "") String hours, RedirectAttributes redirect) {
        Team team = team(id);
        if (!Set.of("own", "workspace").contains(hours)) {
            throw UserError.invalid("hours.error.form");
        }
        boolean own = hours.equals("own");
        this.hours.setTeamOwnHours(team.id(), own);
        Notices.success(redirect, own ? "hours.team.own-chosen" : "hours.team.workspace-chosen", team.name());
        return "redirect:" + (own ? PAGE + "/teams/" + team.id() : PAGE);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping(PAGE + "/holidays")
    String addHoliday(@RequestParam(defaultValue = "") String day, @RequestParam(defaultValue = "") String name,
                      @RequestParam(defaultValue = "") String team, @RequestParam(defaultValue = "") String back, Model model,
                      RedirectAttributes redirect, HttpServletResponse response) {
        Team onPage = back.isBlank() ? null : team(back);
        HoursPage.HolidayForm typed = new HoursPage.HolidayForm(day.strip(), name, team);
        try {
            UUID teamId = team.isBlank() ? null : Ids.parseOrNotFound(team);
            LocalDate date;
            try {
                date = LocalDate.parse(day.strip());
            } catch (DateTimeParseException e) {
                throw UserError.invalid("hours.holiday.date-invalid");
            }
            Holiday added = hours.addHoliday(teamId, date, name);
            Notices.success(redirect, "hours.holiday.added", added.name(), added.day().toString());
            return "redirect:" + (onPage == null ? PAGE : PAGE + "/teams/" + onPage.id());
        } catch (UserError e) {
            response.setStatus(e.status().value());
            return show(model, onPage, null, false, null, typed, e.text());
        }
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping(PAGE + "/holidays/{id}/delete")
    String removeHoliday(@PathVariable String id, @RequestParam(defaultValue = "") String back, RedirectAttributes redirect) {
        Team onPage = back.isBlank() ? null : team(back);
        Holiday holiday = hours.holiday(Ids.parseOrNotFound(id));
        hours.removeHoliday(holiday.id());
        Notices.success(redirect, "hours.holiday.removed", holiday.name(), holiday.day().toString());
        return "redirect:" + (onPage == null ? PAGE : PAGE + "/teams/" + onPage.id());
    }

    // ------------------------------------------------------------------------------------------------------------------

    /**
     * The rows come side by side ({@code day}, {@code opens}, {@code closes}, repeated) and are read as posted: bound to
     * a list, a single empty value would become no value at all, and the rows would no longer line up.
     */
    private String editWeek(Team team, HttpServletRequest request, String action, Model model, RedirectAttributes redirect,
                            HttpServletResponse response) {
        UUID teamId = team == null ? null : team.id();
        WeekForm form;
        try {
            form = WeekForm.typed(values(request, "day"), values(request, "opens"), values(request, "closes"));
        } catch (UserError e) {
            response.setStatus(e.status().value());
            return show(model, team, WeekForm.of(hours.week(teamId).orElse(null)), false, e.text(), HoursPage.HolidayForm.EMPTY, null);
        }
        if (action.equals("copy-monday")) {
            return show(model, team, form.copyMondayToWeekdays(), true, null, HoursPage.HolidayForm.EMPTY, null);
        }
        if (action.startsWith("add-") || action.startsWith("remove-")) {
            String[] parts = action.split("-");
            try {
                DayOfWeek which = DayOfWeek.of(Integer.parseInt(parts[1]));
                WeekForm changed = parts[0].equals("add") ? form.add(which) : form.remove(which, Integer.parseInt(parts[2]));
                return show(model, team, changed, true, null, HoursPage.HolidayForm.EMPTY, null);
            } catch (RuntimeException e) {
                response.setStatus(400);
                return show(model, team, form, true, UserError.invalid("hours.error.form").text(), HoursPage.HolidayForm.EMPTY, null);
            }
        }
        try {
            hours.saveWeek(teamId, form.parse());
        } catch (UserError e) {
            response.setStatus(e.status().value());
            return show(model, team, form, true, e.text(), HoursPage.HolidayForm.EMPTY, null);
        }
        if (team == null) {
            Notices.success(redirect, "hours.week.saved");
            return "redirect:" + PAGE;
        }
        Notices.success(redirect, "hours.team.saved", team.name());
        return "redirect:" + PAGE + "/teams/" + team.id();
    }

    /** The page of the workspace ({@code team} null) or of a team; {@code week} null shows the week as saved. */
    private String show(Model model, Team team, WeekForm week, boolean edited, String weekError, HoursPage.HolidayForm holidayForm,
                        String holidayError) {
        UUID teamId = team == null ? null : team.id();
        Set<UUID> own = hours.teamsWithOwnHours();
        List<Team> teams = hours.teams();
        List<HoursPage.TeamChoice> choices = teams.stream().map(t -> new HoursPage.TeamChoice(t.id(), t.name(), own.contains(t.id()))).toList();
        Map<UUID, String> names = teams.stream().collect(Collectors.toMap(Team::id, Team::name));
        var saved = hours.week(teamId);
        var now = hours.now(teamId);
        var zone = hours.zone();
        List<HoursPage.HolidayRow> holidays = hours.holidays().stream()
                .filter(h -> team == null || h.teamId() == null || h.teamId().equals(teamId))
                .map(h -> new HoursPage.HolidayRow(h, h.teamId() == null ? null : names.get(h.teamId()))).toList();
        HoursPage.TeamChoice teamChoice = team == null ? null : new HoursPage.TeamChoice(team.id(), team.name(), own.contains(team.id()));
        model.addAttribute("hours", new HoursPage(zone, now.map(n -> OpenNowText.of(n, clock.instant(), zone)).orElse(null),
                now.map(n -> n.open()).orElse(true), teamChoice, week == null ? WeekForm.of(saved.orElse(null)) : week, saved.isPresent(),
                edited, weekError, holidays, holidayForm, holidayError, choices));
        return TEMPLATE;
    }

    private static List<String> values(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        return values == null ? null : List.of(values);
    }

    private Team team(String id) {
        UUID teamId = Ids.parseOrNotFound(id);
        return hours.teams().stream().filter(t -> t.id().equals(teamId)).findFirst().orElseThrow(hexa.platform.web.NotFoundException::new);
    }
}
