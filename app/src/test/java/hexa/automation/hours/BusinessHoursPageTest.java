package hexa.automation.hours;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Settings → Business hours over HTTP, as an Admin uses it: the week saved or refused as typed, holidays added and
 * removed, a team's own hours; Agents kept out; and the inbox's "open now" badge that follows.
 */
class BusinessHoursPageTest extends HexaIntegrationTest {

    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

    @Autowired
    JdbcClient jdbc;

    private Fixtures.TestWorkspace shop;
    private WebClient admin;

    @BeforeEach
    void aWorkspaceOnAWednesdayEvening() {
        // Next week's Wednesday, 20:00 on the workspace's clock (test workspaces are in Asia/Kolkata).
        LocalDate wednesday = LocalDate.now(KOLKATA).plusDays(1).with(TemporalAdjusters.next(DayOfWeek.WEDNESDAY));
        clock.freeze();
        clock.advance(Duration.between(clock.instant(), wednesday.atTime(20, 0).atZone(KOLKATA).toInstant()));
        shop = fixtures.workspace("Hours Page Co " + UUID.randomUUID().toString().substring(0, 6));
        Fixtures.Person adminPerson = fixtures.member(shop, Role.ADMIN);
        admin = browser();
        admin.signIn(adminPerson.email(), Fixtures.PASSWORD);
    }

    @Test
    void an_admin_sets_the_week_and_the_inbox_shows_when_it_opens() {
        Response empty = admin.get("/settings/business-hours");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.text()).contains("No business hours set: always open", "Time zone: Asia/Kolkata", "href=\"/settings/workspace\"");
        assertThat(admin.get("/inbox").text()).as("no hours, no badge").doesNotContain("data-testid=\"business-hours-badge\"");
        assertThat(admin.get("/inbox").text()).as("the badge's place polls its fragment").contains("hx-get=\"/inbox/hours?", "hx-trigger=\"every 60s\"");
        assertThat(admin.get("/inbox/hours").text()).as("hours set later show at the next poll").contains("data-testid=\"business-hours\"")
                .doesNotContain("data-testid=\"business-hours-badge\"");

        // Monday gets an interval from the form's own button, then is copied to the weekdays: nothing is saved yet.
        Response added = admin.post("/settings/business-hours/week", form("add-1"));
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.text()).contains("id=\"opens-1-0\"", "value=\"09:00\"", "data-testid=\"not-saved\"");
        Response copied = admin.post("/settings/business-hours/week", form("copy-monday", row(1, "09:00", "18:00")));
        assertThat(copied.text()).contains("id=\"opens-5-0\"").doesNotContain("id=\"opens-6-0\"");
        assertThat(weeks()).isZero();

        Response saved = admin.post("/settings/business-hours/week", form("save", row(1, "09:00", "13:00"), row(1, "14:00", "18:00"),
                row(2, "09:00", "18:00"), row(3, "09:00", "18:00"), row(4, "09:00", "18:00"), row(5, "09:00", "18:00"), row(6, "10:00", "14:00")));
        assertThat(saved.status()).isEqualTo(302);
        String page = admin.get(saved.location()).text();
        assertThat(page).contains("Business hours saved.", "Closed — opens tomorrow 09:00", "value=\"14:00\"");
        assertThat(audit("automation.business_hours_changed")).isEqualTo(1);

        String inbox = admin.get("/inbox").text();
        assertThat(inbox).contains("data-testid=\"business-hours-badge\"", "Closed — opens tomorrow 09:00");
        assertThat(admin.get("/inbox/hours").text()).contains("data-testid=\"business-hours-badge\"", "Closed — opens tomorrow 09:00",
                "hx-trigger=\"every 60s\"").doesNotContain("<html");
        clock.advance(Duration.ofHours(15));
        // The open inbox's next poll turns the badge without a reload, and keeps polling.
        Response polled = admin.get("/inbox/hours?view=mine&status=open");
        assertThat(polled.status()).isEqualTo(200);
        assertThat(polled.text()).contains("Open now — closes 18:00", "hx-trigger=\"every 60s\"", "hx-get=\"/inbox/hours?view=mine&amp;status=open\"");
        assertThat(admin.get("/inbox").text()).contains("Open now — closes 18:00");
        assertThat(browser().get("/inbox/hours").status()).as("signed out").isNotEqualTo(200);
    }

    @Test
    void a_wrong_week_is_refused_with_what_was_typed_and_nothing_saved() {
        Response backwards = admin.post("/settings/business-hours/week", form("save", row(1, "18:00", "09:00"), row(2, "09:00", "17:30")));
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.text()).contains("data-testid=\"week-error\"", "Monday: 09:00 is not after 18:00")
                .contains("value=\"18:00\"", "value=\"17:30\"");

        Response overlapping = admin.post("/settings/business-hours/week", form("save", row(1, "09:00", "13:00"), row(1, "12:00", "18:00")));
        assertThat(overlapping.status()).isEqualTo(400);
        assertThat(overlapping.text()).contains("Monday: 09:00–13:00 overlaps 12:00–18:00.");

        Response half = admin.post("/settings/business-hours/week", form("save", row(3, "09:00", "")));
        assertThat(half.status()).isEqualTo(400);
        assertThat(half.text()).contains("Wednesday: enter both the opening and the closing time");
        assertThat(weeks()).isZero();
        assertThat(audit("automation.business_hours_changed")).isZero();
    }

    @Test
    void holidays_are_added_and_removed_and_a_team_gets_hours_of_its_own() {
        Response bad = admin.post("/settings/business-hours/holidays", Map.of("day", "", "name", "Diwali"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("Choose the holiday", "value=\"Diwali\"");
        Response added = admin.post("/settings/business-hours/holidays", Map.of("day", "2027-11-08", "name", "Diwali"));
        assertThat(added.status()).isEqualTo(302);
        assertThat(admin.get(added.location()).text()).contains("Holiday added: Diwali, 2027-11-08.", "data-confirm=");
        Response twice = admin.post("/settings/business-hours/holidays", Map.of("day", "2027-11-08", "name", "Diwali again"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.text()).contains("There is already a holiday on 2027-11-08.", "value=\"Diwali again\"");

        UUID holiday = jdbc.sql("select id from business_hour_holidays where tenant_id = :t").param("t", shop.id()).query(UUID.class).single();
        Fixtures.TestWorkspace other = fixtures.workspace("Other Hours Co");
        WebClient otherOwner = browser();
        otherOwner.signIn(other.owner().email(), Fixtures.PASSWORD);
        assertThat(otherOwner.post("/settings/business-hours/holidays/" + holiday + "/delete", Map.of()).status()).as("another workspace's").isEqualTo(404);
        assertThat(admin.follow("/settings/business-hours/holidays/" + holiday + "/delete", Map.of()).text()).contains("Holiday removed: Diwali");
        assertThat(audit("automation.holiday_added")).isEqualTo(1);
        assertThat(audit("automation.holiday_removed")).isEqualTo(1);

        // A team: the workspace's hours by default; its own, starting as a copy, edited on its page.
        admin.follow("/settings/inbox/teams", Map.of("name", "Night shift"));
        UUID team = jdbc.sql("select id from teams where tenant_id = :t").param("t", shop.id()).query(UUID.class).single();
        assertThat(admin.get("/settings/business-hours").text()).contains("Night shift", "<option value=\"own\"");
        Response own = admin.post("/settings/business-hours/teams/" + team, Map.of("hours", "own"));
        assertThat(own.location()).isEqualTo("/settings/business-hours/teams/" + team);
        assertThat(admin.get(own.location()).text()).contains("Night shift now has hours of its own");
        Response teamWeek = admin.post("/settings/business-hours/teams/" + team + "/week", form("save", row(3, "18:00", "00:00")));
        assertThat(teamWeek.status()).isEqualTo(302);
        assertThat(admin.get(teamWeek.location()).text()).contains("Hours of Night shift saved.", "Open now — closes at midnight");
        assertThat(otherOwner.get("/settings/business-hours/teams/" + team).status()).isEqualTo(404);
    }

    @Test
    void agents_can_neither_see_nor_change_business_hours() {
        WebClient agent = browser();
        agent.signIn(fixtures.member(shop, Role.AGENT).email(), Fixtures.PASSWORD);
        assertThat(agent.get("/settings/business-hours").status()).isEqualTo(403);
        assertThat(agent.post("/settings/business-hours/week", form("save", row(1, "09:00", "18:00"))).status()).isEqualTo(403);
        assertThat(agent.post("/settings/business-hours/holidays", Map.of("day", "2027-01-26", "name", "Republic Day")).status()).isEqualTo(403);
        assertThat(weeks()).isZero();
        assertThat(admin.get("/settings/inbox").text()).as("the Admin sees the menu entry").contains("href=\"/settings/business-hours\"");
    }

    // ---------------------------------------------------------------------------------------------

    private static String[] row(int day, String opens, String closes) {
        return new String[] {String.valueOf(day), opens, closes};
    }

    private static List<Map.Entry<String, String>> form(String action, String[]... rows) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (String[] row : rows) {
            fields.add(Map.entry("day", row[0]));
            fields.add(Map.entry("opens", row[1]));
            fields.add(Map.entry("closes", row[2]));
        }
        fields.add(Map.entry("action", action));
        return fields;
    }

    private int weeks() {
        return jdbc.sql("select count(*) from business_hour_weeks where tenant_id = :t").param("t", shop.id()).query(Integer.class).single();
    }

    private int audit(String action) {
        return jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = :a").param("t", shop.id()).param("a", action)
                .query(Integer.class).single();
    }
}
