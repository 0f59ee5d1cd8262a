package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.SandboxCustomer;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Sending through the API to the sandbox, and what comes back: ids, statuses, failures, retries. */
class SendingTest extends HexaIntegrationTest {

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    JdbcClient jdbc;

    private ApiClient agent;
    private SandboxCustomer customer;
    private ConnectionService.View number;
    private hexa.identity.Fixtures.TestWorkspace workspace;

    @BeforeEach
    void aWorkspaceWithASandboxNumber() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Sending Co");
        workspace = shop.workspace();
        number = shop.number();
        agent = api(fixtures.apiToken(workspace, Role.AGENT));
        customer = shop.customer();
    }

    @Test
    void a_reply_inside_the_window_is_sent_then_delivered_then_read() {
        customer.writes("919876500010", "Do you deliver to Pune?");

        Response queued = agent.send("POST", "/api/v1/messages",
                "{\"to\": \"+91 98765-00010\", \"type\": \"text\", \"text\": {\"body\": \"Yes, in 2 days.\"}}");

        assertThat(queued.status()).isEqualTo(202);
        String id = ApiClient.json(queued).get("id").asString();
        assertThat(ApiClient.json(queued).get("status").asString()).isEqualTo("queued");
        JsonNode read = awaitMessage(id, m -> m.get("status").asString().equals("read"));
        assertThat(read.get("whatsappId").asString()).startsWith("wamid.");
        assertThat(read.get("direction").asString()).isEqualTo("outbound");
        assertThat(read.get("text").asString()).isEqualTo("Yes, in 2 days.");
        Response byWamid = agent.get("/api/v1/messages?whatsappId="
                + java.net.URLEncoder.encode(read.get("whatsappId").asString(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ApiClient.json(byWamid).get("items").get(0).get("id").asString()).isEqualTo(id);
        Response thread = agent.get("/api/v1/conversations/" + read.get("conversationId").asString() + "/messages");
        assertThat(ApiClient.json(thread).get("items")).hasSize(2);
    }

    @Test
    void outside_the_window_free_form_is_refused_and_a_template_is_offered() {
        Response refused = agent.send("POST", "/api/v1/messages", "{\"to\": \"919876500011\", \"type\": \"text\", \"text\": {\"body\": \"Hello?\"}}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(ApiClient.json(refused).get("code").asString()).isEqualTo("outside_window");
        assertThat(ApiClient.json(refused).get("message").asString()).contains("template");
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();

        Response template = agent.send("POST", "/api/v1/messages",
                "{\"to\": \"919876500011\", \"type\": \"template\", \"template\": {\"name\": \"hello_world\", \"language\": {\"code\": \"en_US\"}}}");

        assertThat(template.status()).isEqualTo(202);
        awaitMessage(ApiClient.json(template).get("id").asString(), m -> m.get("status").asString().matches("sent|delivered|read"));
    }

    @Test
    void a_permanent_failure_keeps_metas_code_and_retry_really_sends_again() {
        customer.writes("919876500012", "Hi");
        customer.isUndeliverable("919876500012", true);

        String id = ApiClient.json(agent.send("POST", "/api/v1/messages",
                "{\"to\": \"919876500012\", \"type\": \"text\", \"text\": {\"body\": \"Your order shipped\"}}")).get("id").asString();

        JsonNode failed = awaitMessage(id, m -> m.get("status").asString().equals("failed"));
        assertThat(failed.get("errorCode").asInt()).isEqualTo(131026);
        assertThat(failed.get("errorText").asString()).isNotBlank();

        customer.isUndeliverable("919876500012", false);
        Response retried = agent.send("POST", "/api/v1/messages/" + id + "/retry", null);
        assertThat(retried.status()).isEqualTo(200);
        JsonNode delivered = awaitMessage(id, m -> m.get("status").asString().matches("delivered|read"));
        assertThat(delivered.get("errorCode").isNull()).isTrue();
    }

    @Test
    void sending_faster_than_the_number_allows_is_retried_until_everything_is_sent() {
        customer.writes("919876500013", "Send me the catalogue");
        sandbox.find(number.phoneNumberId()).orElseThrow().changeMessagesPerSecond(1);
        try {
            java.util.List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(ApiClient.json(agent.send("POST", "/api/v1/messages",
                        "{\"to\": \"919876500013\", \"type\": \"text\", \"text\": {\"body\": \"Page " + i + "\"}}")).get("id").asString());
            }
            for (String id : ids) {
                awaitMessage(id, m -> m.get("whatsappId") != null && !m.get("whatsappId").isNull());
            }
            assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t and direction = 'OUTBOUND' and status = 'FAILED'")
                    .param("t", workspace.id()).query(Integer.class).single()).isZero();
        } finally {
            sandbox.find(number.phoneNumberId()).orElseThrow().changeMessagesPerSecond(SandboxNumbers.DEFAULT_MESSAGES_PER_SECOND);
        }
    }

    @Test
    void the_sender_keeps_within_the_numbers_rate_instead_of_running_into_metas_limit() {
        jdbc.sql("update whatsapp_connections set messages_per_second = 2 where id = :id").param("id", number.id()).update();
        sandbox.find(number.phoneNumberId()).orElseThrow().changeMessagesPerSecond(2);
        try {
            for (int c = 0; c < 3; c++) {
                customer.writes("91987650003" + c, "Hi from " + c);
            }
            int rejectedBefore = rejected130429();
            java.util.List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(ApiClient.json(agent.send("POST", "/api/v1/messages",
                        "{\"to\": \"91987650003" + (i % 3) + "\", \"type\": \"text\", \"text\": {\"body\": \"Update " + i + "\"}}")).get("id").asString());
            }
            for (String id : ids) {
                awaitMessage(id, m -> m.get("whatsappId") != null && !m.get("whatsappId").isNull());
            }
            assertThat(rejected130429()).as("no send ran into Meta's throughput limit").isEqualTo(rejectedBefore);
        } finally {
            sandbox.find(number.phoneNumberId()).orElseThrow().changeMessagesPerSecond(SandboxNumbers.DEFAULT_MESSAGES_PER_SECOND);
        }
    }

    @Test
    void a_send_whose_answer_was_lost_in_a_crash_is_recognised_from_metas_status_and_never_sent_twice() {
        customer.writes("919876500040", "Is my parcel out?");
        // What a sender that crashed while Meta was answering leaves behind: a message still QUEUED,
        // its attempt begun, its lease running, and no WhatsApp id.
        String id = givenAnInterruptedSend("Yes, today", java.time.Duration.ofMinutes(2), java.time.Duration.ZERO);
        // ... while Meta did accept it:
        Response accepted = new ApiClient(baseUrl(), sandbox.find(number.phoneNumberId()).orElseThrow().accessToken()).send("POST",
                "/sandbox/graph/v25.0/" + number.phoneNumberId() + "/messages",
                "{\"messaging_product\": \"whatsapp\", \"to\": \"919876500040\", \"type\": \"text\", \"text\": {\"body\": \"Yes, today\"},"
                        + " \"biz_opaque_callback_data\": \"" + id + "\"}");
        String wamid = ApiClient.json(accepted).get("messages").get(0).get("id").asString();

        JsonNode reconciled = awaitMessage(id, m -> m.get("status").asString().matches("delivered|read"));

        assertThat(reconciled.get("whatsappId").asString()).isEqualTo(wamid);
        assertThat(received("919876500040", "Yes, today")).as("the customer's phone got it exactly once").isEqualTo(1);
    }

    @Test
    void a_send_interrupted_before_meta_answered_is_sent_once_the_lease_has_run_out() {
        customer.writes("919876500041", "Hello?");
        String id = givenAnInterruptedSend("Hi!", java.time.Duration.ZERO, java.time.Duration.ofMinutes(3));

        awaitMessage(id, m -> m.get("status").asString().matches("sent|delivered|read"));

        assertThat(received("919876500041", "Hi!")).as("the customer's phone got it exactly once").isEqualTo(1);
    }

    /**
     * A message as a sender that died mid-attempt leaves it: QUEUED, its attempt begun
     * {@code startedAgo}, leased for {@code leaseLeft} more (on the app's clock), with no WhatsApp id.
     */
    private String givenAnInterruptedSend(String text, java.time.Duration leaseLeft, java.time.Duration startedAgo) {
        java.time.Instant now = clock.instant(); // the sender reads due times on the app's clock
        String id = java.util.UUID.randomUUID().toString();
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, type, body, content, status,
                                      sent_at, created_at, next_attempt_at, send_started_at)
                select tenant_id, cast(:id as uuid), conversation_id, contact_id, :connection, 'OUTBOUND', 'text', :text,
                       jsonb_build_object('type', 'text', 'text', jsonb_build_object('body', cast(:text as text))), 'QUEUED', :now, :now,
                       :next, :started
                  from messages where tenant_id = :t and direction = 'INBOUND' order by created_at desc limit 1
                """)
                .param("now", hexa.platform.database.Sql.ts(now)).param("next", hexa.platform.database.Sql.ts(now.plus(leaseLeft)))
                .param("started", hexa.platform.database.Sql.ts(now.minus(startedAgo)))
                .param("t", workspace.id()).param("id", id).param("connection", number.id()).param("text", text).update();
        return id;
    }

    /**
     * How many times the customer's phone (the sandbox's side) received a text from the business. Counted in
     * their chat, not in the sandbox's global counter, which other tests' sends also move.
     */
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

    private int rejected130429() {
        JsonNode rejected = ApiClient.json(sandboxControl().get("/sandbox/api/stats")).get("rejected");
        return rejected.has("130429") ? rejected.get("130429").asInt() : 0;
    }

    @Test
    void an_expired_token_marks_the_number_as_needing_attention_and_the_message_waits() {
        customer.writes("919876500014", "Hello");
        var registered = sandbox.find(number.phoneNumberId()).orElseThrow();
        sandbox.register(number.phoneNumberId(), number.wabaId(), number.displayPhoneNumber(), "EAArotated" + System.nanoTime(), "x", "", "");

        String id = ApiClient.json(agent.send("POST", "/api/v1/messages",
                "{\"to\": \"919876500014\", \"type\": \"text\", \"text\": {\"body\": \"Are you there?\"}}")).get("id").asString();

        Eventually.until(() -> "NEEDS_ATTENTION".equals(jdbc.sql("select status from whatsapp_connections where id = :id").param("id", number.id())
                .query(String.class).single()), "the number to need attention");
        JsonNode message = ApiClient.json(agent.get("/api/v1/messages/" + id));
        assertThat(message.get("status").asString()).as("it waits for a new token instead of failing").isEqualTo("queued");
        assertThat(registered.phoneNumberId()).isEqualTo(number.phoneNumberId());
    }

    @Test
    void bad_requests_are_explained_and_change_nothing() {
        assertThat(agent.send("POST", "/api/v1/messages", "{\"to\": \"919876500015\", \"type\": \"fax\", \"fax\": {}}").status()).isEqualTo(400);
        assertThat(agent.send("POST", "/api/v1/messages", "{\"to\": \"919876500015\", \"type\": \"text\"}").status()).isEqualTo(400);
        assertThat(agent.send("POST", "/api/v1/messages", "{\"type\": \"text\", \"text\": {\"body\": \"x\"}}").status()).isEqualTo(400);
        Response badNumber = agent.send("POST", "/api/v1/messages", "{\"to\": \"12\", \"type\": \"text\", \"text\": {\"body\": \"x\"}}");
        assertThat(badNumber.status()).isEqualTo(400);
        assertThat(ApiClient.json(badNumber).get("message").asString()).contains("12");
        assertThat(agent.send("POST", "/api/v1/messages", "not json").status()).isEqualTo(400);
        assertThat(api(fixtures.apiToken(workspace, Role.ANALYST)).send("POST", "/api/v1/messages",
                "{\"to\": \"919876500015\", \"type\": \"text\", \"text\": {\"body\": \"x\"}}").status()).isEqualTo(403);
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
    }

    private JsonNode awaitMessage(String id, Predicate<JsonNode> condition) {
        return Eventually.await(() -> ApiClient.json(agent.get("/api/v1/messages/" + id)), condition, "message " + id + " to reach the expected state");
    }
}
