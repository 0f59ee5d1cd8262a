package hexa.inbox;

import java.time.Duration;
import java.time.Instant;

/** A conversation list line with the names the page shows. */
public record ListItem(ConversationRow row, String contactName, String contactPhone, String assigneeName, String numberLabel) {

    public Conversation conversation() {
        return row.conversation();
    }

    /** The service window in words for the list: "open", "closes in 3 h" (under 4 hours left), "closed". */
    public String windowKey(Instant now) {
        Conversation c = row.conversation();
        if (!c.windowOpen(now)) {
            return "closed";
        }
        return Duration.between(now, c.windowClosesAt()).toHours() < 4 ? "closing" : "open";
    }

    public long windowHoursLeft(Instant now) {
        Instant closes = row.conversation().windowClosesAt();
        return closes == null ? 0 : Math.max(1, (Duration.between(now, closes).toMinutes() + 59) / 60);
    }
}
