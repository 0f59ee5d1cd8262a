package hexa.automation.hours;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One workspace's hours as a whole, in memory: its time zone, its week, its teams' own weeks and the holidays. It
 * answers whether the workspace or a team is open at an instant, and when that next changes.
 *
 * <p>Everything is decided on the wall clock of the zone: an instant is turned into a local date and time, a holiday
 * closes its local date, and a week's 09:00 is 09:00 on either side of a daylight-saving change. On the day clocks jump
 * forward a time that does not exist opens (or closes) when the jump lands; on the day they go back an hour happens
 * twice, and is open both times if its wall-clock time is.
 */
final class HoursCalendar {

    /** How far ahead {@link #nextChange} looks: a year, and a little. */
    private static final int DAYS_AHEAD = 370;

    private final ZoneId zone;
    private final WeeklyHours workspaceWeek;
    private final Map<UUID, WeeklyHours> teamWeeks;
    private final Set<LocalDate> workspaceHolidays;
    private final Map<UUID, Set<LocalDate>> teamHolidays;

    HoursCalendar(ZoneId zone, WeeklyHours workspaceWeek, Map<UUID, WeeklyHours> teamWeeks, Set<LocalDate> workspaceHolidays,
                  Map<UUID, Set<LocalDate>> teamHolidays) {
        this.zone = zone;
        this.workspaceWeek = workspaceWeek;
        this.teamWeeks = Map.copyOf(teamWeeks);
        this.workspaceHolidays = Set.copyOf(workspaceHolidays);
        this.teamHolidays = Map.copyOf(teamHolidays);
    }

    ZoneId zone() {
        return zone;
    }

    /** The week that applies to the team (its own, else the workspace's), or the workspace's; null when none is set. */
    WeeklyHours weekOf(UUID teamId) {
        if (teamId != null && teamWeeks.containsKey(teamId)) {
            return teamWeeks.get(teamId);
        }
        return workspaceWeek;
    }

    boolean hasHours(UUID teamId) {
        return weekOf(teamId) != null || !workspaceHolidays.isEmpty()
                || (teamId != null && !teamHolidays.getOrDefault(teamId, Set.of()).isEmpty());
    }

    boolean holiday(UUID teamId, LocalDate date) {
        return workspaceHolidays.contains(date) || (teamId != null && teamHolidays.getOrDefault(teamId, Set.of()).contains(date));
    }

    boolean openAt(UUID teamId, Instant at) {
        LocalDateTime local = LocalDateTime.ofInstant(at, zone);
        if (holiday(teamId, local.toLocalDate())) {
            return false;
        }
        WeeklyHours week = weekOf(teamId);
        return week == null || week.openAt(local.getDayOfWeek(), local.getHour() * 60 + local.getMinute());
    }

    /**
     * The first instant after {@code from} at which {@link #openAt} answers otherwise. It can only change where an
     * interval opens or closes, at midnight (holidays) and where the zone's offset changes: those instants are tried in
     * order, day by day.
     */
    Optional<Instant> nextChange(UUID teamId, Instant from) {
        if (!hasHours(teamId)) {
            return Optional.empty();
        }
        boolean open = openAt(teamId, from);
        WeeklyHours week = weekOf(teamId);
        LocalDate day = LocalDate.ofInstant(from, zone);
        for (int i = 0; i < DAYS_AHEAD; i++, day = day.plusDays(1)) {
            for (Instant candidate : candidates(week, day)) {
                if (candidate.isAfter(from) && openAt(teamId, candidate) != open) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private List<Instant> candidates(WeeklyHours week, LocalDate day) {
        List<Instant> candidates = new ArrayList<>();
        Instant start = day.atStartOfDay(zone).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
        candidates.add(start);
        candidates.add(end);
        if (week != null) {
            for (OpeningInterval interval : week.on(day.getDayOfWeek())) {
                addWallClock(candidates, day, interval.opens());
                addWallClock(candidates, day, interval.closes());
            }
        }
        ZoneOffsetTransition transition = zone.getRules().nextTransition(start.minusNanos(1));
        if (transition != null && transition.getInstant().isBefore(end)) {
            candidates.add(transition.getInstant());
        }
        candidates.sort(null);
        return candidates;
    }

    /** The instants a wall-clock minute of the day is: none skipped (the jump's end instead), one, or two when repeated. */
    private void addWallClock(List<Instant> candidates, LocalDate day, int minute) {
        if (minute >= OpeningInterval.END_OF_DAY) {
            candidates.add(day.plusDays(1).atStartOfDay(zone).toInstant());
            return;
        }
        LocalDateTime local = day.atTime(minute / 60, minute % 60);
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            candidates.add(rules.getTransition(local).getInstant());
        }
        for (ZoneOffset offset : offsets) {
            candidates.add(local.toInstant(offset));
        }
    }
}
