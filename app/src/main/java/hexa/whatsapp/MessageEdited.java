package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * Its sender edited a message: a customer in WhatsApp, or the business in the WhatsApp Business app. The message shows
 * the new text or caption, marked edited, with the earlier versions kept. Not a new message: nothing that answers
 * customers' messages reacts to it.
 */
public record MessageEdited(UUID tenantId, UUID messageId, UUID conversationId, MessageDirection direction, Instant editedAt) {
}
