package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.BusinessNumber;
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

/** Connecting a number of a Meta app, with the sandbox playing Meta's Graph API. */
class MetaConnectionTest extends HexaIntegrationTest {

    @Autowired
    SandboxNumbers meta;

    @Autowired
    JdbcClient jdbc;

    /** A number in "Meta", as a business has it before connecting Hexa CRM: no webhook yet. */
    private BusinessNumber metaNumber(String accessToken) {
        return meta.register("", "", "", accessToken, "app-secret-" + System.nanoTime(), "", "");
    }

    @Test
    void an_integrator_connects_a_number_through_the_api_then_pastes_the_callback_into_meta() throws Exception {
        var workspace = fixtures.workspace("Api Meta Co");
        BusinessNumber number = metaNumber("EAAG-token-" + System.nanoTime());
        String appSecret = "app-secret-" + System.nanoTime();
        ApiClient admin = api(fixtures.apiToken(workspace, Role.ADMIN));

        Response created = admin.send("POST", "/api/v1/whatsapp/connections", """
                {"appId": "1234567890", "appSecret": "%s", "accessToken": "%s", "wabaId": "%s", "phoneNumberId": "%s"}
                """.formatted(appSecret, number.accessToken(), number.wabaId(), number.phoneNumberId()));

        assertThat(created.status()).isEqualTo(201);
        var json = ApiClient.json(created);
        assertThat(json.get("kind").asString()).isEqualTo("meta");
        assertThat(json.get("displayPhoneNumber").asString()).isEqualTo(number.displayPhoneNumber());
        assertThat(created.text()).doesNotContain(number.accessToken()).doesNotContain(appSecret);
        String callbackUrl = json.get("callbackUrl").asString();
        String verifyToken = json.get("verifyToken").asString();

        // What the Admin does in Meta's dashboard: set the callback URL and verify token.
        meta.register(number.phoneNumberId(), number.wabaId(), number.displayPhoneNumber(), number.accessToken(), appSecret, callbackUrl, verifyToken);
        assertThat(meta.awaitWebhookVerified(number.phoneNumberId(), Duration.ofSeconds(15))).isTrue();
        customerOf(workspace.id(), number.phoneNumberId()).sends("447700900123", "Hello from Meta");
        Eventually.until(() -> jdbc.sql("select count(*) from webhook_events where tenant_id = :t and body like :text")
                .param("t", workspace.id()).param("text", "%Hello from Meta%").query(Integer.class).single() > 0, "the customer's message to be stored");
    }

    @Test
    void wrong_details_are_explained_and_connect_nothing() {
        var workspace = fixtures.workspace("Wrong Meta Co");
        BusinessNumber number = metaNumber("EAAG-right-" + System.nanoTime());
        ApiClient admin = api(fixtures.apiToken(workspace, Role.ADMIN));

        Response wrongToken = admin.send("POST", "/api/v1/whatsapp/connections", body("EAAG-wrong", number.wabaId(), number.phoneNumberId()));
        Response otherNumber = admin.send("POST", "/api/v1/whatsapp/connections", body(number.accessToken(), number.wabaId(), "999999999"));
        Response incomplete = admin.send("POST", "/api/v1/whatsapp/connections", "{\"appId\": \"1\"}");

        assertThat(wrongToken.status()).isEqualTo(422);
        assertThat(ApiClient.json(wrongToken).get("code").asString()).isEqualTo("graph_error");
        assertThat(ApiClient.json(wrongToken).get("message").asString()).containsIgnoringCase("token");
        assertThat(otherNumber.status()).isEqualTo(422);
        assertThat(ApiClient.json(otherNumber).get("code").asString()).isEqualTo("number_not_in_waba");
        assertThat(incomplete.status()).isEqualTo(400);
        assertThat(jdbc.sql("select count(*) from whatsapp_connections where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
    }

    @Test
    void a_number_belongs_to_one_workspace_at_a_time() {
        BusinessNumber number = metaNumber("EAAG-shared-" + System.nanoTime());
        var first = fixtures.workspace("First Owner Co");
        var second = fixtures.workspace("Second Owner Co");

        Response connected = api(fixtures.apiToken(first, Role.ADMIN)).send("POST", "/api/v1/whatsapp/connections",
                body(number.accessToken(), number.wabaId(), number.phoneNumberId()));
        Response taken = api(fixtures.apiToken(second, Role.ADMIN)).send("POST", "/api/v1/whatsapp/connections",
                body(number.accessToken(), number.wabaId(), number.phoneNumberId()));

        assertThat(connected.status()).isEqualTo(201);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(ApiClient.json(taken).get("code").asString()).isEqualTo("number_taken");
    }

    @Test
    void an_admin_connects_a_meta_app_in_settings_by_choosing_one_of_its_numbers() {
        var workspace = fixtures.workspace("Settings Meta Co");
        BusinessNumber number = metaNumber("EAAG-ui-" + System.nanoTime());
        WebClient admin = browser();
        admin.signIn(fixtures.member(workspace, Role.ADMIN).email(), Fixtures.PASSWORD);

        Response choose = admin.post("/settings/whatsapp/meta", Map.of("appId", "42", "appSecret", "s3cret-" + System.nanoTime(),
                "accessToken", number.accessToken(), "wabaId", number.wabaId()));
        assertThat(choose.status()).isEqualTo(200);
        assertThat(choose.text()).contains("Choose the number to connect").contains("+" + number.displayPhoneNumber());

        admin.post("/settings/whatsapp/meta/number", Map.of("phoneNumberId", number.phoneNumberId()));

        String page = admin.get("/settings/whatsapp").text();
        assertThat(page).contains("+" + number.displayPhoneNumber() + " is connected").contains("Meta Cloud API");
        assertThat(jdbc.sql("select count(*) from spring_session_attributes where attribute_bytes::text like :t")
                .param("t", "%" + number.accessToken() + "%").query(Integer.class).single()).as("no plain token in the session store").isZero();
    }

    @Test
    void an_expired_token_marks_the_connection_as_needing_attention_with_the_reason() {
        var workspace = fixtures.workspace("Expired Co");
        BusinessNumber number = metaNumber("EAAG-will-expire-" + System.nanoTime());
        ApiClient admin = api(fixtures.apiToken(workspace, Role.ADMIN));
        String id = ApiClient.json(admin.send("POST", "/api/v1/whatsapp/connections", body(number.accessToken(), number.wabaId(), number.phoneNumberId())))
                .get("id").asString();
        assertThat(ApiClient.json(admin.send("POST", "/api/v1/whatsapp/connections/" + id + "/check", null)).get("ok").asBoolean()).isTrue();

        // Meta invalidates the token (it expired, or someone rotated it).
        meta.register(number.phoneNumberId(), number.wabaId(), number.displayPhoneNumber(), "EAAG-new-" + System.nanoTime(), "x", "", "");

        var check = ApiClient.json(admin.send("POST", "/api/v1/whatsapp/connections/" + id + "/check", null));
        assertThat(check.get("ok").asBoolean()).isFalse();
        assertThat(check.get("status").asString()).isEqualTo("needs_attention");
        assertThat(check.get("explanation").asString()).containsIgnoringCase("token");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.get("/settings/whatsapp").text()).contains("Needs attention");
        assertThat(jdbc.sql("select action from audit_events where tenant_id = :t").param("t", workspace.id()).query(String.class).list())
                .contains("whatsapp.needs_attention");
    }

    private static String body(String token, String wabaId, String phoneNumberId) {
        return """
                {"appId": "1234567890", "appSecret": "secret", "accessToken": "%s", "wabaId": "%s", "phoneNumberId": "%s"}
                """.formatted(token, wabaId, phoneNumberId);
    }

}
