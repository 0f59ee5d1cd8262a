package hexa.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A conversation with one contact on one WhatsApp number: its state and who works on it. */
public record Conversation(UUID id, UUID contactId, UUID connectionId, Status status, UUID assigneeId, UUID teamId,
                           Instant snoozedUntil, Instant openedAt, Instant lastMessageAt, Instant lastInboundAt,
                           Instant lastOutboundAt, Instant lastReadInboundAt, Instant resolvedAt, Instant lastInboundReceivedAt,
                           List<String> tags) {

    public enum Status { OPEN, PENDING, SNOOZED, RESOLVED }

    /** The customer-service window: free-form messages may be sent for 24 hours after the customer last wrote. */
    public static final Duration WINDOW = Duration.ofHours(24);

    public boolean unread() {
        return lastInboundAt != null && (lastReadInboundAt == null || lastInboundAt.isAfter(lastReadInboundAt));
    }

    /** The customer wrote last and nobody has answered yet. */
    public boolean waiting() {
        return lastInboundAt != null && (lastOutboundAt == null || lastInboundAt.isAfter(lastOutboundAt));
    }

    /** When the window closes (24 hours after the customer's latest message reached us), or null if they never wrote. */
    public Instant windowClosesAt() {
        return lastInboundReceivedAt == null ? null : lastInboundReceivedAt.plus(WINDOW);
    }

    public boolean windowOpen(Instant now) {
        return windowClosesAt() != null && windowClosesAt().isAfter(now);
    }
}
