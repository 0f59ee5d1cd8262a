package hexa.automation.hours;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.inbox.InboxSettings;
import hexa.platform.hours.BusinessHours;
import hexa.platform.tenant.TenantContext;
import hexa.support.HexaIntegrationTest;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Whether a workspace or a team is open, and when that next changes: on the workspace's wall clock, across daylight
 * saving time and midnight, closed on holidays, a team keeping the workspace's week unless it has its own. Through the
 * platform's {@link BusinessHours}, as rules and the inbox ask it, with the hours in real tables.
 */
class BusinessHoursTest extends HexaIntegrationTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

    @Autowired
    BusinessHours businessHours;

    @Autowired
    BusinessHoursService hours;

    @Autowired
    InboxSettings inbox;

    @Autowired
    JdbcClient jdbc;

    @Test
    void across_daylight_saving_changes_the_hours_stay_on_the_wall_clock() {
        Fixtures.TestWorkspace shop = workspaceIn("Berlin Bakery", BERLIN);
        // Sunday 01:00–02:30 takes in both changes: 02:30 does not exist on 29 March, and happens twice on 25 October.
        save(shop, null, Map.of(DayOfWeek.SUNDAY, List.of(interval("01:00", "02:30")), DayOfWeek.MONDAY, List.of(interval("09:00", "17:00"))));
        UUID tenant = shop.id();

        // Winter time (UTC+1) before 29 March, summer time (UTC+2) after: 09:00 is 08:00 UTC, then 07:00 UTC.
        assertThat(businessHours.openAt(tenant, null, at("2026-03-23T08:00:00Z"))).isTrue();
        assertThat(businessHours.openAt(tenant, null, at("2026-03-23T07:59:00Z"))).isFalse();
        assertThat(businessHours.openAt(tenant, null, at("2026-03-30T07:00:00Z"))).isTrue();
        assertThat(businessHours.openAt(tenant, null, at("2026-03-30T06:59:00Z"))).isFalse();
        assertThat(businessHours.openAt(tenant, null, at("2026-03-30T15:00:00Z"))).as("17:00 summer time closes").isFalse();

        // Spring forward: opens 01:00 (00:00 UTC); 02:30 is skipped, so it closes when the clocks jump (01:00 UTC, 03:00 local).
        assertThat(changesFrom(tenant, null, "2026-03-28T12:00:00Z", 3))
                .containsExactly(at("2026-03-29T00:00:00Z"), at("2026-03-29T01:00:00Z"), at("2026-03-30T07:00:00Z"));

        // Fall back: 01:00 summer time opens, 02:30 closes, then 02:00 comes again (winter time) and is open until 02:30 again.
        assertThat(changesFrom(tenant, null, "2026-10-24T12:00:00Z", 5)).containsExactly(at("2026-10-24T23:00:00Z"),
                at("2026-10-25T00:30:00Z"), at("2026-10-25T01:00:00Z"), at("2026-10-25T01:30:00Z"), at("2026-10-26T08:00:00Z"));
        for (Instant change : changesFrom(tenant, null, "2026-10-24T12:00:00Z", 5)) {
            assertThat(businessHours.openAt(tenant, null, change)).isNotEqualTo(businessHours.openAt(tenant, null, change.minusSeconds(60)));
        }
    }

    @Test
    void an_opening_that_runs_past_midnight_stays_open_through_it_unless_the_next_day_is_a_holiday() {
        Fixtures.TestWorkspace bar = workspaceIn("Night Bar", KOLKATA);
        // Friday 20:00 until 02:00 on Saturday: closing at 00:00 is midnight, the end of Friday.
        WeeklyHours week = WeekForm.typed(List.of("5", "6"), List.of("20:00", "00:00"), List.of("00:00", "02:00")).parse();
        save(bar, null, week.days());
        Instant fridayNight = local("2026-12-11T23:30", KOLKATA);
        assertThat(businessHours.openAt(bar.id(), null, fridayNight)).isTrue();
        assertThat(businessHours.openAt(bar.id(), null, local("2026-12-12T00:30", KOLKATA))).isTrue();
        assertThat(businessHours.nextChange(bar.id(), null, fridayNight)).as("no close at midnight").contains(local("2026-12-12T02:00", KOLKATA));
        assertThat(businessHours.nextChange(bar.id(), null, local("2026-12-12T02:00", KOLKATA))).contains(local("2026-12-18T20:00", KOLKATA));

        try (var ignored = fixtures.actAsOwner(bar)) {
            hours.addHoliday(null, LocalDate.parse("2026-12-12"), "Staff party");
        }
        assertThat(businessHours.nextChange(bar.id(), null, fridayNight)).as("the holiday closes Saturday from its midnight")
                .contains(local("2026-12-12T00:00", KOLKATA));
        assertThat(businessHours.openAt(bar.id(), null, local("2026-12-12T00:30", KOLKATA))).isFalse();
        assertThat(businessHours.now(bar.id(), null, fridayNight)).contains(new BusinessHours.Now(true, local("2026-12-12T00:00", KOLKATA)));
    }

    @Test
    void a_workspace_without_hours_is_always_open_and_a_team_keeps_its_hours_unless_it_has_its_own() {
        Fixtures.TestWorkspace shop = fixtures.workspace("Hours Co " + UUID.randomUUID().toString().substring(0, 6));
        UUID tenant = shop.id();
        Instant mondayEvening = local("2026-12-14T19:00", KOLKATA);
        assertThat(businessHours.openAt(tenant, null, mondayEvening)).isTrue();
        assertThat(businessHours.hasHours(tenant, null)).isFalse();
        assertThat(businessHours.nextChange(tenant, null, mondayEvening)).isEmpty();
        assertThat(businessHours.now(tenant, null, mondayEvening)).isEmpty();

        UUID support;
        UUID sales;
        try (var ignored = fixtures.actAsOwner(shop)) {
            support = inbox.createTeam("Support").id();
            sales = inbox.createTeam("Sales").id();
        }
        save(shop, null, Map.of(DayOfWeek.MONDAY, List.of(interval("09:00", "18:00")), DayOfWeek.TUESDAY, List.of(interval("09:00", "18:00"))));
        assertThat(businessHours.openAt(tenant, null, mondayEvening)).isFalse();
        assertThat(businessHours.openAt(tenant, sales, mondayEvening)).as("a team keeps the workspace's week").isFalse();
        assertThat(businessHours.openAt(tenant, UUID.randomUUID(), mondayEvening)).as("an unknown team: the workspace's").isFalse();

        try (var ignored = fixtures.actAsOwner(shop)) {
            hours.setTeamOwnHours(support, true);
            assertThat(hours.week(support)).as("starts as a copy of the workspace's").isEqualTo(hours.week(null));
        }
        save(shop, support, Map.of(DayOfWeek.MONDAY, List.of(interval("08:00", "22:00"))));
        assertThat(businessHours.openAt(tenant, support, mondayEvening)).isTrue();
        assertThat(businessHours.openAt(tenant, sales, mondayEvening)).isFalse();
        assertThat(businessHours.nextChange(tenant, support, mondayEvening)).contains(local("2026-12-14T22:00", KOLKATA));

        // A team's holiday closes that team; the workspace's closes every team.
        Instant mondayNoon = local("2026-12-14T12:00", KOLKATA);
        try (var ignored = fixtures.actAsOwner(shop)) {
            hours.addHoliday(support, LocalDate.parse("2026-12-14"), "Support offsite");
        }
        assertThat(businessHours.openAt(tenant, support, mondayNoon)).isFalse();
        assertThat(businessHours.openAt(tenant, null, mondayNoon)).isTrue();
        assertThat(businessHours.openAt(tenant, sales, mondayNoon)).isTrue();
        try (var ignored = fixtures.actAsOwner(shop)) {
            hours.addHoliday(null, LocalDate.parse("2026-12-15"), "Founders' Day");
        }
        Instant tuesdayNoon = local("2026-12-15T12:00", KOLKATA);
        assertThat(businessHours.openAt(tenant, null, tuesdayNoon)).isFalse();
        assertThat(businessHours.openAt(tenant, sales, tuesdayNoon)).isFalse();
        assertThat(businessHours.nextChange(tenant, sales, mondayNoon)).as("closes at 18:00, then the holiday, then opens next Monday")
                .contains(local("2026-12-14T18:00", KOLKATA));
        assertThat(businessHours.nextChange(tenant, sales, local("2026-12-14T18:00", KOLKATA))).contains(local("2026-12-21T09:00", KOLKATA));

        // Back to the workspace's week; and without a week, the workspace is open again but on its holidays.
        try (var ignored = fixtures.actAsOwner(shop)) {
            hours.setTeamOwnHours(support, false);
            hours.removeWeek(null);
        }
        assertThat(businessHours.openAt(tenant, sales, mondayEvening)).isTrue();
        assertThat(businessHours.openAt(tenant, support, mondayEvening)).as("its own holiday still closes it").isFalse();
        assertThat(businessHours.openAt(tenant, null, tuesdayNoon)).isFalse();
        assertThat(businessHours.hasHours(tenant, null)).isTrue();
        // Another workspace's hours are its own.
        assertThat(businessHours.openAt(fixtures.workspace("Other Co").id(), null, tuesdayNoon)).isTrue();
    }

    // ---------------------------------------------------------------------------------------------

    private Fixtures.TestWorkspace workspaceIn(String name, ZoneId zone) {
        Fixtures.TestWorkspace workspace = fixtures.workspace(name + " " + UUID.randomUUID().toString().substring(0, 6));
        jdbc.sql("update workspaces set time_zone = :zone where id = :id").param("zone", zone.getId()).param("id", workspace.id()).update();
        return workspace;
    }

    private void save(Fixtures.TestWorkspace workspace, UUID team, Map<DayOfWeek, List<OpeningInterval>> days) {
        try (TenantContext.Scope ignored = fixtures.actAsOwner(workspace)) {
            hours.saveWeek(team, new WeeklyHours(days));
        }
    }

    private List<Instant> changesFrom(UUID tenant, UUID team, String from, int count) {
        List<Instant> changes = new java.util.ArrayList<>();
        Instant at = at(from);
        for (int i = 0; i < count; i++) {
            at = businessHours.nextChange(tenant, team, at).orElseThrow();
            changes.add(at);
        }
        return changes;
    }

    private static OpeningInterval interval(String opens, String closes) {
        return WeekForm.typed(List.of("1"), List.of(opens), List.of(closes)).parse().on(DayOfWeek.MONDAY).get(0);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private static Instant local(String dateTime, ZoneId zone) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(dateTime), zone).toInstant();
    }
}
