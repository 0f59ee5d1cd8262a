package hexa.platform;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class WebSafetyTest extends HexaIntegrationTest {

    @Test
    void every_page_forbids_inline_scripts_framing_and_sniffing() {
        Response page = browser().get("/sign-in");

        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'").contains("object-src 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    }

    @Test
    void pages_contain_no_inline_script_or_style() {
        var workspace = fixtures.workspace("Inline Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        for (String path : java.util.List.of("/inbox", "/settings/members", "/settings/api-tokens", "/settings/audit-log", "/settings/workspace", "/profile", "/workspaces/new")) {
            String html = owner.get(path).text();
            assertThat(html).as(path).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContain("<style").doesNotContain(" style=\"").doesNotContain("onclick=");
        }
    }

    @Test
    void an_unknown_page_is_a_friendly_404() {
        assertThat(browser().get("/no/such/page").location()).as("strangers learn nothing about which pages exist").isEqualTo("/sign-in");
        var workspace = fixtures.workspace("Lost Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        Response response = owner.get("/no/such/page");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).contains("Page not found").doesNotContain("Whitelabel").doesNotContain("Exception");
    }

    @Test
    void a_signed_in_member_asking_for_something_unknown_gets_the_404_page() {
        var workspace = fixtures.workspace("Unknown Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        Response response = owner.post("/settings/members/not-a-uuid/deactivate", java.util.Map.of());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).contains("Page not found");
    }

    @Test
    void a_forbidden_page_says_so_plainly() {
        var workspace = fixtures.workspace("Forbidden Co");
        WebClient agent = browser();
        agent.signIn(fixtures.member(workspace, Role.AGENT).email(), Fixtures.PASSWORD);

        Response response = agent.get("/settings/audit-log");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.text()).contains("does not allow this").doesNotContain("Exception");
    }

    @Test
    void the_navigation_shows_each_role_only_what_it_may_use() {
        var workspace = fixtures.workspace("Nav Co");
        WebClient agent = browser();
        agent.signIn(fixtures.member(workspace, Role.AGENT).email(), Fixtures.PASSWORD);
        WebClient analyst = browser();
        analyst.signIn(fixtures.member(workspace, Role.ANALYST).email(), Fixtures.PASSWORD);
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        String agentPage = agent.get("/inbox").text();
        assertThat(agentPage).contains("data-nav=\"nav.inbox\"").contains("data-nav=\"nav.contacts\"")
                .doesNotContain("data-nav=\"nav.settings\"").doesNotContain("data-nav=\"nav.reports\"").doesNotContain("data-nav=\"nav.automation\"");
        String analystPage = analyst.get("/reports").text();
        assertThat(analystPage).contains("data-nav=\"nav.reports\"").doesNotContain("data-nav=\"nav.inbox\"").doesNotContain("data-nav=\"nav.settings\"");
        String ownerPage = owner.get("/inbox").text();
        for (String entry : java.util.List.of("inbox", "contacts", "campaigns", "automation", "reports", "settings")) {
            assertThat(ownerPage).contains("data-nav=\"nav." + entry + "\"");
        }
    }

    @Test
    void every_section_of_the_menu_is_built() {
        var workspace = fixtures.workspace("Later Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        for (String section : java.util.List.of("/inbox", "/contacts", "/campaigns", "/automation", "/reports")) {
            assertThat(owner.get(section).text()).as(section).doesNotContain("not built yet");
        }
        assertThat(owner.get("/campaigns").text()).contains("data-testid=\"new-campaign\"");
    }

    @Test
    void security_txt_names_the_configured_contacts_and_an_expiry() throws Exception {
        HttpResponse<String> txt = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + "/.well-known/security.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(txt.statusCode()).isEqualTo(200);
        assertThat(txt.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(txt.body().lines()).contains("Contact: mailto:security@test.example", "Contact: https://test.example/report",
                "Preferred-Languages: en");
        java.time.Instant expires = java.time.Instant.parse(txt.body().lines().filter(l -> l.startsWith("Expires: ")).findFirst()
                .orElseThrow().substring("Expires: ".length()));
        assertThat(expires).isBetween(clock.instant().plus(java.time.Duration.ofDays(30)), clock.instant().plus(java.time.Duration.ofDays(365)));
    }

    @Test
    void health_and_metrics_are_served_for_operators() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> liveness = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/liveness")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + METRICS_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> guessed = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + METRICS_TOKEN + "x").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("http_server_requests");
        assertThat(anonymous.statusCode()).as("metrics are not for everyone").isEqualTo(401);
        assertThat(guessed.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("jvm_memory_used_bytes");
    }
}
