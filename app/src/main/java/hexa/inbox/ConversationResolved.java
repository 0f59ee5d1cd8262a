package hexa.inbox;

import java.time.Instant;
import java.util.UUID;

/** A conversation was resolved: it leaves the live lists until the customer writes again or someone reopens it. */
public record ConversationResolved(UUID tenantId, UUID conversationId, Instant resolvedAt) {
}
