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
        control("PATCH", "/switches", "{\"duplicateRate\":0,\"outOfOrderRate\":0,\"retryInitialDelayMs\":1000,\"outOfOrderDelayMs\":1500,"
                + "\"maxDeliveryAttempts\":0,\"retryForMs\":604800000,\"maxRetryBacklogBytes\":67108864}");
        receiver.answerAfter(0);
        receiver.failNext(0);
        receiver.down(false);
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
    void byDefaultAWebhookIsRetriedAsMetaDoesForSevenDaysWithoutAnAttemptLimit() {
        JsonNode switches = control("GET", "/switches", null).json();

        assertThat(switches.get("maxDeliveryAttempts").asInt()).as("no attempt limit").isZero();
        assertThat(switches.get("retryForMs").asLong()).isEqualTo(Duration.ofDays(7).toMillis());
        assertThat(switches.get("retryInitialDelayMs").asLong()).isEqualTo(1000);
        assertThat(switches.get("retryMaxDelayMs").asLong()).isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(switches.get("maxRetryBacklogBytes").asLong()).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void whileTheAppIsDownAWebhookWaitsInTheBacklogIsRetriedOnMetasScheduleAndDrainsWhenTheAppIsBack() {
        control("PATCH", "/switches", "{\"retryInitialDelayMs\":100}");
        receiver.down(true);

        JsonNode sent = customerSends("15550003005", "{\"type\":\"text\",\"text\":{\"body\":\"while you were away\"}}");

        // Attempts 1..5 come after 0, 100, 300, 700 and 1500 ms: Meta's 1, 3, 7, 15 s … scaled down.
        String id = sent.get("id").asString();
        List<Long> times = Eventually.await(() -> receiver.attempts().stream().filter(a -> a.status() == 500 && a.body().contains(id))
                        .map(WebhookReceiver.Attempt::nanos).toList(), list -> list.size() >= 5, "five failed attempts", WAIT);
        long[] expectedGaps = {100, 300, 700, 1500};
        for (int i = 0; i < expectedGaps.length; i++) {
            long gap = Duration.ofNanos(times.get(i + 1) - times.get(i)).toMillis();
            assertThat(gap).as("gap before retry %d", i + 1).isBetween(expectedGaps[i] - 20, expectedGaps[i] * 3 + 200);
        }
        JsonNode waiting = backlogOf(receiver.url());
        assertThat(waiting.get("waiting").asInt()).isEqualTo(1);
        assertThat(waiting.get("events").asInt()).isEqualTo(1);
        assertThat(waiting.get("oldestAgeSeconds").asDouble()).isGreaterThanOrEqualTo(1.5);
        assertThat(receiver.items("messages")).noneMatch(m -> m.get("id").asString().equals(sent.get("id").asString()));

        receiver.down(false);

        receiver.await("messages", m -> m.get("id").asString().equals(sent.get("id").asString()), WAIT);
        Eventually.until(() -> backlogOf(receiver.url()).get("waiting").asInt() == 0, "the backlog to drain", WAIT);
        assertThat(receiver.items("messages").stream().filter(m -> m.get("id").asString().equals(sent.get("id").asString())))
                .as("delivered once").hasSize(1);
    }

    @Test
    void aWebhookIsGivenUpAfterTheRetryPeriodOrAnAttemptLimitWhenOneIsSet() throws Exception {
        try (WebhookReceiver downApp = new WebhookReceiver("verify-me", "s")) {
            BusinessNumber alone = aNumberOf(downApp);
            long failedBefore = stats().at("/webhooks/failed").asLong();
            long expiredBefore = stats().at("/webhooks/backlog/expired").asLong();
            control("PATCH", "/switches", "{\"retryInitialDelayMs\":100,\"retryForMs\":1000}");
            downApp.down(true);

            sendTo(alone, "too late");

            // Attempts after 0, 100 and 400 ms; the next (1100 ms) would come after the retry period, so it is given up.
            Eventually.until(() -> downApp.attempts().size() == 3 && backlogOf(downApp.url()).get("waiting").asInt() == 0,
                    "three attempts, then the webhook expires", WAIT);
            assertThat(stats().at("/webhooks/backlog/expired").asLong()).isGreaterThan(expiredBefore);
            assertThat(stats().at("/webhooks/failed").asLong()).isGreaterThan(failedBefore);
            Thread.sleep(1000);
            assertThat(downApp.attempts()).as("no attempt after it expired").hasSize(3);

            control("PATCH", "/switches", "{\"retryForMs\":604800000,\"maxDeliveryAttempts\":2}");
            sendTo(alone, "twice only");
            Eventually.until(() -> downApp.attempts().size() == 5 && backlogOf(downApp.url()).get("waiting").asInt() == 0,
                    "two attempts, then given up", WAIT);
        }
    }

    @Test
    void theBacklogIsCappedAndGivesUpItsOldestWebhooksBeyondTheCap() throws Exception {
        try (WebhookReceiver downApp = new WebhookReceiver("verify-me", "s")) {
            BusinessNumber alone = aNumberOf(downApp);
            long droppedBefore = stats().at("/webhooks/backlog/droppedOverCap").asLong();
            // Webhooks other classes left waiting (to receivers they closed) are older, so they are given up first.
            control("PATCH", "/switches", "{\"retryInitialDelayMs\":60000,\"maxRetryBacklogBytes\":3000}");
            downApp.down(true);

            for (int i = 0; i < 6; i++) {
                sendTo(alone, "x".repeat(600) + i);
                int tried = i + 1;
                Eventually.until(() -> downApp.attempts().size() == tried, "message " + tried + " tried", WAIT);
            }

            assertThat(stats().at("/webhooks/backlog/droppedOverCap").asLong()).isGreaterThan(droppedBefore);
            assertThat(stats().at("/webhooks/backlog/bytes").asLong()).isLessThanOrEqualTo(3000);
            assertThat(backlogOf(downApp.url()).get("waiting").asInt()).isBetween(1, 5);
        }
    }

    private BusinessNumber aNumberOf(WebhookReceiver app) {
        BusinessNumber alone = numbers.register(null, null, null, "tok-" + UUID.randomUUID(), "s", app.url(), "verify-me");
        assertThat(numbers.awaitWebhookVerified(alone.phoneNumberId(), WAIT)).isTrue();
        return alone;
    }

    private void sendTo(BusinessNumber to, String text) {
        Reply reply = control("POST", "/customers/15550003009/messages", "{\"phoneNumberId\":\"" + to.phoneNumberId()
                + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
    }

    private JsonNode backlogOf(String callbackUrl) {
        JsonNode one = stats().at("/webhooks/backlog/callbacks").get(callbackUrl);
        if (one == null) {
            return JSON.readTree("{\"waiting\":0,\"events\":0,\"oldestAgeSeconds\":0}");
        }
        return one;
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
