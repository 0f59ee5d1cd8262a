package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.ApiClient;
import hexa.support.Response;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** A workspace's sandbox number seen from both sides: customers writing in, our API, and what Meta's side received. */
final class SandboxChat {

    private final JdbcClient jdbc;
    private final UUID tenant;
    private final String phoneNumberId;
    private final ApiClient api;
    private final ApiClient sandbox;

    SandboxChat(String baseUrl, JdbcClient jdbc, UUID tenant, String phoneNumberId, ApiClient api) {
        this.jdbc = jdbc;
        this.tenant = tenant;
        this.phoneNumberId = phoneNumberId;
        this.api = api;
        this.sandbox = new ApiClient(baseUrl, null);
    }

    /** The customer writes to the number; returns once the message is stored (the 24-hour window is open). */
    void customerWrites(String waId, String text) {
        Response sent = sandbox.send("POST", "/sandbox/api/customers/" + waId + "/messages",
                "{\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"},\"phoneNumberId\":\"" + phoneNumberId + "\"}");
        assertThat(sent.status()).isBetween(200, 299);
        await(() -> jdbc.sql("select count(*) from messages where tenant_id = :t and body = :b").param("t", tenant).param("b", text)
                .query(Integer.class).single(), n -> n > 0, "the customer's message to arrive");
    }

    /** Our message as the API shows it, once it meets the condition. */
    JsonNode awaitMessage(String id, Predicate<JsonNode> condition) {
        return await(() -> ApiClient.json(api.get("/api/v1/messages/" + id)), condition, "message " + id + " to reach the expected state");
    }

    /** The conversation with a customer as the sandbox (Meta's side, the customer's phone) has it. */
    JsonNode chat(String waId) {
        return ApiClient.json(sandbox.get("/sandbox/api/numbers/" + phoneNumberId + "/chats/" + waId));
    }

    /**
     * A counter of what this number did on Meta's side: accepted, mediaUploads or readReceipts. Only this number's, so
     * that a send another test left queued (a retry, an acknowledgement) cannot move it.
     */
    long stat(String name) {
        return ApiClient.json(sandbox.get("/sandbox/api/stats?phoneNumberId=" + phoneNumberId)).get(name).asLong();
    }

    Response switches(String json) {
        return sandbox.send("PATCH", "/sandbox/api/switches", json);
    }

    static <T> T await(Supplier<T> probe, Predicate<T> condition, String what) {
        return hexa.support.Eventually.await(probe, condition, what);
    }
}
