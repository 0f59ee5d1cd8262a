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
        control("PATCH", "/switches", "{\"pairBurst\":45,\"pairMessagesPerSecond\":0.16666666666666666}");
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
}
