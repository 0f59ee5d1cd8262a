package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * A WhatsApp Business phone number connected to a workspace through a Meta app (or the sandbox).
 * Its secrets stay sealed here; {@link ConnectionService} opens them only to call the Graph API or
 * to check a webhook signature.
 */
public record Connection(UUID tenantId, UUID id, Kind kind, String appId, String appSecretSealed, String accessTokenSealed,
                         String wabaId, String phoneNumberId, String displayPhoneNumber, String verifiedName, String graphUrl,
                         String callbackKey, String verifyTokenSealed, Status status, String statusDetail, Instant checkedAt,
                         Instant createdAt, int messagesPerSecond) {

    public enum Kind { META, SANDBOX }

    public enum Status { CONNECTED, NEEDS_ATTENTION, DISCONNECTED }

    public String callbackPath() {
        return "/webhooks/whatsapp/" + callbackKey;
    }
}
