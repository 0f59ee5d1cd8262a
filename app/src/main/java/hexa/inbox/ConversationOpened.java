package hexa.inbox;

import java.time.Instant;
import java.util.UUID;

/** A new conversation began with a contact on a number (the customer wrote first, or the business did). */
public record ConversationOpened(UUID tenantId, UUID conversationId, UUID contactId, UUID connectionId, Instant openedAt) {
}
