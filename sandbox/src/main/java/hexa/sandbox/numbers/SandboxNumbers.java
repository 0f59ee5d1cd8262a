package hexa.sandbox.numbers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import hexa.sandbox.WhatsAppIds;
import hexa.sandbox.webhooks.WebhookDeliveries;
import hexa.sandbox.webhooks.WebhookOutbox;

/**
 * The business numbers the sandbox hosts. This is the Java API the app uses to create or connect a
 * sandbox number: {@link #register} stores it and starts the webhook verification handshake with the
 * app's callback URL; nothing is delivered until the app echoes the challenge.
 */
@Component
public class SandboxNumbers {

    public static final int DEFAULT_MESSAGES_PER_SECOND = 80;

    private final Map<String, BusinessNumber> byId = new ConcurrentHashMap<>();
    private final WebhookDeliveries deliveries;
    private final WhatsAppIds ids;

    public SandboxNumbers(WebhookDeliveries deliveries, WhatsAppIds ids) {
        this.deliveries = deliveries;
        this.ids = ids;
    }

    /**
     * Creates the number, or updates its token and webhook settings when it exists, and starts the
     * verification handshake (asynchronously, retried until the callback echoes the challenge).
     * Blank ids are generated. Returns the number with the ids in effect.
     */
    public BusinessNumber register(String phoneNumberId, String wabaId, String displayPhoneNumber, String accessToken,
            String appSecret, String callbackUrl, String verifyToken) {
        return register(phoneNumberId, wabaId, displayPhoneNumber, accessToken, appSecret, callbackUrl, verifyToken,
                DEFAULT_MESSAGES_PER_SECOND);
    }

    public BusinessNumber register(String phoneNumberId, String wabaId, String displayPhoneNumber, String accessToken,
            String appSecret, String callbackUrl, String verifyToken, int messagesPerSecond) {
        String id = blank(phoneNumberId) ? ids.objectId() : phoneNumberId.trim();
        String waba = blank(wabaId) ? ids.objectId() : wabaId.trim();
        String display = blank(displayPhoneNumber) ? "1555" + id.substring(Math.max(0, id.length() - 7)) : digits(displayPhoneNumber);
        String token = blank(accessToken) ? "EAAsandbox" + ids.fbtraceId().replace("-", "").replace("_", "") : accessToken;
        WebhookTarget target = new WebhookTarget(nullToEmpty(callbackUrl), nullToEmpty(appSecret), nullToEmpty(verifyToken));
        BusinessNumber number = byId.compute(id, (key, existing) -> {
            if (existing == null) {
                return new BusinessNumber(key, waba, display, "Hexa Sandbox " + display.substring(Math.max(0, display.length() - 4)),
                        token, messagesPerSecond, target);
            }
            existing.changeAccessToken(token);
            existing.changeWebhookTarget(target);
            existing.changeMessagesPerSecond(messagesPerSecond);
            return existing;
        });
        deliveries.subscribe(target);
        return number;
    }

    /** Waits until the number's callback URL has passed the verification handshake. */
    public boolean awaitWebhookVerified(String phoneNumberId, Duration timeout) {
        BusinessNumber number = byId.get(phoneNumberId);
        WebhookOutbox outbox = number == null ? null : deliveries.outbox(number.webhookTarget());
        if (outbox == null) {
            return false;
        }
        try {
            return outbox.awaitVerified(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** "VERIFIED", "PENDING" (handshake not yet answered correctly) or "NO_CALLBACK". */
    public String webhookVerification(BusinessNumber number) {
        WebhookOutbox outbox = deliveries.outbox(number.webhookTarget());
        return outbox == null ? "NO_CALLBACK" : outbox.verification().name();
    }

    public String webhookProblem(BusinessNumber number) {
        WebhookOutbox outbox = deliveries.outbox(number.webhookTarget());
        return outbox == null ? "" : outbox.lastProblem();
    }

    public Optional<BusinessNumber> find(String phoneNumberId) {
        return Optional.ofNullable(phoneNumberId == null ? null : byId.get(phoneNumberId));
    }

    public Optional<BusinessNumber> withAccessToken(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return byId.values().stream().filter(n -> n.accessToken().equals(token)).findFirst();
    }

    public List<BusinessNumber> ofWaba(String wabaId) {
        List<BusinessNumber> out = new ArrayList<>();
        for (BusinessNumber number : byId.values()) {
            if (number.wabaId().equals(wabaId)) {
                out.add(number);
            }
        }
        return out;
    }

    public boolean isWaba(String id) {
        return byId.values().stream().anyMatch(n -> n.wabaId().equals(id));
    }

    public Collection<BusinessNumber> all() {
        return byId.values();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String digits(String s) {
        return s.replaceAll("[^0-9]", "");
    }
}
