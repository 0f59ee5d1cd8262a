package hexa.automation.hours;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of business hours: weeks with their intervals, and holidays. Every query names its workspace. */
@Repository
class BusinessHourTables {

    private final JdbcClient jdbc;

    BusinessHourTables(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every week of the workspace: the workspace's under the key {@code null}, each team's own under its id. */
    Map<UUID, WeeklyHours> weeks(UUID tenantId) {
        Map<UUID, Map<DayOfWeek, List<OpeningInterval>>> found = new HashMap<>();
        jdbc.sql("""
                select w.team_id, i.day_of_week, i.opens_minute, i.closes_minute
                  from business_hour_weeks w
                  left join business_hour_intervals i on i.tenant_id = w.tenant_id and i.week_id = w.id
                 where w.tenant_id = :tenant
                """)
                .param("tenant", tenantId)
                .query(rs -> {
                    Map<DayOfWeek, List<OpeningInterval>> days = found.computeIfAbsent(Sql.uuid(rs, "team_id"), k -> new EnumMap<>(DayOfWeek.class));
                    int day = rs.getInt("day_of_week");
                    if (!rs.wasNull()) {
                        days.computeIfAbsent(DayOfWeek.of(day), k -> new ArrayList<>())
                                .add(new OpeningInterval(rs.getInt("opens_minute"), rs.getInt("closes_minute")));
                    }
                });
        Map<UUID, WeeklyHours> weeks = new HashMap<>();
        found.forEach((team, days) -> weeks.put(team, new WeeklyHours(days)));
        return weeks;
    }

    List<Holiday> holidays(UUID tenantId) {
        return jdbc.sql("select id, team_id, day, name from business_hour_holidays where tenant_id = :tenant order by day, name")
                .param("tenant", tenantId)
                .query((rs, n) -> new Holiday(Sql.uuid(rs, "id"), Sql.uuid(rs, "team_id"), rs.getObject("day", LocalDate.class), rs.getString("name")))
                .list();
    }

    /** Replaces the week of the workspace ({@code teamId} null) or of a team with {@code week}. */
    void saveWeek(UUID tenantId, UUID teamId, WeeklyHours week, Instant now) {
        UUID weekId = weekId(tenantId, teamId).orElse(null);
        if (weekId == null) {
            weekId = Ids.newId();
            jdbc.sql("insert into business_hour_weeks (tenant_id, id, team_id, updated_at) values (:tenant, :id, :team, :now)")
                    .param("tenant", tenantId).param("id", weekId).param("team", teamId).param("now", Sql.ts(now)).update();
        } else {
            jdbc.sql("update business_hour_weeks set updated_at = :now where tenant_id = :tenant and id = :id")
                    .param("tenant", tenantId).param("id", weekId).param("now", Sql.ts(now)).update();
            jdbc.sql("delete from business_hour_intervals where tenant_id = :tenant and week_id = :id")
                    .param("tenant", tenantId).param("id", weekId).update();
        }
        for (Map.Entry<DayOfWeek, List<OpeningInterval>> day : week.days().entrySet()) {
            for (OpeningInterval interval : day.getValue()) {
                jdbc.sql("""
                        insert into business_hour_intervals (tenant_id, week_id, day_of_week, opens_minute, closes_minute)
                        values (:tenant, :week, :day, :opens, :closes)
                        """)
                        .param("tenant", tenantId).param("week", weekId).param("day", day.getKey().getValue())
                        .param("opens", interval.opens()).param("closes", interval.closes()).update();
            }
        }
    }

    /** Removes the week of the workspace or of a team (its intervals go with it); answers whether there was one. */
    boolean removeWeek(UUID tenantId, UUID teamId) {
        return weekId(tenantId, teamId).map(id -> jdbc.sql("delete from business_hour_weeks where tenant_id = :tenant and id = :id")
                .param("tenant", tenantId).param("id", id).update() > 0).orElse(false);
    }

    private Optional<UUID> weekId(UUID tenantId, UUID teamId) {
        return jdbc.sql("""
                select id from business_hour_weeks
                 where tenant_id = :tenant and team_id is not distinct from cast(:team as uuid) for update
                """)
                .param("tenant", tenantId).param("team", teamId).query(UUID.class).optional();
    }

    /** Adds a holiday; answers false when its workspace or team already has one that day. */
    boolean addHoliday(UUID tenantId, Holiday holiday, Instant now) {
        return jdbc.sql("""
                insert into business_hour_holidays (tenant_id, id, team_id, day, name, created_at)
                values (:tenant, :id, :team, :day, :name, :now) on conflict do nothing
                """)
                .param("tenant", tenantId).param("id", holiday.id()).param("team", holiday.teamId()).param("day", holiday.day())
                .param("name", holiday.name()).param("now", Sql.ts(now)).update() > 0;
    }

    Optional<Holiday> holiday(UUID tenantId, UUID id) {
        return jdbc.sql("select id, team_id, day, name from business_hour_holidays where tenant_id = :tenant and id = :id")
                .param("tenant", tenantId).param("id", id)
                .query((rs, n) -> new Holiday(Sql.uuid(rs, "id"), Sql.uuid(rs, "team_id"), rs.getObject("day", LocalDate.class), rs.getString("name")))
                .optional();
    }

    void removeHoliday(UUID tenantId, UUID id) {
        jdbc.sql("delete from business_hour_holidays where tenant_id = :tenant and id = :id").param("tenant", tenantId).param("id", id).update();
    }
}
