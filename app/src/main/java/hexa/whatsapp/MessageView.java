package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/** A stored message as the API and the inbox show it. */
public record MessageView(UUID id, UUID conversationId, UUID contactId, MessageDirection direction, String wamid, MessageType type, String body,
                          String content, String replyToWamid, MessageStatus status, Integer errorCode, String errorTitle,
                          String errorDetails, Instant sentAt, Instant statusAt, Instant createdAt, boolean forwarded,
                          boolean frequentlyForwarded) {
}
