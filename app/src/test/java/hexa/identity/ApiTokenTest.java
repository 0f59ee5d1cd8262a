package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class ApiTokenTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void an_admin_creates_a_token_that_is_shown_once_stored_hashed_and_answers_me() {
        var workspace = fixtures.workspace("Token Co");
        WebClient admin = browser();
        admin.signIn(fixtures.member(workspace, Role.ADMIN).email(), Fixtures.PASSWORD);

        admin.post("/settings/api-tokens", Map.of("name", "Billing sync", "role", "SUPERVISOR"));
        String page = admin.get("/settings/api-tokens").text();
        Matcher matcher = Pattern.compile("data-testid=\"new-token\"|value=\"(hexa_[^\"]+)\"").matcher(page);
        String secret = null;
        while (matcher.find()) {
            if (matcher.group(1) != null) {
                secret = matcher.group(1);
            }
        }
        assertThat(secret).as("the new token is shown").isNotNull();
        assertThat(admin.get("/settings/api-tokens").text()).as("and only once").doesNotContain(secret).contains("Billing sync").contains("…" + secret.substring(secret.length() - 4));

        String stored = jdbc.sql("select token_hash from api_tokens where tenant_id = :t").param("t", workspace.id()).query(String.class).single();
        assertThat(stored).isEqualTo(hexa.platform.crypto.Tokens.sha256(secret));
        assertThat(jdbc.sql("select count(*) from api_tokens where token_hash like :s or hint = :h and length(token_hash) < 64")
                .param("s", "%" + secret.substring(28) + "%").param("h", secret).query(Integer.class).single()).isZero();

        Response me = api(secret).get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        var json = ApiClient.json(me);
        assertThat(json.get("workspace").get("id").asString()).isEqualTo(workspace.id().toString());
        assertThat(json.get("workspace").get("name").asString()).isEqualTo("Token Co");
        assertThat(json.get("role").asString()).isEqualTo("supervisor");
        assertThat(json.get("token").get("name").asString()).isEqualTo("Billing sync");
        assertThat(jdbc.sql("select last_used_at is not null from api_tokens where tenant_id = :t").param("t", workspace.id()).query(Boolean.class).single()).isTrue();
        assertThat(admin.get("/settings/api-tokens").text()).doesNotContain(">never<");
    }

    @Test
    void a_revoked_token_stops_working_at_once() {
        var workspace = fixtures.workspace("Revoked Token Co");
        String secret = fixtures.apiToken(workspace, Role.ADMIN);
        assertThat(api(secret).get("/api/v1/me").status()).isEqualTo(200);
        String id = jdbc.sql("select id::text from api_tokens where tenant_id = :t").param("t", workspace.id()).query(String.class).single();

        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/api-tokens/" + id + "/revoke", Map.of());

        Response after = api(secret).get("/api/v1/me");
        assertThat(after.status()).isEqualTo(401);
        assertThat(ApiClient.json(after).get("code").asString()).isEqualTo("invalid_token");
        assertThat(jdbc.sql("select action from audit_events where tenant_id = :t").param("t", workspace.id()).query(String.class).list())
                .contains("api_token.created", "api_token.revoked");
    }

    @Test
    void the_api_explains_missing_and_wrong_tokens_in_json() {
        Response missing = api(null).get("/api/v1/me");
        Response wrong = api("hexa_AAAAAAAAAAAAAAAAAAAAAA_notarealsecretatall").get("/api/v1/me");
        Response garbage = api("garbage").get("/api/v1/me");

        assertThat(missing.status()).isEqualTo(401);
        assertThat(ApiClient.json(missing).get("code").asString()).isEqualTo("unauthorized");
        assertThat(ApiClient.json(missing).get("message").asString()).contains("Authorization: Bearer");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(wrong.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void the_api_does_not_accept_a_browser_session() {
        var workspace = fixtures.workspace("Session Api Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        Response response = owner.get("/api/v1/me");

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void unknown_api_paths_answer_json_not_found() {
        String secret = fixtures.apiToken(fixtures.workspace("Unknown Path Co"), Role.ADMIN);
        Response response = api(secret).get("/api/v1/nothing-here");
        assertThat(response.status()).isEqualTo(404);
        assertThat(ApiClient.json(response).get("code").asString()).isEqualTo("not_found");
    }

    @Test
    void a_token_cannot_be_an_owner_and_needs_a_name() {
        var workspace = fixtures.workspace("Token Rules Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        owner.post("/settings/api-tokens", Map.of("name", "Root", "role", "OWNER"));
        assertThat(owner.get("/settings/api-tokens").text()).contains("tokens cannot be Owners");
        owner.post("/settings/api-tokens", Map.of("name", "  ", "role", "ADMIN"));
        assertThat(owner.get("/settings/api-tokens").text()).contains("Give the token a name");
        assertThat(jdbc.sql("select count(*) from api_tokens where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
    }
}
