package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * A queued message will not be sent: Meta refused it for good (its code and the plain-words explanation).
 * A message that fails after Meta accepted it is a {@link MessageStatusChanged} to {@code FAILED}.
 */
public record OutboundMessageFailed(UUID tenantId, UUID messageId, Integer errorCode, String errorTitle, Instant failedAt) {
}
