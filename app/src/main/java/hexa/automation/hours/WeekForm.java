package hexa.automation.hours;

import hexa.platform.web.UserError;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The week as the page's form holds it, times as typed ("09:00"): shown again as it was when something is wrong, and
 * changed without saving by the form's own buttons (add an interval to a day, remove one, copy Monday to the other
 * weekdays), so that it works without JavaScript.
 */
public record WeekForm(Map<DayOfWeek, List<Typed>> days) {

    /** One interval as typed. */
    public record Typed(String opens, String closes) {
    }

    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})(?::00)?");
    private static final int MOST_ROWS = 50;

    public WeekForm {
        Map<DayOfWeek, List<Typed>> copy = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            copy.put(day, List.copyOf(days.getOrDefault(day, List.of())));
        }
        days = Collections.unmodifiableMap(copy);
    }

    public static WeekForm of(WeeklyHours week) {
        Map<DayOfWeek, List<Typed>> days = new EnumMap<>(DayOfWeek.class);
        if (week != null) {
            week.days().forEach((day, intervals) ->
                    days.put(day, intervals.stream().map(i -> new Typed(i.opensText(), i.closesText())).toList()));
        }
        return new WeekForm(days);
    }

    /** The rows the form posted, in order: {@code day} (1 for Monday … 7), {@code opens} and {@code closes} side by side. */
    public static WeekForm typed(List<String> day, List<String> opens, List<String> closes) {
        int rows = day == null ? 0 : day.size();
        if (rows > MOST_ROWS || opens == null && rows > 0 || closes == null && rows > 0
                || rows > 0 && (opens.size() != rows || closes.size() != rows)) {
            throw UserError.invalid("hours.error.form");
        }
        Map<DayOfWeek, List<Typed>> days = new EnumMap<>(DayOfWeek.class);
        for (int i = 0; i < rows; i++) {
            DayOfWeek which;
            try {
                which = DayOfWeek.of(Integer.parseInt(day.get(i).strip()));
            } catch (RuntimeException e) {
                throw UserError.invalid("hours.error.form");
            }
            days.computeIfAbsent(which, k -> new ArrayList<>()).add(new Typed(clean(opens.get(i)), clean(closes.get(i))));
        }
        return new WeekForm(days);
    }

    public List<Typed> on(DayOfWeek day) {
        return days.get(day);
    }

    /** Another interval on {@code day}: after the last one, or 09:00 to 17:00 on a closed day. */
    public WeekForm add(DayOfWeek day) {
        List<Typed> rows = new ArrayList<>(days.get(day));
        rows.add(rows.isEmpty() ? new Typed("09:00", "17:00") : new Typed("", ""));
        return with(day, rows);
    }

    public WeekForm remove(DayOfWeek day, int index) {
        List<Typed> rows = new ArrayList<>(days.get(day));
        if (index >= 0 && index < rows.size()) {
            rows.remove(index);
        }
        return with(day, rows);
    }

    /** Tuesday to Friday get Monday's intervals; the weekend keeps its own. */
    public WeekForm copyMondayToWeekdays() {
        Map<DayOfWeek, List<Typed>> copy = new EnumMap<>(days);
        for (DayOfWeek day : List.of(DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            copy.put(day, days.get(DayOfWeek.MONDAY));
        }
        return new WeekForm(copy);
    }

    /**
     * The week typed, checked: each interval has both times, closes after it opens (closing at 00:00 is midnight, the
     * end of the day), and a day's intervals do not overlap. A row left empty is dropped.
     */
    public WeeklyHours parse() {
        Map<DayOfWeek, List<OpeningInterval>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            List<OpeningInterval> intervals = new ArrayList<>();
            for (Typed row : days.get(day)) {
                if (row.opens().isEmpty() && row.closes().isEmpty()) {
                    continue;
                }
                Integer opens = minute(row.opens());
                Integer closes = minute(row.closes());
                if (opens == null || closes == null || opens >= OpeningInterval.END_OF_DAY) {
                    throw UserError.invalid("hours.error.time-invalid", BusinessHoursService.dayName(day));
                }
                if (closes == 0) {
                    closes = OpeningInterval.END_OF_DAY;
                }
                if (closes <= opens) {
                    throw UserError.invalid("hours.error.closes-before-opening", BusinessHoursService.dayName(day), row.opens(), row.closes());
                }
                intervals.add(new OpeningInterval(opens, closes));
            }
            week.put(day, intervals);
        }
        WeeklyHours hours = new WeeklyHours(week);
        BusinessHoursService.check(hours);
        return hours;
    }

    private WeekForm with(DayOfWeek day, List<Typed> rows) {
        if (rows.size() > WeeklyHours.MOST_A_DAY) {
            return this;
        }
        Map<DayOfWeek, List<Typed>> copy = new EnumMap<>(days);
        copy.put(day, rows);
        return new WeekForm(copy);
    }

    /** Minutes after midnight of "HH:MM" (24:00 too), or null when it is not such a time. */
    private static Integer minute(String typed) {
        Matcher m = TIME.matcher(typed);
        if (!m.matches()) {
            return null;
        }
        int hours = Integer.parseInt(m.group(1));
        int minutes = Integer.parseInt(m.group(2));
        if (minutes > 59 || hours > 24 || hours == 24 && minutes > 0) {
            return null;
        }
        return hours * 60 + minutes;
    }

    private static String clean(String typed) {
        String value = typed == null ? "" : typed.strip();
        return value.length() > 8 ? value.substring(0, 8) : value;
    }
}
