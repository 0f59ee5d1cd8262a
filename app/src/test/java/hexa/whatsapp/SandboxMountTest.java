package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import org.junit.jupiter.api.Test;

/** ./hexa run --demo serves the WhatsApp sandbox inside the app, under the app's security headers. */
class SandboxMountTest extends HexaIntegrationTest {

    @Test
    void the_phone_simulator_is_served_to_a_signed_in_member_without_inline_scripts() {
        var workspace = fixtures.workspace("Simulator page " + java.util.UUID.randomUUID().toString().substring(0, 6));
        var member = browser();
        member.signIn(workspace.owner().email(), hexa.identity.Fixtures.PASSWORD);
        Response page = member.get("/sandbox");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(page.text()).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
    }

    @Test
    void its_graph_api_answers_as_meta_does_under_sandbox_graph() {
        Response response = new ApiClient(baseUrl(), "not-a-token").get("/sandbox/graph/v25.0/123456/phone_numbers");

        assertThat(response.status()).isEqualTo(401);
        assertThat(ApiClient.json(response).get("error").get("code").asInt()).isEqualTo(190);
    }
}
