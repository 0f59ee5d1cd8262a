package hexa.automation.hours;

import hexa.platform.DemoData;
import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code ./hexa run --demo}: the demo shop opens Monday to Friday 09:00–18:00 and Saturday 10:00–14:00 on its own
 * clock, and closes on Republic Day (26 January), set through the same service as Settings → Business hours. A second
 * start leaves hours already set (perhaps changed by hand) alone.
 */
@Component
class DemoBusinessHours {

    private static final MonthDay REPUBLIC_DAY = MonthDay.of(1, 26);

    private final BusinessHoursService hours;
    private final Clock clock;

    DemoBusinessHours(BusinessHoursService hours, Clock clock) {
        this.hours = hours;
        this.clock = clock;
    }

    @EventListener
    void demo(DemoData demo) {
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.member(demo.workspaceId(), Role.OWNER, demo.ownerId(), demo.ownerName()))) {
            if (hours.week(null).isPresent()) {
                return;
            }
            List<OpeningInterval> day = List.of(new OpeningInterval(9 * 60, 18 * 60));
            hours.saveWeek(null, new WeeklyHours(Map.of(DayOfWeek.MONDAY, day, DayOfWeek.TUESDAY, day, DayOfWeek.WEDNESDAY, day,
                    DayOfWeek.THURSDAY, day, DayOfWeek.FRIDAY, day, DayOfWeek.SATURDAY, List.of(new OpeningInterval(10 * 60, 14 * 60)))));
            LocalDate today = LocalDate.ofInstant(clock.instant(), hours.zone());
            LocalDate holiday = REPUBLIC_DAY.atYear(today.getYear());
            if (holiday.isBefore(today)) {
                holiday = REPUBLIC_DAY.atYear(today.getYear() + 1);
            }
            if (hours.holidays().isEmpty()) {
                hours.addHoliday(null, holiday, "Republic Day");
            }
        }
        demo.entries().put("businessHours", Map.of("week", "Monday–Friday 09:00–18:00, Saturday 10:00–14:00", "holiday", "Republic Day"));
    }
}
