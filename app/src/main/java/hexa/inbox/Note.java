package hexa.inbox;

import java.time.Instant;
import java.util.UUID;

/** A private note in a conversation: members see it, the customer never does. */
public record Note(UUID id, UUID conversationId, UUID authorId, String authorName, String body, Instant createdAt, Instant editedAt) {
}
