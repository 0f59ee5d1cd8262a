package hexa.automation.hours;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.identity.Workspace;
import hexa.identity.WorkspaceService;
import hexa.inbox.InboxSettings;
import hexa.inbox.Team;
import hexa.platform.Ids;
import hexa.platform.hours.BusinessHours;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Business hours: the workspace's week and its teams' own, holidays, and whether the workspace or a team is open (the
 * {@link BusinessHours} that rules, the inbox and reports ask).
 *
 * <p>Rules may ask for every message that comes in, so each workspace's hours are kept in memory for a few seconds
 * ({@link #KEPT_NANOS}) and forgotten at once when they change here; another app node sees a change within those
 * seconds.
 */
@Service
public class BusinessHoursService implements BusinessHours {

    private static final long KEPT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int NAME_LONGEST = 80;

    private record Kept(HoursCalendar calendar, long loadedAt) {
    }

    private final BusinessHourTables tables;
    private final WorkspaceService workspaces;
    private final InboxSettings inbox;
    private final AuditTrail audit;
    private final Clock clock;
    private final Map<UUID, Kept> kept = new ConcurrentHashMap<>();

    BusinessHoursService(BusinessHourTables tables, WorkspaceService workspaces, InboxSettings inbox, AuditTrail audit, Clock clock) {
        this.tables = tables;
        this.workspaces = workspaces;
        this.inbox = inbox;
        this.audit = audit;
        this.clock = clock;
    }

    // --- BusinessHours: any workspace, for rules, the inbox and reports ---------------------------------------------

    @Override
    public boolean openAt(UUID tenantId, UUID teamId, Instant at) {
        return calendar(tenantId).openAt(teamId, at);
    }

    @Override
    public Optional<Instant> nextChange(UUID tenantId, UUID teamId, Instant from) {
        return calendar(tenantId).nextChange(teamId, from);
    }

    @Override
    public boolean hasHours(UUID tenantId, UUID teamId) {
        return calendar(tenantId).hasHours(teamId);
    }

    // --- Settings → Business hours: the current workspace -------------------------------------------------------------

    /** The workspace's time zone, in which the hours are kept. */
    public ZoneId zone() {
        return workspaces.current().timeZone();
    }

    /**
     * Open or closed now, and until when, for the workspace ({@code teamId} null) or a team; empty without hours. Read
     * afresh (not from memory), so that the settings page shows a change of time zone made a moment ago.
     */
    public Optional<Now> now(UUID teamId) {
        UUID tenant = TenantContext.tenantId();
        HoursCalendar calendar = load(tenant);
        kept.put(tenant, new Kept(calendar, System.nanoTime()));
        if (!calendar.hasHours(teamId)) {
            return Optional.empty();
        }
        Instant at = clock.instant();
        return Optional.of(new Now(calendar.openAt(teamId, at), calendar.nextChange(teamId, at).orElse(null)));
    }

    /** The week set for the workspace ({@code teamId} null) or the team's own; empty when none is set. */
    public Optional<WeeklyHours> week(UUID teamId) {
        UUID tenant = TenantContext.tenantId();
        if (teamId != null) {
            inbox.team(teamId);
        }
        return Optional.ofNullable(tables.weeks(tenant).get(teamId));
    }

    /** The teams that have a week of their own. */
    public Set<UUID> teamsWithOwnHours() {
        Set<UUID> teams = new HashSet<>(tables.weeks(TenantContext.tenantId()).keySet());
        teams.remove(null);
        return teams;
    }

    /** Sets the week of the workspace ({@code teamId} null) or of a team, which then has hours of its own. */
    @Transactional
    public void saveWeek(UUID teamId, WeeklyHours week) {
        UUID tenant = TenantContext.tenantId();
        Team team = teamId == null ? null : inbox.team(teamId);
        check(week);
        tables.saveWeek(tenant, teamId, week, clock.instant());
        changed(tenant);
        audit.record(target(AuditEntry.of("automation.business_hours_changed"), team).details(Map.of("week", summary(week))));
    }

    /**
     * Removes the workspace's week, which is then always open (but on its holidays); or a team's own, which then keeps
     * the workspace's.
     */
    @Transactional
    public void removeWeek(UUID teamId) {
        UUID tenant = TenantContext.tenantId();
        Team team = teamId == null ? null : inbox.team(teamId);
        if (tables.removeWeek(tenant, teamId)) {
            changed(tenant);
            audit.record(target(AuditEntry.of("automation.business_hours_removed"), team));
        }
    }

    /** A team's choice: hours of its own (starting from a copy of the workspace's week) or the workspace's. */
    @Transactional
    public void setTeamOwnHours(UUID teamId, boolean own) {
        UUID tenant = TenantContext.tenantId();
        inbox.team(teamId);
        Map<UUID, WeeklyHours> weeks = tables.weeks(tenant);
        if (own && !weeks.containsKey(teamId)) {
            saveWeek(teamId, weeks.getOrDefault(null, WeeklyHours.closed()));
        } else if (!own) {
            removeWeek(teamId);
        }
    }

    public List<Holiday> holidays() {
        return tables.holidays(TenantContext.tenantId());
    }

    /** Closes a whole day, for the workspace ({@code teamId} null) or a team. */
    @Transactional
    public Holiday addHoliday(UUID teamId, LocalDate day, String name) {
        UUID tenant = TenantContext.tenantId();
        Team team = teamId == null ? null : inbox.team(teamId);
        if (day == null) {
            throw UserError.invalid("hours.holiday.date-invalid");
        }
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > NAME_LONGEST) {
            throw UserError.invalid("hours.holiday.name-invalid", NAME_LONGEST);
        }
        Holiday holiday = new Holiday(Ids.newId(), teamId, day, clean);
        if (!tables.addHoliday(tenant, holiday, clock.instant())) {
            throw UserError.conflict("hours.holiday.exists", day.toString());
        }
        changed(tenant);
        audit.record(target(AuditEntry.of("automation.holiday_added"), team).details(Map.of("day", day.toString(), "name", clean)));
        return holiday;
    }

    @Transactional
    public void removeHoliday(UUID id) {
        UUID tenant = TenantContext.tenantId();
        Holiday holiday = tables.holiday(tenant, id).orElseThrow(NotFoundException::new);
        tables.removeHoliday(tenant, id);
        changed(tenant);
        Team team = holiday.teamId() == null ? null : inbox.teams().stream().filter(t -> t.id().equals(holiday.teamId())).findFirst().orElse(null);
        audit.record(target(AuditEntry.of("automation.holiday_removed"), team)
                .details(Map.of("day", holiday.day().toString(), "name", holiday.name())));
    }

    public Holiday holiday(UUID id) {
        return tables.holiday(TenantContext.tenantId(), id).orElseThrow(NotFoundException::new);
    }

    // ------------------------------------------------------------------------------------------------------------------

    /** Intervals of a day must not overlap; a day has a handful at most. */
    static void check(WeeklyHours week) {
        for (DayOfWeek day : DayOfWeek.values()) {
            List<OpeningInterval> intervals = week.on(day);
            if (intervals.size() > WeeklyHours.MOST_A_DAY) {
                throw UserError.invalid("hours.error.too-many", dayName(day), WeeklyHours.MOST_A_DAY);
            }
            for (int i = 1; i < intervals.size(); i++) {
                OpeningInterval before = intervals.get(i - 1);
                OpeningInterval after = intervals.get(i);
                if (before.overlaps(after)) {
                    throw UserError.invalid("hours.error.overlap", dayName(day), before.opensText(), before.closesText(),
                            after.opensText(), after.closesText());
                }
            }
        }
    }

    static String dayName(DayOfWeek day) {
        return Text.t("hours.day." + day.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The week in a line for the audit log: "MONDAY 09:00-18:00; SATURDAY 10:00-14:00". */
    private static String summary(WeeklyHours week) {
        String text = week.days().entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + " " + e.getValue().stream().map(i -> i.opensText() + "-" + i.closesText()).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
        return text.isEmpty() ? "closed" : text;
    }

    private static AuditEntry target(AuditEntry entry, Team team) {
        return team == null ? entry.target("workspace", TenantContext.tenantId(), null) : entry.target("team", team.id(), team.name());
    }

    private HoursCalendar calendar(UUID tenantId) {
        Kept known = kept.get(tenantId);
        long now = System.nanoTime();
        if (known != null && now - known.loadedAt() < KEPT_NANOS) {
            return known.calendar();
        }
        HoursCalendar calendar = load(tenantId);
        kept.put(tenantId, new Kept(calendar, now));
        return calendar;
    }

    private HoursCalendar load(UUID tenantId) {
        ZoneId zone = workspaces.find(tenantId).map(Workspace::timeZone).orElse(ZoneOffset.UTC);
        Map<UUID, WeeklyHours> weeks = new HashMap<>(tables.weeks(tenantId));
        WeeklyHours workspaceWeek = weeks.remove(null);
        Set<LocalDate> workspaceHolidays = new HashSet<>();
        Map<UUID, Set<LocalDate>> teamHolidays = new HashMap<>();
        for (Holiday holiday : tables.holidays(tenantId)) {
            if (holiday.teamId() == null) {
                workspaceHolidays.add(holiday.day());
            } else {
                teamHolidays.computeIfAbsent(holiday.teamId(), k -> new HashSet<>()).add(holiday.day());
            }
        }
        return new HoursCalendar(zone, workspaceWeek, weeks, workspaceHolidays, teamHolidays);
    }

    /** Forgets the workspace's hours now and again once the change is committed (a reader between would keep the old). */
    private void changed(UUID tenantId) {
        kept.remove(tenantId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    kept.remove(tenantId);
                }
            });
        }
    }

    /** For the page: the teams, to choose from. */
    public List<Team> teams() {
        return inbox.teams();
    }
}
