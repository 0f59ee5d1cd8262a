package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class SignInTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void a_member_signs_in_and_lands_in_the_inbox() {
        var workspace = fixtures.workspace("Sign-in Co");
        WebClient browser = browser();

        Response response = browser.post("/sign-in", Map.of("email", workspace.owner().email(), "password", Fixtures.PASSWORD));

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.location()).isEqualTo("/");
        assertThat(browser.get("/").location()).isEqualTo("/inbox");
        Response inbox = browser.get("/inbox");
        assertThat(inbox.status()).isEqualTo(200);
        assertThat(inbox.text()).contains("Sign-in Co").contains(workspace.owner().name());
    }

    @Test
    void the_email_is_matched_whatever_its_case_and_surrounding_spaces() {
        var workspace = fixtures.workspace("Case Co");
        Response response = browser().post("/sign-in", Map.of("email", "  " + workspace.owner().email().toUpperCase() + " ", "password", Fixtures.PASSWORD));
        assertThat(response.status()).isEqualTo(302);
    }

    @Test
    void a_wrong_password_and_an_unknown_email_get_the_same_answer() {
        var workspace = fixtures.workspace("Wrong Co");

        Response wrongPassword = browser().post("/sign-in", Map.of("email", workspace.owner().email(), "password", "not-the-password"));
        Response unknown = browser().post("/sign-in", Map.of("email", "nobody-" + System.nanoTime() + "@test.example", "password", "whatever-it-is"));

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrongPassword.text()).contains("That email and password do not match");
        assertThat(unknown.text()).contains("That email and password do not match");
        assertThat(wrongPassword.text()).contains("value=\"" + workspace.owner().email() + "\"");
    }

    @Test
    void signing_in_issues_a_new_session_id_and_a_protected_cookie() {
        var workspace = fixtures.workspace("Cookie Co");
        WebClient browser = browser();
        browser.get("/sign-in");
        browser.post("/sign-in", Map.of("email", "nobody@test.example", "password", "x"));
        String before = browser.sessionId();
        assertThat(before).isNotNull();

        Response response = browser.post("/sign-in", Map.of("email", workspace.owner().email(), "password", Fixtures.PASSWORD));

        assertThat(browser.sessionId()).isNotNull().isNotEqualTo(before);
        String cookie = response.headerValues("Set-Cookie").stream().filter(c -> c.startsWith("HEXA_SESSION=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
    }

    @Test
    void the_cookie_is_secure_when_served_over_https_behind_a_proxy() throws Exception {
        var workspace = fixtures.workspace("Https Co");
        var http = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/sign-in"))
                .header("X-Forwarded-Proto", "https").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("HEXA_SESSION=")).findFirst().orElseThrow();

        assertThat(cookie).contains("Secure").contains("HttpOnly");
    }

    @Test
    void a_form_without_its_csrf_token_is_refused() {
        var workspace = fixtures.workspace("Csrf Co");
        WebClient browser = browser();
        browser.get("/sign-in");

        Response response = browser.postRaw("/sign-in", Map.of("email", workspace.owner().email(), "password", Fixtures.PASSWORD));

        assertThat(response.status()).isEqualTo(403);
        assertThat(browser.get("/inbox").status()).isEqualTo(302);
    }

    @Test
    void signing_out_ends_the_session_and_is_audited() {
        var workspace = fixtures.workspace("Sign-out Co");
        WebClient browser = browser();
        browser.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        Response response = browser.post("/sign-out", Map.of());

        assertThat(response.location()).isEqualTo("/sign-in");
        assertThat(browser.get("/inbox").location()).isEqualTo("/sign-in");
        assertThat(actions(workspace.id())).contains("sign_in.succeeded", "sign_out");
    }

    @Test
    void pages_need_a_signed_in_person() {
        Response response = browser().get("/settings/members");
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.location()).isEqualTo("/sign-in");
    }

    @Test
    void repeated_failures_slow_the_account_down_then_lock_it_and_the_lock_is_audited() {
        var workspace = fixtures.workspace("Throttle Co");
        String email = workspace.owner().email();
        WebClient browser = browser();
        clock.freeze(); // the 1 s slow-down must still be running when the fourth try comes, however slow the machine

        for (int i = 0; i < 3; i++) {
            assertThat(browser.post("/sign-in", Map.of("email", email, "password", "wrong-" + i)).status()).isEqualTo(401);
        }
        Response slowed = browser.post("/sign-in", Map.of("email", email, "password", Fixtures.PASSWORD));
        assertThat(slowed.status()).isEqualTo(429);
        assertThat(slowed.text()).contains("Please wait 1 seconds");

        // Each further failure doubles the wait; keep failing, waiting out each slow-down, until the lock.
        for (int failures = 3; failures < 10; failures++) {
            clock.advance(Duration.ofSeconds(31));
            Response response = browser.post("/sign-in", Map.of("email", email, "password", "wrong-again"));
            assertThat(response.status()).isIn(401, 429);
        }
        clock.advance(Duration.ofSeconds(31));
        Response locked = browser.post("/sign-in", Map.of("email", email, "password", Fixtures.PASSWORD));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.text()).contains("locked");
        assertThat(actions(workspace.id())).contains("sign_in.failed", "sign_in.locked");

        assertThat(browser().post("/sign-in", Map.of("email", email, "password", Fixtures.PASSWORD)).status())
                .as("the owner, from another address, is not locked out by someone else's failures").isEqualTo(302);

        clock.advance(Duration.ofMinutes(16));
        assertThat(browser.post("/sign-in", Map.of("email", email, "password", Fixtures.PASSWORD)).status()).isEqualTo(302);
    }

    @Test
    void a_correct_password_resets_the_count_of_failures() {
        var workspace = fixtures.workspace("Reset Co");
        String email = workspace.owner().email();
        WebClient browser = browser();
        for (int i = 0; i < 2; i++) {
            browser.post("/sign-in", Map.of("email", email, "password", "wrong"));
        }
        assertThat(browser.post("/sign-in", Map.of("email", email, "password", Fixtures.PASSWORD)).status()).isEqualTo(302);
        WebClient again = browser().fromAddressOf(browser);
        for (int i = 0; i < 2; i++) {
            assertThat(again.post("/sign-in", Map.of("email", email, "password", "wrong")).status())
                    .as("the count started again: two more failures are not yet slowed down").isEqualTo(401);
        }
    }

    @Test
    void many_failures_from_one_address_lock_that_address_for_every_account() {
        WebClient attacker = browser();
        var victim = fixtures.workspace("Address Co");
        // Spread over many accounts so that no single account locks first.
        for (int i = 0; i < 60; i++) {
            clock.advance(Duration.ofSeconds(31));
            attacker.post("/sign-in", Map.of("email", "guess" + i + "-" + System.nanoTime() + "@test.example", "password", "x"));
        }
        Response response = attacker.post("/sign-in", Map.of("email", victim.owner().email(), "password", Fixtures.PASSWORD));
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.text()).contains("from your network");
        assertThat(browser().post("/sign-in", Map.of("email", victim.owner().email(), "password", Fixtures.PASSWORD)).status())
                .as("the owner, from their own address, still gets in").isEqualTo(302);
    }

    @Test
    void a_deactivated_member_who_signs_in_sees_that_they_have_no_workspace() {
        var workspace = fixtures.workspace("Gone Co");
        var agent = fixtures.member(workspace, Role.AGENT);
        jdbc.sql("update memberships set active = false where tenant_id = :t and user_id = :u")
                .param("t", workspace.id()).param("u", agent.id()).update();
        WebClient browser = browser();
        browser.post("/sign-in", Map.of("email", agent.email(), "password", Fixtures.PASSWORD));

        assertThat(browser.get("/").location()).isEqualTo("/workspaces/none");
        assertThat(browser.get("/workspaces/none").text()).contains("not an active member of any workspace");
        assertThat(browser.get("/inbox").status()).isEqualTo(403);
    }

    private List<String> actions(java.util.UUID workspace) {
        return jdbc.sql("select action from audit_events where tenant_id = :t order by occurred_at").param("t", workspace).query(String.class).list();
    }
}
