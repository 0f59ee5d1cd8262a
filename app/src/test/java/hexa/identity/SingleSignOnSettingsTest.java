package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.OpenIdProvider;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Settings → Single sign-on: an Owner's, checked against the provider's discovery document before saving, audited. */
class SingleSignOnSettingsTest extends HexaIntegrationTest {

    private static OpenIdProvider provider;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void provider() {
        if (provider == null) {
            provider = OpenIdProvider.start(baseUrl() + SingleSignOnService.RETURN_PATH);
        }
    }

    @AfterAll
    static void stopProvider() {
        if (provider != null) {
            provider.close();
            provider = null;
        }
    }

    @Test
    void an_owner_saves_a_provider_whose_discovery_document_reads_and_the_secret_is_kept_sealed() {
        var workspace = fixtures.workspace("Sso Settings Co");
        WebClient owner = signedIn(workspace.owner().email());

        String page = owner.get("/settings/single-sign-on").text();
        assertThat(page).contains(baseUrl() + "/sign-in/single-sign-on/return");

        Response saved = owner.post("/settings/single-sign-on", Map.of("issuer", provider.issuer() + "/", "clientId", OpenIdProvider.CLIENT_ID,
                "clientSecret", OpenIdProvider.CLIENT_SECRET, "ssoOnly", "true"));
        assertThat(saved.status()).isEqualTo(302);
        var row = jdbc.sql("select issuer, client_id, client_secret_sealed, sso_only from single_sign_on where tenant_id = :t")
                .param("t", workspace.id()).query().singleRow();
        assertThat(row.get("issuer")).as("without the trailing slash, as the provider names itself").isEqualTo(provider.issuer());
        assertThat(row.get("client_id")).isEqualTo(OpenIdProvider.CLIENT_ID);
        assertThat((String) row.get("client_secret_sealed")).startsWith("v1.").doesNotContain(OpenIdProvider.CLIENT_SECRET);
        assertThat(row.get("sso_only")).isEqualTo(true);
        JsonNode configured = auditDetails(workspace.id(), "single_sign_on.configured");
        assertThat(configured.get("issuer").asString()).isEqualTo(provider.issuer());
        assertThat(configured.get("ssoOnly").asBoolean()).isTrue();
        assertThat(configured.toString()).doesNotContain(OpenIdProvider.CLIENT_SECRET);
        assertThat(owner.get("/settings/single-sign-on").text()).doesNotContain(OpenIdProvider.CLIENT_SECRET).contains(OpenIdProvider.CLIENT_ID);

        // An empty secret keeps the one saved.
        String sealed = (String) row.get("client_secret_sealed");
        assertThat(owner.post("/settings/single-sign-on", Map.of("issuer", provider.issuer(), "clientId", OpenIdProvider.CLIENT_ID,
                "clientSecret", "")).status()).isEqualTo(302);
        assertThat(jdbc.sql("select client_secret_sealed from single_sign_on where tenant_id = :t").param("t", workspace.id())
                .query(String.class).single()).isEqualTo(sealed);
        JsonNode changed = auditDetails(workspace.id(), "single_sign_on.changed");
        assertThat(changed.get("ssoOnly").asBoolean()).isFalse();
        assertThat(changed.get("secretChanged").asBoolean()).isFalse();

        assertThat(owner.post("/settings/single-sign-on/remove", Map.of()).status()).isEqualTo(302);
        assertThat(count(workspace.id())).isZero();
        assertThat(actions(workspace.id())).contains("single_sign_on.removed");
    }

    @Test
    void an_issuer_that_cannot_be_read_or_is_not_https_is_refused_with_a_message_and_nothing_is_saved() {
        var workspace = fixtures.workspace("Sso Refused Co");
        WebClient owner = signedIn(workspace.owner().email());

        Response unreadable = owner.post("/settings/single-sign-on", Map.of("issuer", "http://127.0.0.1:1", "clientId", "c", "clientSecret", "s"));
        assertThat(unreadable.status()).isEqualTo(400);
        assertThat(unreadable.text()).contains("discovery document at http://127.0.0.1:1/.well-known/openid-configuration");

        Response notHttps = owner.post("/settings/single-sign-on", Map.of("issuer", "http://login.example.com", "clientId", "c", "clientSecret", "s"));
        assertThat(notHttps.status()).isEqualTo(400);
        assertThat(notHttps.text()).contains("full https:// address");

        Response otherIssuer = owner.post("/settings/single-sign-on", Map.of("issuer", provider.issuer().replace("127.0.0.1", "localhost"),
                "clientId", "c", "clientSecret", "s"));
        assertThat(otherIssuer.status()).as("the document names the issuer it was read from, and it must be this one").isEqualTo(400);
        assertThat(otherIssuer.text()).contains("names another issuer");

        Response noSecret = owner.post("/settings/single-sign-on", Map.of("issuer", provider.issuer(), "clientId", "c", "clientSecret", ""));
        assertThat(noSecret.status()).isEqualTo(400);
        assertThat(noSecret.text()).contains("Enter the client secret");

        assertThat(count(workspace.id())).isZero();
        assertThat(actions(workspace.id())).noneMatch(action -> action.startsWith("single_sign_on."));
    }

    @Test
    void only_owners_manage_single_sign_on_and_the_redirect_uri_never_comes_from_the_request() {
        var workspace = fixtures.workspace("Sso Roles Co");
        Fixtures.Person admin = fixtures.member(workspace, Role.ADMIN);
        WebClient asAdmin = signedIn(admin.email());
        assertThat(asAdmin.get("/settings/single-sign-on").status()).isEqualTo(403);
        assertThat(asAdmin.post("/settings/single-sign-on", Map.of("issuer", provider.issuer(), "clientId", "c", "clientSecret", "s")).status())
                .isEqualTo(403);
        assertThat(count(workspace.id())).isZero();

        WebClient owner = signedIn(workspace.owner().email()).forwardedHost("attacker.example");
        assertThat(owner.get("/settings/single-sign-on").text()).doesNotContain("attacker.example")
                .contains(baseUrl() + "/sign-in/single-sign-on/return");
    }

    @Test
    void looking_for_a_provider_by_email_answers_alike_for_an_unknown_address_and_one_without_single_sign_on() {
        var workspace = fixtures.workspace("Sso Lookup Co");
        WebClient anyone = browser();
        anyone.get("/sign-in/single-sign-on");
        Response unknown = anyone.post("/sign-in/single-sign-on", Map.of("email", "nobody-" + UUID.randomUUID() + "@test.example"));
        Response withoutSso = anyone.post("/sign-in/single-sign-on", Map.of("email", workspace.owner().email()));
        assertThat(unknown.status()).isEqualTo(404).isEqualTo(withoutSso.status());
        assertThat(unknown.text()).contains("No workspace with single sign-on was found");
        assertThat(withoutSso.text()).contains("No workspace with single sign-on was found");

        WebClient owner = signedIn(workspace.owner().email());
        owner.post("/settings/single-sign-on", Map.of("issuer", provider.issuer(), "clientId", OpenIdProvider.CLIENT_ID,
                "clientSecret", OpenIdProvider.CLIENT_SECRET));
        Response found = anyone.post("/sign-in/single-sign-on", Map.of("email", workspace.owner().email()));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.text()).contains("href=\"/sign-in/single-sign-on/start/" + workspace.id() + "\"", "Sso Lookup Co");
        Response toProvider = anyone.get("/sign-in/single-sign-on/start/" + workspace.id());
        assertThat(toProvider.status()).isEqualTo(302);
        assertThat(toProvider.header("Location")).startsWith(provider.issuer() + "/oauth2/authorize?")
                .contains("client_id=" + OpenIdProvider.CLIENT_ID, "code_challenge=", "code_challenge_method=S256", "nonce=", "state=")
                .contains("redirect_uri=" + baseUrl() + "/sign-in/single-sign-on/return");

        assertThat(anyone.get("/sign-in/single-sign-on/start/" + UUID.randomUUID()).status()).as("a workspace without single sign-on")
                .isEqualTo(404);
        assertThat(anyone.get("/sign-in/single-sign-on/start/not-a-workspace").status()).isEqualTo(404);
    }

    @Test
    void single_sign_on_only_keeps_members_password_sessions_out_but_not_owners_nor_api_tokens() {
        var workspace = fixtures.workspace("Sso Only Http Co");
        Fixtures.Person admin = fixtures.member(workspace, Role.ADMIN);
        String token = fixtures.apiToken(workspace, Role.AGENT);
        WebClient owner = signedIn(workspace.owner().email());
        owner.post("/settings/single-sign-on", Map.of("issuer", provider.issuer(), "clientId", OpenIdProvider.CLIENT_ID,
                "clientSecret", OpenIdProvider.CLIENT_SECRET, "ssoOnly", "true"));

        WebClient asAdmin = signedIn(admin.email());
        Response page = asAdmin.get("/settings/members");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).isEqualTo("/sign-in/single-sign-on/required");
        assertThat(asAdmin.get("/sign-in/single-sign-on/required").text()).contains("Sso Only Http Co", "/sign-in/single-sign-on/start/" + workspace.id());
        Response htmx = asAdmin.get("/inbox", Map.of("HX-Request", "true"));
        assertThat(htmx.status()).isEqualTo(403);
        assertThat(htmx.header("HX-Redirect")).isEqualTo("/sign-in/single-sign-on/required");
        assertThat(asAdmin.post("/settings/workspace", Map.of("name", "Renamed", "timeZone", "UTC", "country", "IN")).status()).isEqualTo(403);
        assertThat(jdbc.sql("select name from workspaces where id = :t").param("t", workspace.id()).query(String.class).single())
                .isEqualTo("Sso Only Http Co");

        assertThat(owner.get("/settings/members").status()).as("Owners keep their password").isEqualTo(200);
        assertThat(api(token).get("/api/v1/me").status()).as("API tokens are unaffected").isEqualTo(200);

        owner.post("/settings/single-sign-on", Map.of("issuer", provider.issuer(), "clientId", OpenIdProvider.CLIENT_ID, "clientSecret", ""));
        assertThat(asAdmin.get("/settings/members").status()).as("switched off, the password opens it again").isEqualTo(200);
    }

    private WebClient signedIn(String email) {
        WebClient client = browser();
        client.signIn(email, Fixtures.PASSWORD);
        return client;
    }

    private int count(UUID tenant) {
        return jdbc.sql("select count(*) from single_sign_on where tenant_id = :t").param("t", tenant).query(Integer.class).single();
    }

    private List<String> actions(UUID tenant) {
        return jdbc.sql("select action from audit_events where tenant_id = :t order by occurred_at, id").param("t", tenant).query(String.class).list();
    }

    private JsonNode auditDetails(UUID tenant, String action) {
        String details = jdbc.sql("select details::text from audit_events where tenant_id = :t and action = :a order by occurred_at desc limit 1")
                .param("t", tenant).param("a", action).query(String.class).single();
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(details);
    }
}
