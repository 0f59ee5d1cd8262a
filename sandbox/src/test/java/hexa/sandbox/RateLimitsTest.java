package hexa.sandbox;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Throughput per number (130429) and the per-recipient pair limit (131056). */
class RateLimitsTest extends SandboxTest {

    @Override
    protected int numberMessagesPerSecond() {
        return 3;
    }

    /** Each test sends from a number that has sent nothing yet, so that no earlier send is still in its one-second window. */
    @BeforeEach
    void aNumberThatHasSentNothing() {
        useNewNumber();
    }

    @AfterEach
    void restore() {
        control("PATCH", "/switches", "{\"pairBurst\":45,\"pairMessagesPerSecond\":0.16666666666666666,\"sendFailures\":0,\"graphLatencyMs\":0}");
    }

    private Reply template(String to) {
        return send(fixture("api/send-template-hello-world.json").replace("{{Recipient-Phone-Number}}", to));
    }

    @Test
    void sendingAboveTheNumbersMessagesPerSecondIs130429() {
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Reply reply = template("1555000500" + i);
            codes.add(reply.status() == 200 ? 0 : reply.json().at("/error/code").asInt());
        }

        assertThat(codes).contains(0, 130429);
        JsonNode error = null;
        for (int i = 0; i < 10 && error == null; i++) {
            Reply reply = template("15550005099");
            if (reply.status() != 200) {
                error = reply.json();
            }
        }
        assertThat(error).isNotNull();
        assertThat(shape(error, "")).isEqualTo(shape(JSON.readTree(fixture("api/error-130429-rate-limit.json")), ""));
        assertThat(error.at("/error/message").asString()).isEqualTo("(#130429) Rate limit hit");
    }

    @Test
    void tooManyMessagesToOneCustomerIs131056() {
        control("PATCH", "/switches", "{\"pairBurst\":2,\"pairMessagesPerSecond\":0.01}");

        int first = template("15550005100").status();
        int second = template("15550005100").status();
        Reply third = template("15550005100");

        assertThat(first).isEqualTo(200);
        assertThat(second).isEqualTo(200);
        assertThat(third.json().at("/error/code").asInt()).isEqualTo(131056);
    }

    @Test
    void aNumbersTierAndMessagingLimitAreSetThroughTheControlApiAndShownByTheGraphApi() {
        Reply changed = control("PATCH", "/numbers/" + number.phoneNumberId(), "{\"messagesPerSecond\": 250, \"messagingLimit\": 2000}");
        assertThat(changed.status()).isEqualTo(200);

        JsonNode phone = graphGet("/" + number.phoneNumberId() + "?fields=throughput,whatsapp_business_manager_messaging_limit", token).json();
        assertThat(phone.at("/throughput/level").asString()).isEqualTo("HIGH");
        assertThat(phone.get("whatsapp_business_manager_messaging_limit").asString()).isEqualTo("TIER_2K");
        assertThat(control("PATCH", "/numbers/" + number.phoneNumberId(), "{\"messagingLimit\": 3}").status()).isEqualTo(400);
    }

    @Test
    void pacingErrorsAreAnsweredInMetasEnvelopeAndSendsAreCountedPerNumber() {
        control("PATCH", "/switches", "{\"sendFailures\": 1, \"sendFailureCode\": 131048, \"sendFailurePhoneNumberId\": \"" + number.phoneNumberId() + "\"}");
        Reply refused = template("15550005200");
        assertThat(refused.json().at("/error/code").asInt()).isEqualTo(131048);
        assertThat(refused.json().at("/error/message").asString()).isEqualTo("(#131048) Spam rate limit hit");

        control("PATCH", "/switches", "{\"graphLatencyMs\": 50, \"graphLatencyJitterMs\": 0}");
        long started = System.nanoTime();
        assertThat(template("15550005201").status()).isEqualTo(200);
        assertThat((System.nanoTime() - started) / 1_000_000).as("answered after the latency").isGreaterThanOrEqualTo(50);

        JsonNode stats = control("GET", "/stats?phoneNumberId=" + number.phoneNumberId(), null).json();
        assertThat(stats.at("/refused/131048").asInt()).isEqualTo(1);
        assertThat(stats.get("order").size()).isEqualTo(1);
        assertThat(stats.get("maxPerSecond").asInt()).isEqualTo(1);
        assertThat(stats.get("maxConcurrentSends").asInt()).isEqualTo(1);
    }
}
