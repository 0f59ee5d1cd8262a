package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class ConnectionsTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SandboxNumbers sandbox;

    @Test
    void an_admin_connects_the_sandbox_number_in_one_click_and_customer_messages_arrive() throws Exception {
        var workspace = fixtures.workspace("Sandbox Co");
        WebClient admin = browser();
        admin.signIn(fixtures.member(workspace, Role.ADMIN).email(), Fixtures.PASSWORD);
        assertThat(admin.get("/settings/whatsapp").text()).contains("No WhatsApp number is connected yet");

        admin.post("/settings/whatsapp/sandbox", Map.of());

        String page = admin.get("/settings/whatsapp").text();
        assertThat(page).contains("Sandbox number +1555").contains("/webhooks/whatsapp/wh_").contains("Connected");
        var row = jdbc.sql("select phone_number_id, app_secret_sealed, access_token_sealed from whatsapp_connections where tenant_id = :t")
                .param("t", workspace.id()).query().singleRow();
        String phoneNumberId = (String) row.get("phone_number_id");
        assertThat((String) row.get("access_token_sealed")).startsWith("v1.").doesNotContain("EAAsandbox");
        assertThat(sandbox.awaitWebhookVerified(phoneNumberId, Duration.ofSeconds(15))).as("the sandbox completed the handshake").isTrue();

        customerOf(workspace.id(), phoneNumberId).sendsMessage("919812345678",
                "{\"type\":\"text\",\"text\":{\"body\":\"Is the blue kurta in stock?\"},\"profileName\":\"Ravi\"}");

        String body = awaitEvent(workspace.id(), "Is the blue kurta in stock?");
        assertThat(body).contains("\"phone_number_id\":\"" + phoneNumberId + "\"").contains("919812345678");
        assertThat(jdbc.sql("select action from audit_events where tenant_id = :t").param("t", workspace.id()).query(String.class).list())
                .contains("whatsapp.connected");
    }

    @Test
    void the_api_lists_connections_without_their_secrets() {
        var workspace = fixtures.workspace("Api Connections Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/whatsapp/sandbox", Map.of());
        String token = fixtures.apiToken(workspace, Role.ADMIN);

        Response response = api(token).get("/api/v1/whatsapp/connections");

        assertThat(response.status()).isEqualTo(200);
        var item = ApiClient.json(response).get("items").get(0);
        assertThat(item.get("kind").asString()).isEqualTo("sandbox");
        assertThat(item.get("callbackUrl").asString()).contains("/webhooks/whatsapp/wh_");
        assertThat(item.get("verifyToken").asString()).isNotBlank();
        assertThat(response.text()).doesNotContain("EAAsandbox").doesNotContain("appSecret").doesNotContain("accessToken");
        assertThat(api(fixtures.apiToken(workspace, Role.AGENT)).get("/api/v1/whatsapp/connections").status()).isEqualTo(403);
    }

    @Test
    void a_disconnected_number_no_longer_receives_and_can_be_connected_elsewhere() {
        var workspace = fixtures.workspace("Disconnect Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/whatsapp/sandbox", Map.of());
        assertThat(owner.get("/settings/whatsapp").text()).contains("Sandbox number +1555");
        var row = jdbc.sql("select id::text as id, callback_key, phone_number_id from whatsapp_connections where tenant_id = :t")
                .param("t", workspace.id()).query().singleRow();

        owner.post("/settings/whatsapp/" + row.get("id") + "/disconnect", Map.of());

        assertThat(owner.get("/settings/whatsapp").text()).contains("was disconnected").contains("No WhatsApp number is connected yet");
        Response late = new ApiClient(baseUrl(), null).send("POST", "/webhooks/whatsapp/" + row.get("callback_key"), "{}");
        assertThat(late.status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from whatsapp_numbers where phone_number_id = :n").param("n", row.get("phone_number_id")).query(Integer.class).single())
                .as("the number is free again").isZero();
        assertThat(jdbc.sql("select action from audit_events where tenant_id = :t").param("t", workspace.id()).query(String.class).list())
                .contains("whatsapp.disconnected");
    }

    @Test
    void agents_and_supervisors_cannot_manage_the_channel() {
        var workspace = fixtures.workspace("Channel Roles Co");
        WebClient supervisor = browser();
        supervisor.signIn(fixtures.member(workspace, Role.SUPERVISOR).email(), Fixtures.PASSWORD);
        assertThat(supervisor.get("/settings/whatsapp").status()).isEqualTo(403);
        assertThat(supervisor.post("/settings/whatsapp/sandbox", Map.of()).status()).isEqualTo(403);
        assertThat(jdbc.sql("select count(*) from whatsapp_connections where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
    }

    private String awaitEvent(java.util.UUID tenant, String text) {
        return Eventually.present(() -> jdbc.sql("select body from webhook_events where tenant_id = :t").param("t", tenant).query(String.class)
                .list().stream().filter(body -> body.contains(text)).findFirst(), "a webhook event with \"" + text + "\"");
    }
}
