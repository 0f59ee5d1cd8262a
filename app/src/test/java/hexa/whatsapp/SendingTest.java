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

    @Autowired
    SendService sendService;

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
        String id = givenAnInterruptedSend("Yes, today", java.time.Duration.ofMinutes(2), java.time.Duration.ZERO, false);
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
    void an_interrupted_send_is_held_as_uncertain_and_sent_again_only_after_its_hold_with_webhooks_flowing_again() {
        customer.writes("919876500041", "Hello?");
        // Its attempt began 3 minutes ago and the lease ran out: the app was down while Meta may have answered.
        String id = givenAnInterruptedSend("Hi!", java.time.Duration.ZERO, java.time.Duration.ofMinutes(3), false);

        JsonNode uncertain = awaitMessage(id, m -> m.get("status").asString().equals("uncertain"));
        assertThat(uncertain.get("whatsappId").isNull()).isTrue();

        // Past the grace period and the outage as the message saw it, but no webhook for the number has come since:
        // the app cannot tell whether it hears Meta, so nothing is sent.
        clock.advance(java.time.Duration.ofMinutes(4));
        awaitLookedAt(id);
        assertThat(status(id)).isEqualTo("uncertain");
        assertThat(received("919876500041", "Hi!")).isZero();

        // Meta's webhooks for the number flow again (7 minutes after the attempt began), none naming the message:
        // the hold runs 7 minutes from there.
        customer.writes("919876500041", "Still there?");
        clock.advance(java.time.Duration.ofMinutes(6));
        awaitLookedAt(id);
        assertThat(status(id)).isEqualTo("uncertain");
        assertThat(received("919876500041", "Hi!")).isZero();

        clock.advance(java.time.Duration.ofMinutes(2));
        awaitMessage(id, m -> m.get("status").asString().matches("sent|delivered|read"));
        assertThat(received("919876500041", "Hi!")).as("the customer's phone got it exactly once").isEqualTo(1);
    }

    @Test
    void an_uncertain_send_is_settled_by_metas_status_and_never_sent_again() {
        customer.writes("919876500042", "Where is my order?");
        String id = givenAnInterruptedSend("On its way", java.time.Duration.ZERO, java.time.Duration.ofMinutes(3), false);
        awaitMessage(id, m -> m.get("status").asString().equals("uncertain"));

        // Meta had accepted it: its status webhook, naming our id, comes in late (Meta's retry after the outage).
        String wamid = acceptedByMeta("919876500042", "On its way", id);
        JsonNode settled = awaitMessage(id, m -> m.get("status").asString().matches("sent|delivered|read"));
        assertThat(settled.get("whatsappId").asString()).isEqualTo(wamid);

        // Long after any hold, it is still the one message Meta accepted.
        clock.advance(java.time.Duration.ofHours(2));
        customer.writes("919876500042", "Thanks");
        assertThat(received("919876500042", "On its way")).as("the customer's phone got it exactly once").isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t and wamid = :w").param("t", workspace.id()).param("w", wamid)
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void an_uncertain_message_that_must_never_be_resent_fails_as_not_confirmed_after_its_hold() {
        customer.writes("919876500043", "Hi");
        String id = givenAnInterruptedSend("Spring sale!", java.time.Duration.ZERO, java.time.Duration.ofMinutes(3), true);
        awaitMessage(id, m -> m.get("status").asString().equals("uncertain"));

        customer.writes("919876500043", "Hello again");
        clock.advance(java.time.Duration.ofMinutes(10));

        JsonNode failed = awaitMessage(id, m -> m.get("status").asString().equals("failed"));
        assertThat(failed.get("errorTitle").asString()).isEqualTo("Not confirmed — not resent");
        assertThat(failed.get("errorText").asString()).contains("never to be resent automatically");
        assertThat(received("919876500043", "Spring sale!")).isZero();
    }

    @Test
    void an_uncertain_message_on_a_silent_number_fails_as_not_confirmed_at_the_cap_and_retry_sends_it() {
        customer.writes("919876500044", "Hi");
        String id = givenAnInterruptedSend("Your invoice", java.time.Duration.ZERO, java.time.Duration.ofMinutes(3), false);
        awaitMessage(id, m -> m.get("status").asString().equals("uncertain"));

        clock.advance(java.time.Duration.ofMinutes(31));

        JsonNode failed = awaitMessage(id, m -> m.get("status").asString().equals("failed"));
        assertThat(failed.get("errorText").asString()).contains("no report from WhatsApp about this number");
        assertThat(received("919876500044", "Your invoice")).isZero();
        assertThat(agent.send("POST", "/api/v1/messages/" + id + "/retry", null).status()).isEqualTo(200);
        awaitMessage(id, m -> m.get("status").asString().matches("sent|delivered|read"));
        assertThat(received("919876500044", "Your invoice")).isEqualTo(1);
    }

    @Test
    void a_caller_queues_a_message_never_to_be_resent_and_it_is_sent_as_any_other() {
        customer.writes("919876500045", "Hi");
        java.util.UUID id;
        try (hexa.platform.tenant.TenantContext.Scope ignored = hexa.platform.tenant.TenantContext.enter(
                hexa.platform.tenant.Actor.system(workspace.id(), "Campaigns"))) {
            id = sendService.send(tools.jackson.databind.json.JsonMapper.builder().build().readTree(
                    "{\"to\": \"919876500045\", \"type\": \"text\", \"text\": {\"body\": \"Our spring sale starts today\"}}"),
                    SendService.WhenUncertain.NEVER_RESEND);
        }

        assertThat(jdbc.sql("select never_resend from messages where id = :id").param("id", id).query(Boolean.class).single()).isTrue();
        awaitMessage(id.toString(), m -> m.get("status").asString().matches("sent|delivered|read"));
        assertThat(received("919876500045", "Our spring sale starts today")).isEqualTo(1);
    }

    /** Meta's side takes the message as the crashed sender had sent it; answers its WhatsApp id. */
    private String acceptedByMeta(String to, String text, String ourId) {
        Response accepted = new ApiClient(baseUrl(), sandbox.find(number.phoneNumberId()).orElseThrow().accessToken()).send("POST",
                "/sandbox/graph/v25.0/" + number.phoneNumberId() + "/messages",
                "{\"messaging_product\": \"whatsapp\", \"to\": \"" + to + "\", \"type\": \"text\", \"text\": {\"body\": \"" + text + "\"},"
                        + " \"biz_opaque_callback_data\": \"" + ourId + "\"}");
        return ApiClient.json(accepted).get("messages").get(0).get("id").asString();
    }

    private String status(String id) {
        return ApiClient.json(agent.get("/api/v1/messages/" + id)).get("status").asString();
    }

    /** Waits until the sender has looked at the held message after the clock moved (its next look is later than now). */
    private void awaitLookedAt(String id) {
        Eventually.until(() -> jdbc.sql("select next_attempt_at > :now or status <> 'QUEUED' from messages where id = cast(:id as uuid)")
                .param("now", hexa.platform.database.Sql.ts(clock.instant())).param("id", id).query(Boolean.class).single(),
                "the sender to look at message " + id);
    }

    /**
     * A message as a sender that died mid-attempt leaves it: QUEUED, its attempt begun
     * {@code startedAgo}, leased for {@code leaseLeft} more (on the app's clock), with no WhatsApp id.
     */
    private String givenAnInterruptedSend(String text, java.time.Duration leaseLeft, java.time.Duration startedAgo, boolean neverResend) {
        java.time.Instant now = clock.instant(); // the sender reads due times on the app's clock
        String id = java.util.UUID.randomUUID().toString();
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, type, body, content, status,
                                      sent_at, created_at, next_attempt_at, send_started_at, never_resend)
                select tenant_id, cast(:id as uuid), conversation_id, contact_id, :connection, 'OUTBOUND', 'text', :text,
                       jsonb_build_object('type', 'text', 'text', jsonb_build_object('body', cast(:text as text))), 'QUEUED', :now, :now,
                       :next, :started, :neverResend
                  from messages where tenant_id = :t and direction = 'INBOUND' order by created_at desc limit 1
                """)
                .param("now", hexa.platform.database.Sql.ts(now)).param("next", hexa.platform.database.Sql.ts(now.plus(leaseLeft)))
                .param("started", hexa.platform.database.Sql.ts(now.minus(startedAgo)))
                .param("t", workspace.id()).param("id", id).param("connection", number.id()).param("text", text)
                .param("neverResend", neverResend).update();
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
