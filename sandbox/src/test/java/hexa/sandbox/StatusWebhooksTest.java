package hexa.sandbox;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** What happens after a message is accepted is told by status webhooks, as in Meta's examples. */
class StatusWebhooksTest extends SandboxTest {

    private String sendText(String to, String extra) {
        Reply reply = send("{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"type\":\"text\",\"text\":{\"body\":\"Your order shipped\"}" + extra + "}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json().at("/messages/0/id").asString();
    }

    private List<String> statusesOf(String wamid, int count) {
        return receiver.awaitCount("statuses", s -> s.get("id").asString().equals(wamid), count, WAIT).stream()
                .map(s -> s.get("status").asString()).toList();
    }

    @Test
    void aReplyInsideTheServiceWindowIsSentThenDeliveredThenRead() {
        customerSends("15550001001", "{\"type\":\"text\",\"text\":{\"body\":\"Where is my order?\"}}");

        String wamid = sendText("15550001001", "");

        assertThat(statusesOf(wamid, 3)).containsExactly("sent", "delivered", "read");
        JsonNode sent = receiver.await("statuses", s -> s.get("id").asString().equals(wamid) && s.get("status").asString().equals("sent"), WAIT);
        assertThat(sent.get("recipient_id").asString()).isEqualTo("15550001001");
        assertThat(sent.get("timestamp").isString()).isTrue();
        assertThat(sent.at("/pricing/pricing_model").asString()).isEqualTo("PMP");
        assertThat(sent.at("/pricing/category").asString()).isEqualTo("service");
        JsonNode value = receiver.valueCarrying("statuses", s -> s.get("id").asString().equals(wamid));
        assertThat(shape(value, "")).containsAll(shape(JSON.readTree(fixture("status-read-pmp.json")).at("/entry/0/changes/0/value"), ""));
    }

    @Test
    void anAnswerHeldBackComesLateWhileTheMessageIsAlreadyAcceptedAndOnItsWay() {
        customerSends("15550001009", "{\"type\":\"text\",\"text\":{\"body\":\"Are you open?\"}}");
        control("PATCH", "/switches", "{\"answerHoldMs\": 4000, \"answerHoldPhoneNumberId\": \"" + number.phoneNumberId() + "\"}");
        try {
            long started = System.nanoTime();
            java.util.concurrent.CompletableFuture<String> answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> sendText("15550001009", ""));

            // Meta has accepted it before answering: its "sent" status goes out while the caller still waits.
            JsonNode sent = receiver.await("statuses", s -> s.get("status").asString().equals("sent")
                    && s.get("recipient_id").asString().equals("15550001009"), WAIT);
            assertThat(answer.isDone()).isFalse();
            String wamid = answer.join();
            assertThat(sent.get("id").asString()).isEqualTo(wamid);
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(4000);
        } finally {
            control("PATCH", "/switches", "{\"answerHoldMs\": 0, \"answerHoldPhoneNumberId\": null}");
        }
    }

    @Test
    void anAnswerHeldForAnotherNumberIsNotHeldHere() {
        customerSends("15550001010", "{\"type\":\"text\",\"text\":{\"body\":\"Hi\"}}");
        control("PATCH", "/switches", "{\"answerHoldMs\": 5000, \"answerHoldPhoneNumberId\": \"999999999999\"}");
        try {
            long started = System.nanoTime();
            sendText("15550001010", "");
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(4000);
        } finally {
            control("PATCH", "/switches", "{\"answerHoldMs\": 0, \"answerHoldPhoneNumberId\": null}");
        }
    }

    @Test
    void aStatusLooksLikeMetasDeliveredExample() {
        customerSends("15550001002", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        String wamid = sendText("15550001002", "");

        JsonNode delivered = receiver.await("statuses", s -> s.get("id").asString().equals(wamid) && s.get("status").asString().equals("delivered"), WAIT);

        JsonNode example = JSON.readTree(fixture("status-delivered-pmp.json")).at("/entry/0/changes/0/value/statuses/0");
        assertThat(shape(delivered, "")).isEqualTo(shape(example, ""));
    }

    @Test
    void aFreeFormMessageOutsideTheWindowFailsWith131047() {
        String wamid = sendText("15550001003", "");

        JsonNode failed = receiver.await("statuses", s -> s.get("id").asString().equals(wamid), WAIT);

        JsonNode example = JSON.readTree(fixture("status-failed-131047.json")).at("/entry/0/changes/0/value/statuses/0");
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("errors")).isEqualTo(example.get("errors"));
        assertThat(shape(failed, "")).isEqualTo(shape(example, ""));
    }

    @Test
    void theWindowClosesTwentyFourHoursAfterTheCustomersLastMessage() {
        customerSends("15550001004", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        control("POST", "/clock", "{\"advanceSeconds\": 90000}");

        String late = sendText("15550001004", "");
        String template = send("{\"messaging_product\":\"whatsapp\",\"to\":\"15550001004\",\"type\":\"template\","
                + "\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}").json().at("/messages/0/id").asString();

        assertThat(receiver.await("statuses", s -> s.get("id").asString().equals(late), WAIT).at("/errors/0/code").asInt()).isEqualTo(131047);
        assertThat(statusesOf(template, 3)).containsExactly("sent", "delivered", "read");
        JsonNode templateSent = receiver.await("statuses", s -> s.get("id").asString().equals(template), WAIT);
        assertThat(templateSent.at("/pricing/category").asString()).isEqualTo("marketing");
        assertThat(templateSent.at("/pricing/billable").asBoolean()).isTrue();
    }

    @Test
    void anUndeliverableCustomerGetsFailedWith131026() {
        control("POST", "/customers", "{\"waId\":\"16505550000\",\"undeliverable\":true}");
        String wamid = send(fixture("api/send-template-hello-world.json").replace("{{Recipient-Phone-Number}}", "16505550000"))
                .json().at("/messages/0/id").asString();

        JsonNode failed = receiver.await("statuses", s -> s.get("id").asString().equals(wamid), WAIT);

        JsonNode example = JSON.readTree(fixture("status-failed-131026.json")).at("/entry/0/changes/0/value/statuses/0");
        assertThat(failed.get("errors")).isEqualTo(example.get("errors"));
    }

    @Test
    void aVoiceMessageIsPlayedAfterItIsRead() {
        customerSends("15550001005", "{\"type\":\"text\",\"text\":{\"body\":\"send me a voice note\"}}");
        String wamid = send("{\"messaging_product\":\"whatsapp\",\"to\":\"15550001005\",\"type\":\"audio\",\"audio\":{\"link\":\"https://example.com/a.ogg\"}}")
                .json().at("/messages/0/id").asString();

        assertThat(statusesOf(wamid, 4)).containsExactly("sent", "delivered", "read", "played");
    }

    @Test
    void aReactionOnlyGetsSent() {
        JsonNode inbound = customerSends("15550001006", "{\"type\":\"text\",\"text\":{\"body\":\"thanks!\"}}");
        String wamid = send("{\"messaging_product\":\"whatsapp\",\"to\":\"15550001006\",\"type\":\"reaction\",\"reaction\":{\"message_id\":\""
                + inbound.get("id").asString() + "\",\"emoji\":\"\\ud83d\\udc4d\"}}").json().at("/messages/0/id").asString();

        receiver.await("statuses", s -> s.get("id").asString().equals(wamid), WAIT);
        // A text sent after the reaction: statuses are planned when Meta accepts a message and posted in order, so once
        // the text's "read" is here, a "delivered" or "read" of the reaction would have come before it.
        String after = sendText("15550001006", "");
        receiver.await("statuses", s -> s.get("id").asString().equals(after) && s.get("status").asString().equals("read"), WAIT);

        assertThat(receiver.items("statuses").stream().filter(s -> s.get("id").asString().equals(wamid)).map(s -> s.get("status").asString()))
                .containsExactly("sent");
    }

    @Test
    void bizOpaqueCallbackDataIsEchoedInStatuses() {
        customerSends("15550001007", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        String wamid = sendText("15550001007", ",\"biz_opaque_callback_data\":\"campaign-42\"");

        JsonNode sent = receiver.await("statuses", s -> s.get("id").asString().equals(wamid), WAIT);

        assertThat(sent.get("biz_opaque_callback_data").asString()).isEqualTo("campaign-42");
    }
}
