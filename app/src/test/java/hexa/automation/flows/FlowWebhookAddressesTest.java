package hexa.automation.flows;

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

/**
 * A flow's webhook step cannot make the server reach into its own network: such an address is a problem of the draft
 * (not saved, not published), and a published version that holds one all the same takes the failure branch, with the
 * reason in the run's steps, without connecting.
 */
class FlowWebhookAddressesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private Fixtures.SandboxWorkspace shop;
    private SandboxCustomer customer;
    private ApiClient admin;

    @BeforeEach
    void aShopWithANumber() {
        shop = fixtures.withSandboxNumber("Flow hooks " + UUID.randomUUID().toString().substring(0, 6));
        customer = shop.customer();
        admin = api(fixtures.apiToken(shop.workspace(), Role.ADMIN));
    }

    @Test
    void a_webhook_step_into_the_servers_own_network_is_refused_on_saving_and_fails_with_the_reason_when_run() {
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
