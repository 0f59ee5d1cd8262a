package hexa.inbox;

import java.time.Instant;
import java.util.UUID;

/**
 * A resolved conversation is live again: someone reopened it, or the customer (or the business) wrote again
 * and the workspace brings the latest conversation back rather than opening a new one.
 */
public record ConversationReopened(UUID tenantId, UUID conversationId, Instant reopenedAt) {
}
