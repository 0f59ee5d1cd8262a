package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/** Meta accepted a queued message: it has its WhatsApp id and is on its way to the customer. */
public record OutboundMessageSent(UUID tenantId, UUID messageId, String wamid, Instant acceptedAt) {
}
