package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Templates managed from the CRM through the sandbox, which plays Meta's review: created and approved, rejected with
 * its reason, paused and rated, deleted; checked before anything goes to Meta; another workspace's answer 404.
 */
class TemplateManagementTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void templates_are_created_reviewed_rated_paused_and_deleted_at_meta() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Template Studio");
        ConnectionService.View number = shop.number();
        ApiClient admin = api(fixtures.apiToken(shop.workspace(), Role.ADMIN));
        ApiClient control = sandboxControl();

        // Created through the API: pending at Meta, then approved by the sandbox's review (decided now instead of after its delay).
        Response created = admin.send("POST", "/api/v1/templates", """
                {"name": "order_ready", "language": "en_US", "category": "UTILITY",
                 "header": {"format": "TEXT", "text": "Order {{1}}", "example": "A-17"},
                 "body": "Hi {{1}}, your order {{2}} is ready.", "examples": {"1": "Asha", "2": "A-17"},
                 "footer": "Thank you", "buttons": [{"type": "URL", "text": "Track", "url": "https://shop.example/t/{{1}}",
                 "example": "https://shop.example/t/A17"}]}
                """);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode template = ApiClient.json(created);
        assertThat(template.get("status").asString()).isEqualTo("PENDING");
        String id = template.get("id").asString();
        String metaId = template.get("metaId").asString();
        assertThat(control.get("/sandbox/api/numbers/" + number.phoneNumberId() + "/templates").text()).contains("order_ready");
        assertThat(control.send("POST", "/sandbox/api/templates/" + metaId + "/review", "{}").status()).isEqualTo(200);
        awaitStatus(admin, id, "APPROVED");

        // A check that fails sends nothing to Meta and names the field.
        Response invalid = admin.send("POST", "/api/v1/templates", """
                {"name": "bad_one", "language": "en_US", "category": "MARKETING", "body": "{{1}} is waiting for you", "examples": {"1": "A"}}
                """);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(ApiClient.json(invalid).get("code").asString()).isEqualTo("invalid_template");
        assertThat(ApiClient.json(invalid).get("field").asString()).isEqualTo("body");
        assertThat(ApiClient.json(invalid).get("message").asString()).contains("cannot start with a variable");
        assertThat(control.get("/sandbox/api/numbers/" + number.phoneNumberId() + "/templates").text()).doesNotContain("bad_one");

        // Created in Settings → Templates: the sandbox rejects a forbidden word, and the page says why.
        WebClient browser = browser();
        browser.signIn(fixtures.member(shop.workspace(), Role.ADMIN).email(), Fixtures.PASSWORD);
        Map<String, String> form = new HashMap<>(Map.of("wabaId", number.wabaId(), "name", "spring_sale", "language", "en_US",
                "category", "MARKETING", "headerFormat", "NONE", "body", "Dear {{1}}, a forbiddenword offer just for you.", "example.1", "Asha",
                "buttons.0.type", "QUICK_REPLY", "buttons.0.text", "Stop promotions", "buttons.1.type", ""));
        Response posted = browser.post("/settings/templates", form);
        assertThat(posted.status()).as(posted.text()).isEqualTo(302);
        String saleId = posted.location().substring(posted.location().lastIndexOf('/') + 1);
        String saleMetaId = ApiClient.json(admin.get("/api/v1/templates/" + saleId)).get("metaId").asString();
        control.send("POST", "/sandbox/api/templates/" + saleMetaId + "/review", "{\"decision\": \"auto\"}");
        awaitStatus(admin, saleId, "REJECTED");
        assertThat(browser.get("/settings/templates?status=REJECTED").text()).contains("spring_sale").contains("Meta found abusive content.")
                .doesNotContain("order_ready");
        // Edited without the word: back to review at Meta, then approved.
        Map<String, String> edit = new HashMap<>(form);
        edit.put("body", "Dear {{1}}, a special offer just for you.");
        assertThat(browser.post("/settings/templates/" + saleId, edit).status()).isEqualTo(302);
        assertThat(ApiClient.json(admin.get("/api/v1/templates/" + saleId)).get("status").asString()).isEqualTo("PENDING");
        control.send("POST", "/sandbox/api/templates/" + saleMetaId + "/review", "{}");
        awaitStatus(admin, saleId, "APPROVED");

        // The form's checks show at their fields, and nothing is sent.
        form.put("name", "Spring Sale");
        form.put("body", "Dear {{1}}{{2}}");
        Response refused = browser.post("/settings/templates", form);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("Use only lower case letters, digits and underscores.")
                .contains("Two variables side by side").contains("Give an example for {{2}}.");

        // Later news from Meta: a lower quality rating, then a pause, shown on the list and the template's page.
        control.send("POST", "/sandbox/api/templates/" + metaId + "/quality", "{\"score\": \"YELLOW\"}");
        Eventually.await(() -> jdbc.sql("select coalesce(quality_rating, '') from whatsapp_templates where tenant_id = :t and name = 'order_ready'")
                .param("t", shop.workspace().id()).query(String.class).single(), "YELLOW"::equals, "the quality webhook");
        control.send("POST", "/sandbox/api/templates/" + metaId + "/status", "{\"event\": \"PAUSED\"}");
        awaitStatus(admin, id, "PAUSED");
        assertThat(browser.get("/settings/templates").text()).contains("Medium").contains("Paused");
        String page = browser.get("/settings/templates/" + id).text();
        assertThat(page).contains("paused for 3 hours").contains("Hi Asha, your order A-17 is ready.").contains("Track");
        control.send("POST", "/sandbox/api/templates/" + metaId + "/status", "{\"event\": \"REINSTATED\"}");
        awaitStatus(admin, id, "APPROVED");
        // Meta moves it to marketing: the list says what it was.
        control.send("POST", "/sandbox/api/templates/" + metaId + "/category", "{\"category\": \"MARKETING\"}");
        Eventually.await(() -> ApiClient.json(admin.get("/api/v1/templates/" + id)).get("category").asString(), "MARKETING"::equals, "the category webhook");
        assertThat(browser.get("/settings/templates/" + id).text()).contains("Meta changed the category (was UTILITY).");

        // A Supervisor reads but does not change; another workspace sees nothing of it.
        ApiClient supervisor = api(fixtures.apiToken(shop.workspace(), Role.SUPERVISOR));
        assertThat(supervisor.get("/api/v1/templates").status()).isEqualTo(200);
        assertThat(supervisor.send("DELETE", "/api/v1/templates/" + id, null).status()).isEqualTo(403);
        Fixtures.SandboxWorkspace other = fixtures.withSandboxNumber("Template Neighbour");
        ApiClient stranger = api(fixtures.apiToken(other.workspace(), Role.ADMIN));
        assertThat(stranger.get("/api/v1/templates/" + id).status()).isEqualTo(404);
        assertThat(stranger.send("DELETE", "/api/v1/templates/" + id, null).status()).isEqualTo(404);
        assertThat(ApiClient.json(stranger.get("/api/v1/templates")).get("items").toString()).doesNotContain("order_ready");
        WebClient strangerBrowser = browser();
        strangerBrowser.signIn(fixtures.member(other.workspace(), Role.ADMIN).email(), Fixtures.PASSWORD);
        assertThat(strangerBrowser.get("/settings/templates/" + id).status()).isEqualTo(404);

        // Pages of the list follow the cursor: hello_world, order_ready, spring_sale.
        JsonNode first = ApiClient.json(admin.get("/api/v1/templates?limit=2"));
        assertThat(first.get("items").size()).isEqualTo(2);
        JsonNode second = ApiClient.json(admin.get("/api/v1/templates?limit=2&cursor=" + first.get("nextCursor").asString()));
        assertThat(second.get("items").get(0).get("name").asString()).isEqualTo("spring_sale");
        assertThat(second.get("nextCursor").isNull()).isTrue();

        // Deleted at Meta (by name) and here; audited like creating and editing.
        assertThat(admin.send("DELETE", "/api/v1/templates/" + id, null).status()).isEqualTo(204);
        assertThat(control.get("/sandbox/api/numbers/" + number.phoneNumberId() + "/templates").text()).doesNotContain("order_ready");
        assertThat(admin.get("/api/v1/templates/" + id).status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action like 'whatsapp.template_%'")
                .param("t", shop.workspace().id()).query(Integer.class).single()).isEqualTo(4);
    }

    private static void awaitStatus(ApiClient api, String id, String status) {
        Eventually.await(() -> ApiClient.json(api.get("/api/v1/templates/" + id)).get("status").asString(), status::equals,
                "the template to be " + status);
    }
}
