package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * Meta reported a message the business sent further along (sent, delivered, read, played) or failed after
 * it was sent. Published once per message and status, and only when the status moved the message forward,
 * in the transaction that applied it.
 */
public record MessageStatusChanged(UUID tenantId, UUID messageId, UUID conversationId, String wamid, StatusUpdate.Status status,
                                   Integer errorCode, Instant occurredAt) {
}
