package hexa.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import hexa.sandbox.numbers.BusinessNumber;
import hexa.support.Eventually;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivery behaves as Meta's does: handshake first, retries with backoff, batches, duplicates, reordering. */
class WebhookDeliveryTest extends SandboxTest {

    @AfterEach
    void restoreSwitches() {
        control("PATCH", "/switches", "{\"duplicateRate\":0,\"outOfOrderRate\":0,\"retryInitialDelayMs\":1000,\"outOfOrderDelayMs\":1500}");
        receiver.answerAfter(0);
        receiver.failNext(0);
    }

    @Test
    void theHandshakeEchoesTheChallengeBeforeAnythingIsSent() {
        assertThat(receiver.handshakes()).isNotEmpty();
        var handshake = receiver.handshakes().get(0);
        assertThat(handshake.get("hub.mode")).isEqualTo("subscribe");
        assertThat(handshake.get("hub.verify_token")).isEqualTo("verify-me");
        assertThat(handshake.get("hub.challenge")).isNotBlank();
    }

    @Test
    void nothingIsDeliveredToACallbackThatRefusesTheHandshake() throws Exception {
        try (WebhookReceiver stranger = new WebhookReceiver("another-token", "s")) {
            BusinessNumber wrong = numbers.register(null, null, null, "tok-" + UUID.randomUUID(), "s", stranger.url(), "not-its-token");
            control("POST", "/customers/15550003001/messages",
                    "{\"phoneNumberId\":\"" + wrong.phoneNumberId() + "\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");

            // The handshake is tried in the background; what comes after it (a delivery) would come only if it passed.
            Eventually.until(() -> !stranger.handshakes().isEmpty(), "the handshake to be tried", WAIT);
            assertThat(numbers.awaitWebhookVerified(wrong.phoneNumberId(), Duration.ZERO)).isFalse();
            assertThat(stranger.deliveries()).isEmpty();
            JsonNode listed = findNumber(wrong.phoneNumberId());
            assertThat(listed.get("webhookVerification").asString()).isEqualTo("PENDING");
        }
    }

    @Test
    void aFailedDeliveryIsRetriedWithBackoffUntilAccepted() {
        control("PATCH", "/switches", "{\"retryInitialDelayMs\":100}");
        long retriedBefore = stats().at("/webhooks/retried").asLong();
        receiver.failNext(2);

        JsonNode sent = customerSends("15550003002", "{\"type\":\"text\",\"text\":{\"body\":\"please retry\"}}");

        receiver.await("messages", m -> m.get("id").asString().equals(sent.get("id").asString()), WAIT);
        assertThat(stats().at("/webhooks/retried").asLong() - retriedBefore).isGreaterThanOrEqualTo(2);
    }

    @Test
    void underLoadSeveralMessagesShareOnePost() {
        receiver.answerAfter(150);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(customerSends("155500031" + (10 + i), "{\"type\":\"text\",\"text\":{\"body\":\"busy " + i + "\"}}").get("id").asString());
        }

        receiver.awaitCount("messages", m -> ids.contains(m.get("id").asString()), 12, WAIT);

        JsonNode batched = receiver.deliveries().stream().map(WebhookReceiver.Delivery::json)
                .filter(j -> j.at("/entry/0/changes/0/value/messages").size() > 1).findFirst().orElseThrow();
        JsonNode value = batched.at("/entry/0/changes/0/value");
        assertThat(value.get("contacts").size()).isEqualTo(value.get("messages").size());
    }

    @Test
    void duplicateDeliveryCanBeSwitchedOn() {
        control("PATCH", "/switches", "{\"duplicateRate\":1.0}");

        JsonNode sent = customerSends("15550003003", "{\"type\":\"text\",\"text\":{\"body\":\"twice\"}}");

        List<JsonNode> copies = receiver.awaitCount("messages", m -> m.get("id").asString().equals(sent.get("id").asString()), 2, WAIT);
        assertThat(copies).hasSize(2);
    }

    @Test
    void outOfOrderDeliveryCanBeSwitchedOn() {
        control("PATCH", "/switches", "{\"outOfOrderRate\":0.5,\"outOfOrderDelayMs\":400}");
        List<String> sentOrder = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sentOrder.add(customerSends("15550003004", "{\"type\":\"text\",\"text\":{\"body\":\"" + i + "\"}}").get("id").asString());
        }

        List<String> arrived = receiver.awaitCount("messages", m -> sentOrder.contains(m.get("id").asString()), 20, WAIT)
                .stream().map(m -> m.get("id").asString()).toList();

        assertThat(arrived).containsExactlyInAnyOrderElementsOf(sentOrder);
        assertThat(arrived).isNotEqualTo(sentOrder);
    }

    private JsonNode stats() {
        return control("GET", "/stats", null).json();
    }

    private JsonNode findNumber(String id) {
        for (JsonNode n : control("GET", "/numbers", null).json()) {
            if (n.get("phoneNumberId").asString().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("number not listed");
    }
}
