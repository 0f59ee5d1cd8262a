package hexa.platform.hours;

import hexa.platform.web.Text;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * "Open now — closes 18:00", "Closed — opens Monday 09:00": a {@link BusinessHours.Now} in words, its time on the
 * workspace's wall clock. Shared by the inbox's badge and Settings → Business hours.
 */
public final class OpenNowText {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    private OpenNowText() {
    }

    /** What a badge shows: open (green) or closed, in words. */
    public record Badge(boolean open, String text) {
    }

    /** The badge of the workspace (or its team) at {@code at}; empty when it has no hours. */
    public static java.util.Optional<Badge> badge(BusinessHours hours, java.util.UUID tenantId, java.util.UUID teamId, Instant at, ZoneId zone) {
        return hours.now(tenantId, teamId, at).map(now -> new Badge(now.open(), of(now, at, zone)));
    }

    public static String of(BusinessHours.Now now, Instant at, ZoneId zone) {
        if (now.nextChange() == null) {
            return Text.t(now.open() ? "hours.now.open" : "hours.now.closed");
        }
        return Text.t(now.open() ? "hours.now.open-until" : "hours.now.closed-until", when(now.nextChange(), at, zone));
    }

    /** A time soon after {@code at}: "18:00" today, "at midnight" tonight, "tomorrow 09:00", "Monday 09:00" within the week, else "26 Jan 09:00". */
    public static String when(Instant time, Instant at, ZoneId zone) {
        ZonedDateTime local = time.atZone(zone);
        LocalDate today = at.atZone(zone).toLocalDate();
        String hour = HOUR.format(local);
        LocalDate day = local.toLocalDate();
        if (day.equals(today)) {
            return Text.t("hours.when.today", hour);
        }
        if (day.equals(today.plusDays(1)) && local.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
            return Text.t("hours.when.midnight");
        }
        if (day.equals(today.plusDays(1))) {
            return Text.t("hours.when.tomorrow", hour);
        }
        if (day.isBefore(today.plusDays(7))) {
            return Text.t("hours.when.weekday", Text.t("hours.day." + day.getDayOfWeek().name().toLowerCase(Locale.ROOT)), hour);
        }
        return Text.t("hours.when.date", DATE.format(local), hour);
    }
}
