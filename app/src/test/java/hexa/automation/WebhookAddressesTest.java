package hexa.automation;

import static hexa.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.DomainEvents;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import hexa.support.WebhookReceiver;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A rule's webhook action and a flow's webhook step cannot make the server reach into its own network (the cloud's
 * metadata, its database, the office network): such an address is refused when the rule or the flow is saved, and one
 * written otherwise fails the call with the reason (in the rule's log, in the run's steps) without connecting. The
 * tests' receiver is the one address the operator allowed (hexa.outbound.allowed).
 */
class WebhookAddressesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private Fixtures.SandboxWorkspace shop;
    private SandboxCustomer customer;
    private ApiClient admin;

    @BeforeEach
    void aShopWithANumber() {
        shop = fixtures.withSandboxNumber("Hooks " + UUID.randomUUID().toString().substring(0, 6));
        customer = shop.customer();
        admin = api(fixtures.apiToken(shop.workspace(), Role.ADMIN));
    }

    @Test
    void a_rules_webhook_into_the_servers_own_network_is_refused_on_saving_and_fails_with_the_reason_when_called() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://localhost:5432", "http://10.0.0.5/admin",
                "http://[::ffff:127.0.0.1]:8080/")) {
            Response refused = admin.send("POST", "/api/v1/automation/rules", rule(url));
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(ApiClient.json(refused).get("message").asString()).as(url).startsWith("Action 1: This address is inside a private network");
        }
        Response userInfo = admin.send("POST", "/api/v1/automation/rules", rule("https://admin:secret@example.com/hook"));
        assertThat(ApiClient.json(userInfo).get("message").asString()).contains("user name or password");
        assertThat(jdbc.sql("select count(*) from automation_rules where tenant_id = :t and name = 'Tell the shop'").param("t", shop.id())
                .query(Integer.class).single()).as("nothing saved").isZero();

        WebhookReceiver.Hook hook = WebhookReceiver.hook();
        Response created = admin.send("POST", "/api/v1/automation/rules", rule(hook.url()));
        assertThat(created.status()).as("the receiver the operator allowed: " + created.text()).isEqualTo(201);
        String id = ApiClient.json(created).get("id").asString();
        Response edited = admin.send("PUT", "/api/v1/automation/rules/" + id, rule("http://127.0.0.1:5432/"));
        assertThat(edited.status()).as("another port of this machine").isEqualTo(400);

        // Written otherwise (saved before the guard was there, or straight into the database): the call checks again.
        jdbc.sql("""
                        update automation_rules set actions = jsonb_set(actions, '{0,options,url}', to_jsonb(cast(:url as text)))
                         where tenant_id = :t and id = :id
                        """)
                .param("url", "http://169.254.169.254/latest/meta-data/").param("t", shop.id()).param("id", UUID.fromString(id)).update();
        UUID conversation = customer.writes("919811200001", "Where is my order?", "Meera Iyer");
        JsonNode entry = await(() -> log(id), l -> !l.isEmpty(), "the rule considered").get(0);
        assertThat(entry.get("outcome").asString()).isEqualTo("FIRED");
        JsonNode action = entry.get("actions").get(0);
        assertThat(action.get("ok").asBoolean()).isFalse();
        assertThat(action.get("detail").asString()).isEqualTo("Webhook not called: This address is inside a private network: 169.254.169.254 is "
                + "a link-local address (where cloud metadata is served). Webhooks may only call addresses on the public internet; the server's "
                + "operator can allow an internal service with HEXA_OUTBOUND_ALLOWED.");
        assertThat(hook.received()).isEmpty();

        JsonNode trial = ApiClient.json(admin.send("POST", "/api/v1/automation/rules/" + id + "/trial", "{\"conversationId\": \"" + conversation + "\"}"));
        assertThat(trial.get("actions").get(0).asString()).startsWith("Would not call the webhook: This address is inside a private network");
    }

    @Test
    void a_flows_webhook_step_into_the_servers_own_network_is_refused_on_saving_and_fails_with_the_reason_when_run() {
        Response refused = admin.send("POST", "/api/v1/automation/flows", flow("http://10.0.0.5/admin"));
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(ApiClient.json(refused).get("problems").toString()).contains("Step tell: This address is inside a private network: 10.0.0.5");
        assertThat(admin.send("POST", "/api/v1/automation/flows", flow("http://localhost:5432/")).status()).isEqualTo(400);

        WebhookReceiver.Hook hook = WebhookReceiver.hook();
        Response created = admin.send("POST", "/api/v1/automation/flows", flow(hook.url()));
        assertThat(created.status()).as("the receiver the operator allowed: " + created.text()).isEqualTo(201);
        String id = ApiClient.json(created).get("id").asString();
        assertThat(admin.send("POST", "/api/v1/automation/flows/" + id + "/publish", "").status()).isEqualTo(200);

        UUID first = customer.writes("919811300001", "order", "Kiran Rao");
        await(() -> webhookStep(first), s -> !s.isEmpty(), "the webhook step taken");
        assertThat(webhookStep(first)).containsEntry("outcome", "succeeded");
        assertThat(hook.received()).hasSize(1);
        assertThat(hook.received().get(0).body()).contains("\"conversationId\":\"" + first + "\"");

        // A version written otherwise (straight into the database): the run checks again.
        jdbc.sql("""
                        update automation_flow_versions set definition = jsonb_set(definition, '{steps,0,url}', to_jsonb(cast(:url as text)))
                         where tenant_id = :t and flow_id = :id
                        """)
                .param("url", "http://[::ffff:169.254.169.254]/latest/meta-data/").param("t", shop.id()).param("id", UUID.fromString(id)).update();
        UUID second = customer.writes("919811300002", "order", "Lata Shah");
        await(() -> webhookStep(second), s -> !s.isEmpty(), "the webhook step taken");
        Map<String, Object> failed = webhookStep(second);
        assertThat(failed).containsEntry("outcome", "failed");
        assertThat((String) failed.get("answer")).startsWith("Webhook not called: This address is inside a private network: 169.254.169.254 is "
                + "a link-local address");
        await(() -> outbound(second), m -> m.contains("Sorry, our order system is away."), "the failure branch's message");
        assertThat(hook.received()).hasSize(1);
    }

    private static String rule(String url) {
        return """
                {"name": "Tell the shop", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "actions": [{"kind": "CALL_WEBHOOK", "options": {"url": "%s"}}]}
                """.formatted(url);
    }

    private JsonNode log(String rule) {
        DomainEvents.awaitHandled(jdbc);
        Response page = admin.get("/api/v1/automation/rules/" + rule + "/log");
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        return ApiClient.json(page).get("items");
    }
    private static String flow(String url) {
        return """
                {"name": "Order status", "keywords": ["order"], "draft": {"start": "tell", "steps": [
                  {"id": "tell", "type": "webhook", "url": "%s", "next": "thanks", "onFailure": "sorry"},
                  {"id": "thanks", "type": "send", "message": {"kind": "text", "text": "We have passed it on."}, "next": "end"},
                  {"id": "sorry", "type": "send", "message": {"kind": "text", "text": "Sorry, our order system is away."}, "next": "end"},
                  {"id": "end", "type": "end"}]}}
                """.formatted(url);
    }

    private Map<String, Object> webhookStep(UUID conversation) {
        DomainEvents.awaitHandled(jdbc);
        List<Map<String, Object>> rows = jdbc.sql("""
                        select s.outcome, s.answer from automation_flow_run_steps s
                          join automation_flow_runs r on r.tenant_id = s.tenant_id and r.id = s.run_id
                         where r.tenant_id = :t and r.conversation_id = :c and s.step_type = 'webhook'
                        """)
                .param("t", shop.id()).param("c", conversation).query().listOfRows();
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    private List<String> outbound(UUID conversation) {
        return jdbc.sql("select body from messages where tenant_id = :t and conversation_id = :c and direction = 'OUTBOUND'")
                .param("t", shop.id()).param("c", conversation).query(String.class).list();
    }
}
