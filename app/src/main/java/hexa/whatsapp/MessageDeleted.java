package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * Its sender deleted a message for everyone: its text, caption, media and earlier versions are gone from our copy and
 * from search, and the conversation shows "This message was deleted" in its place.
 */
public record MessageDeleted(UUID tenantId, UUID messageId, UUID conversationId, MessageDirection direction, MessageType type,
                             Instant deletedAt) {
}
