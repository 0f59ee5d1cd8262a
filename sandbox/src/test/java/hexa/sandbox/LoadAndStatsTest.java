package hexa.sandbox;

import org.junit.jupiter.api.Test;

import hexa.support.Eventually;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The load endpoint makes N customers send M messages each at R per second; stats count what happened. */
class LoadAndStatsTest extends SandboxTest {

    @Test
    void aLoadRunDeliversEveryMessageAndIsCounted() {
        long inboundBefore = control("GET", "/stats", null).json().get("inboundMessages").asLong();

        Reply started = control("POST", "/load", "{\"phoneNumberId\":\"" + number.phoneNumberId()
                + "\",\"customers\":5,\"messagesPerCustomer\":4,\"messagesPerSecond\":100,\"customerPrefix\":\"1777\"}");

        assertThat(started.status()).isEqualTo(201);
        assertThat(started.json().get("total").asInt()).isEqualTo(20);
        receiver.awaitCount("messages", m -> m.path("from").asString().startsWith("1777"), 20, WAIT);
        // The run counts a message just after handing it over, so the receiver may hold the last one first.
        String path = "/load/" + started.json().get("id").asString();
        JsonNode run = Eventually.await(() -> control("GET", path, null).json(), r -> r.get("done").asBoolean(), "the load run to be done", WAIT);
        assertThat(run.get("sent").asInt()).isEqualTo(20);
        JsonNode stats = control("GET", "/stats", null).json();
        assertThat(stats.get("inboundMessages").asLong() - inboundBefore).isGreaterThanOrEqualTo(20);
        assertThat(stats.at("/webhooks/delivered").asLong()).isGreaterThanOrEqualTo(20);
        // Load messages go out but are not kept: a long run must not fill the sandbox's memory.
        assertThat(control("GET", "/numbers/" + number.phoneNumberId() + "/chats", null).text()).doesNotContain("177700000001");
    }

    @Test
    void statsCountAcceptedAndRejectedByErrorCode() {
        send("{\"messaging_product\":\"whatsapp\",\"to\":\"15550006001\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}");
        send("{\"messaging_product\":\"whatsapp\",\"to\":\"15550006001\",\"type\":\"text\",\"text\":{}}");

        JsonNode stats = control("GET", "/stats", null).json();

        assertThat(stats.get("accepted").asLong()).isPositive();
        assertThat(stats.at("/rejected/131008").asLong()).isPositive();
        assertThat(stats.at("/webhooks").has("retried")).isTrue();
        assertThat(stats.at("/webhooks").has("failed")).isTrue();
    }

    @Test
    void statsOfOneNumberCountOnlyWhatThatNumberDid() {
        String mine = "/stats?phoneNumberId=" + number.phoneNumberId();
        long acceptedBefore = control("GET", mine, null).json().get("accepted").asLong();
        long allBefore = control("GET", "/stats", null).json().get("accepted").asLong();

        send("{\"messaging_product\":\"whatsapp\",\"to\":\"15550006002\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}");

        JsonNode own = control("GET", mine, null).json();
        assertThat(own.get("phoneNumberId").asString()).isEqualTo(number.phoneNumberId());
        assertThat(own.get("accepted").asLong() - acceptedBefore).isEqualTo(1);
        assertThat(own.has("mediaUploads")).isTrue();
        assertThat(own.has("readReceipts")).isTrue();
        assertThat(control("GET", "/stats", null).json().get("accepted").asLong() - allBefore).isGreaterThanOrEqualTo(1);
        JsonNode other = control("GET", "/stats?phoneNumberId=999000111", null).json();
        assertThat(other.get("accepted").asLong()).as("a number that sent nothing").isZero();
        assertThat(other.get("readReceipts").asLong()).isZero();
    }

    @Test
    void aLoadRequestWithoutSizesIsRefused() {
        Reply reply = control("POST", "/load", "{\"phoneNumberId\":\"" + number.phoneNumberId() + "\",\"customers\":0}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("code").asString()).isEqualTo("bad_request");
    }

    @Test
    void unknownSwitchesAreRefused() {
        Reply reply = control("PATCH", "/switches", "{\"makeItFast\":true}");

        assertThat(reply.status()).isEqualTo(400);
    }
}
