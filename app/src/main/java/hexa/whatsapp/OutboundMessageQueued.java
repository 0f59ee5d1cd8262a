package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * A message to a customer was written to the send queue (by a member, an API token, or the system on its
 * own), in the transaction that asked for it; the sender takes it from there.
 *
 * @param sentByKind {@code USER}, {@code API_TOKEN}, {@code SYSTEM}, {@code RULE} or {@code FLOW}; {@code sentBy} is the member, token,
 *                   rule or flow
 */
public record OutboundMessageQueued(UUID tenantId, UUID messageId, UUID conversationId, UUID contactId, UUID connectionId,
                                    MessageType type, String sentByKind, UUID sentBy, Instant queuedAt) {
}
