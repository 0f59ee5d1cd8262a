package hexa.automation.hours;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A week of opening hours: for each day its intervals, sorted and not overlapping; a day without any is closed. The
 * times are wall-clock times in the workspace's time zone.
 */
public record WeeklyHours(Map<DayOfWeek, List<OpeningInterval>> days) {

    /** More intervals than anyone splits a day into; a guard against a form posting thousands. */
    public static final int MOST_A_DAY = 6;

    public WeeklyHours {
        Map<DayOfWeek, List<OpeningInterval>> copy = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            List<OpeningInterval> intervals = new ArrayList<>(days.getOrDefault(day, List.of()));
            Collections.sort(intervals);
            copy.put(day, List.copyOf(intervals));
        }
        days = Collections.unmodifiableMap(copy);
    }

    public static WeeklyHours closed() {
        return new WeeklyHours(Map.of());
    }

    public List<OpeningInterval> on(DayOfWeek day) {
        return days.get(day);
    }

    public boolean openAt(DayOfWeek day, int minute) {
        for (OpeningInterval interval : days.get(day)) {
            if (interval.contains(minute)) {
                return true;
            }
        }
        return false;
    }

    /** Whether it opens at all during the week. */
    public boolean opensAtAll() {
        return days.values().stream().anyMatch(intervals -> !intervals.isEmpty());
    }
}
