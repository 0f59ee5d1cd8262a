package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * The business answered a customer from the WhatsApp Business app on a coexistence number, and Meta echoed the message
 * to us: it is in the customer's conversation as an outbound message sent "from the phone". We never sent it, so
 * nothing is queued for it; it counts as the business's answer, as an agent's reply does.
 */
public record MessageSentFromBusinessApp(UUID tenantId, UUID messageId, UUID conversationId, UUID contactId, UUID connectionId,
                                         MessageType type, Instant sentAt) {
}
