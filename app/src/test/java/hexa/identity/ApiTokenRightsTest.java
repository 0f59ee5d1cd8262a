package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** A token acts for its creator: never above their role now, not while they are deactivated, not after it expires. */
class ApiTokenRightsTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApiTokenService tokens;

    @Test
    void a_token_of_a_deactivated_admin_stops_working_until_they_are_reactivated() {
        var workspace = fixtures.workspace("Suspended Token Co");
        var admin = fixtures.member(workspace, Role.ADMIN);
        String secret = createOnThePage(signedIn(admin.email()), "Nightly export", "ADMIN", "never");
        assertThat(api(secret).get("/api/v1/me").status()).isEqualTo(200);

        WebClient owner = signedIn(workspace.owner().email());
        owner.post("/settings/members/" + admin.id() + "/deactivate", Map.of());

        Response refused = api(secret).get("/api/v1/me");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(ApiClient.json(refused).get("code").asString()).isEqualTo("token_suspended");
        assertThat(ApiClient.json(refused).get("message").asString()).contains(admin.name()).contains("deactivated");
        assertThat(api(secret).get("/api/v1/contacts").status()).as("nothing else either").isEqualTo(401);
        String row = row(owner.get("/settings/api-tokens").text(), "Nightly export");
        assertThat(row).contains("data-state=\"suspended\"").contains("Suspended").contains(admin.name() + ", who created it, is deactivated");

        owner.post("/settings/members/" + admin.id() + "/reactivate", Map.of());

        Response again = api(secret).get("/api/v1/me");
        assertThat(again.status()).isEqualTo(200);
        assertThat(ApiClient.json(again).get("role").asString()).isEqualTo("admin");
        assertThat(actions(workspace.id())).containsSubsequence("api_token.created", "member.deactivated", "api_token.suspended",
                "member.reactivated", "api_token.resumed");
        assertThat(auditDetails(workspace.id(), "api_token.suspended").get("reason").asString()).isEqualTo("creator_deactivated");
    }

    @Test
    void a_token_of_an_admin_demoted_to_agent_can_do_what_an_agent_can_and_no_more() {
        var workspace = fixtures.workspace("Demoted Token Co");
        var admin = fixtures.member(workspace, Role.ADMIN);
        String secret = createOnThePage(signedIn(admin.email()), "Shop sync", "ADMIN", "90");
        ApiClient token = api(secret);
        assertThat(token.get("/api/v1/whatsapp/connections").status()).isEqualTo(200);

        WebClient owner = signedIn(workspace.owner().email());
        owner.post("/settings/members/" + admin.id() + "/role", Map.of("role", "AGENT"));

        assertThat(token.get("/api/v1/whatsapp/connections").status()).as("an Admin's thing").isEqualTo(403);
        assertThat(token.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Shoe size\",\"type\":\"number\"}").status()).isEqualTo(403);
        assertThat(token.get("/api/v1/contacts").status()).as("an Agent's thing").isEqualTo(200);
        JsonNode me = ApiClient.json(token.get("/api/v1/me"));
        assertThat(me.get("role").asString()).isEqualTo("agent");
        assertThat(me.get("token").get("role").asString()).as("the role it was given").isEqualTo("admin");
        assertThat(row(owner.get("/settings/api-tokens").text(), "Shop sync")).contains("acts as Agent").contains("data-state=\"active\"");
        JsonNode limited = auditDetails(workspace.id(), "api_token.role_limited");
        assertThat(limited.get("from").asString()).isEqualTo("ADMIN");
        assertThat(limited.get("to").asString()).isEqualTo("AGENT");

        // An Analyst shares no role with an Agent's token: it stops rather than guess.
        owner.post("/settings/members/" + admin.id() + "/role", Map.of("role", "SUPERVISOR"));
        String agentToken;
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.member(workspace.id(), Role.ADMIN, admin.id(), admin.name()))) {
            agentToken = tokens.create("Inbox bot", Role.AGENT).secret();
        }
        owner.post("/settings/members/" + admin.id() + "/role", Map.of("role", "ANALYST"));
        Response unrelated = api(agentToken).get("/api/v1/me");
        assertThat(unrelated.status()).isEqualTo(401);
        assertThat(ApiClient.json(unrelated).get("code").asString()).isEqualTo("token_suspended");
        assertThat(ApiClient.json(token.get("/api/v1/me")).get("role").asString()).as("the Admin token, as an Analyst").isEqualTo("analyst");
    }

    @Test
    void an_expired_token_answers_401_token_expired_and_shows_as_expired() {
        var workspace = fixtures.workspace("Expiring Token Co");
        WebClient owner = signedIn(workspace.owner().email());
        String secret = createOnThePage(owner, "Month pass", "AGENT", "30");
        String forever = createOnThePage(owner, "Forever pass", "AGENT", "never");
        assertThat(api(secret).get("/api/v1/me").status()).isEqualTo(200);
        Instant expiresAt = jdbc.sql("select expires_at from api_tokens where tenant_id = :t and name = 'Month pass'")
                .param("t", workspace.id()).query(java.sql.Timestamp.class).single().toInstant();
        assertThat(Duration.between(clock.instant(), expiresAt)).isBetween(Duration.ofDays(30).minusMinutes(5), Duration.ofDays(30));

        clock.advance(Duration.ofDays(30).plusMinutes(1));

        Response expired = api(secret).get("/api/v1/me");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(ApiClient.json(expired).get("code").asString()).isEqualTo("token_expired");
        assertThat(ApiClient.json(expired).get("message").asString()).contains("expired");
        assertThat(api(forever).get("/api/v1/me").status()).isEqualTo(200);
        String page = signedIn(workspace.owner().email()).get("/settings/api-tokens").text();
        assertThat(row(page, "Month pass")).contains("data-state=\"expired\"").contains("Expired").doesNotContain("data-state=\"active\"");
        assertThat(row(page, "Forever pass")).contains("data-state=\"active\"");
        assertThat(auditDetails(workspace.id(), "api_token.created").has("expiresAt")).isTrue();
    }

    @Test
    void an_expiry_that_is_not_a_number_of_days_is_refused_and_creates_nothing() {
        var workspace = fixtures.workspace("Bad Expiry Co");
        WebClient owner = signedIn(workspace.owner().email());
        for (String bad : List.of("0", "-5", "soon", "99999")) {
            owner.post("/settings/api-tokens", Map.of("name", "Bad " + bad, "role", "AGENT", "expiresInDays", bad));
            assertThat(owner.get("/settings/api-tokens").text()).as(bad).contains("Choose when the token expires");
        }
        assertThat(jdbc.sql("select count(*) from api_tokens where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
    }

    @Test
    void last_use_is_noted_at_most_once_a_minute_with_its_address_and_shown_on_the_page_and_in_the_api() {
        var workspace = fixtures.workspace("Last Use Co");
        String secret = fixtures.apiToken(workspace, Role.ADMIN);
        UUID id = jdbc.sql("select id from api_tokens where tenant_id = :t").param("t", workspace.id()).query(UUID.class).single();
        ApiClient token = api(secret);
        clock.freeze();
        clock.advance(Duration.ofNanos(-clock.instant().getNano()));
        Instant first = clock.instant();

        token.get("/api/v1/me");
        assertThat(lastUsed(workspace.id())).isEqualTo(first.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        clock.advance(Duration.ofSeconds(40));
        token.get("/api/v1/me");
        assertThat(lastUsed(workspace.id())).as("not again within the minute").isEqualTo(first.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        clock.advance(Duration.ofSeconds(30));
        JsonNode shown = ApiClient.json(token.get("/api/v1/api-tokens/" + id));

        Instant second = first.plusSeconds(70).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        assertThat(lastUsed(workspace.id())).isEqualTo(second);
        assertThat(Instant.parse(shown.get("lastUsedAt").asString())).isEqualTo(second);
        assertThat(shown.get("lastUsedFrom").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(shown.get("state").asString()).isEqualTo("active");
        assertThat(shown.get("effectiveRole").asString()).isEqualTo("admin");
        assertThat(shown.get("createdBy").get("id").asString()).isEqualTo(workspace.owner().id().toString());
        String row = row(signedIn(workspace.owner().email()).get("/settings/api-tokens").text(), "Token for admin");
        assertThat(row).contains("datetime=\"" + second + "\"").contains("from " + shown.get("lastUsedFrom").asString());
    }

    @Test
    void an_owner_sees_and_revokes_every_token_and_an_admin_only_their_own() {
        var workspace = fixtures.workspace("Token Lists Co");
        var ada = fixtures.member(workspace, Role.ADMIN);
        var ben = fixtures.member(workspace, Role.ADMIN);
        WebClient owner = signedIn(workspace.owner().email());
        WebClient adaBrowser = signedIn(ada.email());
        WebClient benBrowser = signedIn(ben.email());
        String ownersToken = createOnThePage(owner, "Owner's report", "ANALYST", "never");
        String adasToken = createOnThePage(adaBrowser, "Ada's sync", "ADMIN", "never");
        String bensToken = createOnThePage(benBrowser, "Ben's bot", "AGENT", "never");
        UUID bensId = idOf(workspace.id(), "Ben's bot");
        UUID adasId = idOf(workspace.id(), "Ada's sync");

        String ownersPage = owner.get("/settings/api-tokens").text();
        assertThat(ownersPage).contains("Owner&#39;s report", "Ada&#39;s sync", "Ben&#39;s bot").contains(ada.name(), ben.name());
        String adasPage = adaBrowser.get("/settings/api-tokens").text();
        assertThat(adasPage).contains("Ada&#39;s sync").doesNotContain("Ben&#39;s bot").doesNotContain("Owner&#39;s report");
        JsonNode adasList = ApiClient.json(api(adasToken).get("/api/v1/api-tokens")).get("items");
        assertThat(adasList).hasSize(1);
        assertThat(adasList.get(0).get("name").asString()).isEqualTo("Ada's sync");
        assertThat(api(adasToken).get("/api/v1/api-tokens/" + bensId).status()).as("another member's token").isEqualTo(404);

        assertThat(adaBrowser.post("/settings/api-tokens/" + bensId + "/revoke", Map.of()).status()).isEqualTo(404);
        assertThat(api(adasToken).send("DELETE", "/api/v1/api-tokens/" + bensId, null).status()).isEqualTo(404);
        assertThat(api(bensToken).get("/api/v1/me").status()).as("untouched").isEqualTo(200);

        assertThat(owner.post("/settings/api-tokens/" + bensId + "/revoke", Map.of()).status()).isEqualTo(302);
        assertThat(api(bensToken).get("/api/v1/me").status()).isEqualTo(401);
        Response revoked = api(adasToken).send("DELETE", "/api/v1/api-tokens/" + adasId, null);
        assertThat(ApiClient.json(revoked).get("state").asString()).isEqualTo("revoked");
        assertThat(api(adasToken).get("/api/v1/me").status()).isEqualTo(401);
        assertThat(api(ownersToken).get("/api/v1/me").status()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'api_token.revoked'")
                .param("t", workspace.id()).query(Integer.class).single()).isEqualTo(2);

        var other = fixtures.workspace("Other Token Lists Co");
        WebClient otherOwner = signedIn(other.owner().email());
        assertThat(otherOwner.post("/settings/api-tokens/" + adasId + "/revoke", Map.of()).status()).as("another workspace's").isEqualTo(404);
        assertThat(otherOwner.get("/settings/api-tokens").text()).doesNotContain("Ada&#39;s sync");
        assertThat(api(fixtures.apiToken(other, Role.ADMIN)).get("/api/v1/api-tokens/" + adasId).status()).isEqualTo(404);
    }

    @Test
    void a_token_nobody_in_the_workspace_stands_behind_is_suspended_not_all_powerful() {
        var workspace = fixtures.workspace("Orphan Token Co");
        var stranger = fixtures.person("Seeder Script");
        String secret;
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.member(workspace.id(), Role.OWNER, stranger.id(), stranger.name()))) {
            secret = tokens.create("Seeded", Role.ADMIN).secret();
        }

        Response refused = api(secret).get("/api/v1/me");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(ApiClient.json(refused).get("code").asString()).isEqualTo("token_suspended");
        assertThat(ApiClient.json(refused).get("message").asString()).contains("not a member");
        assertThat(row(signedIn(workspace.owner().email()).get("/settings/api-tokens").text(), "Seeded"))
                .contains("data-state=\"suspended\"").contains("is not a member");
    }

    private WebClient signedIn(String email) {
        WebClient browser = browser();
        browser.signIn(email, Fixtures.PASSWORD);
        return browser;
    }

    /** Creates a token on Settings → API tokens and reads its secret from the page, as a person copies it. */
    private static String createOnThePage(WebClient browser, String name, String role, String expiresInDays) {
        Response created = browser.post("/settings/api-tokens", Map.of("name", name, "role", role, "expiresInDays", expiresInDays));
        assertThat(created.status()).isEqualTo(302);
        Matcher secret = Pattern.compile("id=\"new-token\" value=\"(hexa_[^\"]+)\"").matcher(browser.get("/settings/api-tokens").text());
        assertThat(secret.find()).as("the new token " + name + " is shown").isTrue();
        return secret.group(1);
    }

    /** The table row of the token named {@code name} (as the page escapes it). */
    private static String row(String page, String name) {
        String escaped = name.replace("'", "&#39;");
        Matcher rows = Pattern.compile("<tr [^>]*data-token-id[^>]*>.*?</tr>", Pattern.DOTALL).matcher(page);
        while (rows.find()) {
            if (rows.group().contains(">" + escaped + "<")) {
                return rows.group();
            }
        }
        throw new AssertionError("No row for " + name + " in " + page);
    }

    private UUID idOf(UUID tenant, String name) {
        return jdbc.sql("select id from api_tokens where tenant_id = :t and name = :n").param("t", tenant).param("n", name).query(UUID.class).single();
    }

    private Instant lastUsed(UUID tenant) {
        return jdbc.sql("select last_used_at from api_tokens where tenant_id = :t").param("t", tenant)
                .query(java.sql.Timestamp.class).single().toInstant();
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
