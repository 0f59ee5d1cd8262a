package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.database.Sql;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/messages} with an {@code Idempotency-Key}: a client cut off retries, and nothing is sent twice. */
class IdempotencyKeyTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    IdempotencyKeys keys;

    private Fixtures.TestWorkspace workspace;
    private SandboxCustomer customer;
    private ApiClient agent;

    @BeforeEach
    void aWorkspaceWithASandboxNumber() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Idempotent Co");
        workspace = shop.workspace();
        customer = shop.customer();
        agent = api(fixtures.apiToken(workspace, Role.AGENT));
    }

    @Test
    void the_same_key_answers_the_first_result_again_and_sends_nothing_more() {
        customer.writes("919876500070", "Can I still change my order?");
        String key = UUID.randomUUID().toString();
        String body = text("919876500070", "Yes, until 6 pm.");

        Response first = send(agent, key, body);
        Response again = send(agent, key, body);

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.header(MessagesApiController.REPLAYED)).isNull();
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(again.header(MessagesApiController.REPLAYED)).isEqualTo("true");
        String id = ApiClient.json(first).get("id").asString();
        Eventually.until(() -> "read".equals(ApiClient.json(agent.get("/api/v1/messages/" + id)).get("status").asString()), "the reply to be read");
        // Still the first answer, even though the message has moved on since.
        Response later = send(agent, key, body);
        assertThat(later.text()).isEqualTo(first.text());
        assertThat(outbound()).isEqualTo(1);
        assertThat(received("919876500070", "Yes, until 6 pm.")).as("the customer's phone got it once").isEqualTo(1);
    }

    @Test
    void the_same_key_with_another_request_is_refused() {
        customer.writes("919876500071", "Hi");
        String key = "order-4711-confirmation";
        assertThat(send(agent, key, text("919876500071", "Confirmed")).status()).isEqualTo(202);

        Response other = send(agent, key, text("919876500071", "Cancelled"));

        assertThat(other.status()).isEqualTo(422);
        assertThat(ApiClient.json(other).get("code").asString()).isEqualTo("idempotency_key_reused");
        assertThat(ApiClient.json(other).get("message").asString()).contains("another request");
        assertThat(outbound()).isEqualTo(1);
    }

    @Test
    void keys_belong_to_one_api_token() {
        customer.writes("919876500072", "Hi");
        ApiClient otherToken = api(fixtures.apiToken(workspace, Role.AGENT));
        String body = text("919876500072", "Hello from the shop");

        Response mine = send(agent, "shared-key", body);
        Response theirs = send(otherToken, "shared-key", body);

        assertThat(theirs.status()).isEqualTo(202);
        assertThat(theirs.header(MessagesApiController.REPLAYED)).isNull();
        assertThat(ApiClient.json(theirs).get("id").asString()).isNotEqualTo(ApiClient.json(mine).get("id").asString());
        assertThat(outbound()).isEqualTo(2);
    }

    @Test
    void an_invalid_key_is_refused_and_sends_nothing() {
        customer.writes("919876500073", "Hi");
        String body = text("919876500073", "Hello");

        for (String key : new String[] {"", "k".repeat(256), "tab\tinside"}) {
            Response refused = send(agent, key, body);
            assertThat(refused.status()).as("key \"%s\"", key).isEqualTo(400);
            assertThat(ApiClient.json(refused).get("code").asString()).isEqualTo("idempotency_key_invalid");
        }
        assertThat(send(agent, "k".repeat(255), body).status()).isEqualTo(202);
        assertThat(outbound()).isEqualTo(1);
    }

    @Test
    void a_request_whose_key_is_still_being_answered_gets_409() {
        customer.writes("919876500074", "Hi");
        String body = text("919876500074", "Hello");
        // The first request with the key is mid-way: its row written, held by its transaction.
        jdbc.sql("""
                insert into api_idempotency_keys (tenant_id, caller_id, key, request_hash, created_at)
                select tenant_id, id, 'busy-key', :hash, now() from api_tokens where tenant_id = :t
                """).param("t", workspace.id()).param("hash", hexa.platform.crypto.Tokens.sha256(
                ApiClient.json(new Response(200, body, Map.of())).toString())).update();
        Response whileBusy = transaction.execute(status -> {
            jdbc.sql("select 1 from api_idempotency_keys where tenant_id = :t and key = 'busy-key' for update").param("t", workspace.id())
                    .query(Integer.class).list();
            return send(agent, "busy-key", body);
        });

        assertThat(whileBusy.status()).isEqualTo(409);
        assertThat(ApiClient.json(whileBusy).get("code").asString()).isEqualTo("idempotency_request_in_progress");
        assertThat(outbound()).isZero();
        // The first request's process died without an answer (its transaction rolled back): the key is free to use.
        assertThat(send(agent, "busy-key", body).status()).isEqualTo(202);
        assertThat(outbound()).isEqualTo(1);
    }

    @Test
    void a_refused_request_keeps_no_answer_so_the_corrected_one_may_use_the_key() {
        String key = UUID.randomUUID().toString();
        String body = text("919876500075", "Your order is ready");

        Response outsideWindow = send(agent, key, body);
        assertThat(outsideWindow.status()).isEqualTo(422);
        customer.writes("919876500075", "Is it ready?");

        Response sent = send(agent, key, body);
        assertThat(sent.status()).isEqualTo(202);
        assertThat(sent.header(MessagesApiController.REPLAYED)).isNull();
        assertThat(outbound()).isEqualTo(1);
    }

    @Test
    void keys_are_forgotten_after_a_day() {
        customer.writes("919876500076", "Hi");
        String body = text("919876500076", "Good morning");
        assertThat(send(agent, "daily-key", body).status()).isEqualTo(202);

        clock.advance(Duration.ofHours(24).plusMinutes(1));
        int purged = keys.purge();

        assertThat(purged).isPositive();
        assertThat(jdbc.sql("select count(*) from api_idempotency_keys where tenant_id = :t").param("t", workspace.id())
                .query(Integer.class).single()).isZero();
        customer.writes("919876500076", "Hi again");
        Response next = send(agent, "daily-key", body);
        assertThat(next.status()).isEqualTo(202);
        assertThat(next.header(MessagesApiController.REPLAYED)).isNull();
        assertThat(outbound()).isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from api_idempotency_keys where created_at < :cutoff")
                .param("cutoff", Sql.ts(clock.instant().minus(Duration.ofHours(24)))).query(Integer.class).single()).isZero();
    }

    private static Response send(ApiClient client, String key, String body) {
        return client.send("POST", "/api/v1/messages", body, Map.of("Idempotency-Key", key));
    }

    private static String text(String to, String body) {
        return "{\"to\": \"" + to + "\", \"type\": \"text\", \"text\": {\"body\": \"" + body + "\"}}";
    }

    private int outbound() {
        return jdbc.sql("select count(*) from messages where tenant_id = :t and direction = 'OUTBOUND'").param("t", workspace.id())
                .query(Integer.class).single();
    }

    private long received(String waId, String body) {
        JsonNode chat = customer.chat(waId);
        long count = 0;
        for (JsonNode line : chat.get("lines")) {
            if ("business".equals(line.get("from").asString()) && body.equals(line.path("content").path("text").path("body").asString(null))) {
                count++;
            }
        }
        return count;
    }
}
