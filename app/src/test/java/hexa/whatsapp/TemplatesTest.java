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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Templates follow Meta: synced on demand, updated by review webhooks, checked before sending. */
class TemplatesTest extends HexaIntegrationTest {

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    JdbcClient jdbc;

    @Test
    void templates_are_synced_listed_and_followed_through_review() throws Exception {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Templates Co");
        Fixtures.TestWorkspace workspace = shop.workspace();
        ConnectionService.View number = shop.number();
        WebClient admin = browser();
        admin.signIn(fixtures.member(workspace, Role.ADMIN).email(), Fixtures.PASSWORD);
        // Connecting a number reads its templates at once; Refresh reads them again.
        assertThat(admin.get("/settings/templates").text()).doesNotContain("No templates yet").contains("hello_world");

        admin.post("/settings/whatsapp/templates/refresh", Map.of());
        String page = admin.get("/settings/templates").text();
        assertThat(page).contains("template(s) read from Meta").contains("hello_world").contains("APPROVED");

        // A new template submitted in Meta's WhatsApp Manager (here: the sandbox's Graph API) is reviewed,
        // and the review arrives as a message_template_status_update webhook.
        Response created = new ApiClient(baseUrl(), sandbox.find(number.phoneNumberId()).orElseThrow().accessToken()).send("POST",
                "/sandbox/graph/v25.0/" + number.wabaId() + "/message_templates", """
                {"name": "order_ready", "language": "en_US", "category": "UTILITY",
                 "components": [{"type": "BODY", "text": "Hi {{1}}, your order {{2}} is ready.",
                                 "example": {"body_text": [["Asha", "A-17"]]}}]}
                """);
        assertThat(created.status()).isEqualTo(200);
        admin.post("/settings/whatsapp/templates/refresh", Map.of());
        Eventually.await(() -> jdbc.sql("select status from whatsapp_templates where tenant_id = :t and name = 'order_ready'").param("t", workspace.id())
                .query(String.class).optional().orElse(""), "APPROVED"::equals, "order_ready to be approved");

        ApiClient agent = api(fixtures.apiToken(workspace, Role.AGENT));
        Response wrongCount = agent.send("POST", "/api/v1/messages", """
                {"to": "919876500020", "type": "template", "template": {"name": "order_ready", "language": {"code": "en_US"},
                 "components": [{"type": "body", "parameters": [{"type": "text", "text": "Asha"}]}]}}
                """);
        assertThat(wrongCount.status()).isEqualTo(400);
        assertThat(ApiClient.json(wrongCount).get("message").asString()).contains("takes 2 body parameter(s) but 1 were given");

        Response right = agent.send("POST", "/api/v1/messages", """
                {"to": "919876500020", "type": "template", "template": {"name": "order_ready", "language": {"code": "en_US"},
                 "components": [{"type": "body", "parameters": [{"type": "text", "text": "Asha"}, {"type": "text", "text": "A-17"}]}]}}
                """);
        assertThat(right.status()).isEqualTo(202);
    }
}
