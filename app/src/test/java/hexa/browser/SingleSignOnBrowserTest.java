package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import hexa.support.OpenIdProvider;
import hexa.support.WebClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Single sign-on in real Chromium against a real OpenID provider (Spring Authorization Server) on another port:
 * the person signs in on the provider's own login form and comes back signed in to Hexa CRM.
 */
class SingleSignOnBrowserTest extends BrowserTest {

    private static OpenIdProvider provider;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void provider() {
        if (provider == null) {
            provider = OpenIdProvider.start(baseUrl() + "/sign-in/single-sign-on/return");
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
    void an_owner_sets_up_single_sign_on_and_a_member_signs_in_through_the_provider_into_the_inbox() {
        var workspace = fixtures.workspace("Sso Browser Co");
        Fixtures.Person agent = fixtures.member(workspace, Role.AGENT);
        provider.knows(agent.email());

        Chromium.signIn(driver, baseUrl(), workspace.owner().email());
        driver.get(baseUrl() + "/settings/single-sign-on");
        assertThat(driver.findElement(By.id("sso-redirect-uri")).getAttribute("value")).isEqualTo(baseUrl() + "/sign-in/single-sign-on/return");
        driver.findElement(By.id("sso-issuer")).sendKeys(provider.issuer());
        driver.findElement(By.id("sso-client-id")).sendKeys(OpenIdProvider.CLIENT_ID);
        driver.findElement(By.id("sso-client-secret")).sendKeys(OpenIdProvider.CLIENT_SECRET, Keys.ENTER);
        Chromium.waitFor(driver, ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Single sign-on saved"));

        restartBrowser();
        driver.get(baseUrl() + "/sign-in");
        driver.findElement(By.cssSelector("[data-testid=sso-link]")).click();
        driver.findElement(By.id("sso-email")).sendKeys(agent.email(), Keys.ENTER);
        driver.findElement(By.linkText("Sso Browser Co")).click();
        signInAtProvider(agent.email());
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/inbox"));
        assertThat(driver.getCurrentUrl()).startsWith(baseUrl());
        assertThat(succeededSignIns(workspace.id(), agent.id())).contains("single_sign_on");
    }

    @Test
    void with_single_sign_on_only_a_member_who_signs_in_with_a_password_is_sent_to_the_provider_and_owners_keep_their_password() {
        var workspace = fixtures.workspace("Sso Only Co");
        Fixtures.Person agent = fixtures.member(workspace, Role.AGENT);
        provider.knows(agent.email());
        WebClient owner = new WebClient(baseUrl());
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.post("/settings/single-sign-on", Map.of("issuer", provider.issuer(), "clientId", OpenIdProvider.CLIENT_ID,
                "clientSecret", OpenIdProvider.CLIENT_SECRET, "ssoOnly", "true")).status()).isEqualTo(302);
        assertThat(owner.get("/inbox").status()).as("the Owner's password still opens the workspace").isEqualTo(200);

        driver.get(baseUrl() + "/sign-in");
        driver.findElement(By.id("email")).sendKeys(agent.email());
        driver.findElement(By.id("password")).sendKeys(Fixtures.PASSWORD, Keys.ENTER);
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/sign-in/single-sign-on/required"));
        assertThat(driver.findElement(By.cssSelector("[data-testid=sso-required]")).getText()).contains("Sso Only Co", "require");
        driver.get(baseUrl() + "/contacts");
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/sign-in/single-sign-on/required"));

        driver.findElement(By.cssSelector("[data-testid=sso-continue]")).click();
        signInAtProvider(agent.email());
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/inbox"));
        driver.get(baseUrl() + "/contacts");
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/contacts"));
    }

    @Test
    void an_identity_that_is_not_an_active_member_or_whose_email_is_not_verified_is_refused_and_no_account_is_made() {
        var workspace = fixtures.workspace("Sso Refusals Co");
        WebClient owner = new WebClient(baseUrl());
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/single-sign-on", Map.of("issuer", provider.issuer(), "clientId", OpenIdProvider.CLIENT_ID,
                "clientSecret", OpenIdProvider.CLIENT_SECRET));
        String stranger = "stranger-" + UUID.randomUUID().toString().substring(0, 8) + "@test.example";
        provider.knows(stranger);
        Fixtures.Person unverified = fixtures.member(workspace, Role.AGENT);
        provider.knowsUnverified(unverified.email());

        driver.get(baseUrl() + "/sign-in/single-sign-on/start/" + workspace.id());
        signInAtProvider(stranger);
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/sign-in/single-sign-on?refused=not-member"));
        assertThat(driver.findElement(By.cssSelector("[data-testid=form-error]")).getText()).contains("not an active member", "invitation");
        assertThat(jdbc.sql("select count(*) from users where lower(email) = lower(:e)").param("e", stranger).query(Integer.class).single()).isZero();
        driver.get(baseUrl() + "/inbox");
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/sign-in"));

        restartBrowser();
        driver.get(baseUrl() + "/sign-in/single-sign-on/start/" + workspace.id());
        signInAtProvider(unverified.email());
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/sign-in/single-sign-on?refused=unverified"));
        assertThat(driver.findElement(By.cssSelector("[data-testid=form-error]")).getText()).contains("verified");
        assertThat(succeededSignIns(workspace.id(), unverified.id())).isEmpty();

        Fixtures.Person deactivated = fixtures.member(workspace, Role.AGENT);
        provider.knows(deactivated.email());
        assertThat(owner.post("/settings/members/" + deactivated.id() + "/deactivate", Map.of()).status()).isEqualTo(302);
        restartBrowser();
        driver.get(baseUrl() + "/sign-in/single-sign-on/start/" + workspace.id());
        signInAtProvider(deactivated.email());
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/sign-in/single-sign-on?refused=not-member"));
        assertThat(succeededSignIns(workspace.id(), deactivated.id())).isEmpty();

        assertThat(jdbc.sql("select details->>'reason' from audit_events where tenant_id = :t and action = 'sign_in.refused' order by occurred_at")
                .param("t", workspace.id()).query(String.class).list())
                .containsExactly("not an active member", "email not verified by the provider", "not an active member");
    }

    @Test
    void after_the_owner_moves_to_another_provider_members_sign_in_there() {
        var workspace = fixtures.workspace("Sso Moving Co");
        Fixtures.Person agent = fixtures.member(workspace, Role.AGENT);
        provider.knows(agent.email());
        WebClient owner = new WebClient(baseUrl());
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/single-sign-on", Map.of("issuer", provider.issuer(), "clientId", OpenIdProvider.CLIENT_ID,
                "clientSecret", OpenIdProvider.CLIENT_SECRET));
        driver.get(baseUrl() + "/sign-in/single-sign-on/start/" + workspace.id());
        signInAtProvider(agent.email());
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/inbox"));

        try (OpenIdProvider next = OpenIdProvider.start(baseUrl() + "/sign-in/single-sign-on/return").knows(agent.email())) {
            assertThat(owner.post("/settings/single-sign-on", Map.of("issuer", next.issuer(), "clientId", OpenIdProvider.CLIENT_ID,
                    "clientSecret", OpenIdProvider.CLIENT_SECRET)).status()).isEqualTo(302);
            restartBrowser();
            driver.get(baseUrl() + "/sign-in/single-sign-on/start/" + workspace.id());
            signInAtProvider(next, agent.email());
            Chromium.waitFor(driver, ExpectedConditions.urlContains("/inbox"));
        }
        assertThat(succeededSignIns(workspace.id(), agent.id())).containsExactly("single_sign_on", "single_sign_on");
    }

    private void signInAtProvider(String email) {
        signInAtProvider(provider, email);
    }

    private void signInAtProvider(OpenIdProvider at, String email) {
        Chromium.waitFor(driver, ExpectedConditions.urlContains(at.issuer() + "/login"));
        driver.findElement(By.id("username")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(OpenIdProvider.MEMBER_PASSWORD, Keys.ENTER);
    }

    private void restartBrowser() {
        Chromium.release(driver);
        driver = Chromium.start();
    }

    private List<String> succeededSignIns(UUID workspace, UUID user) {
        return jdbc.sql("""
                select coalesce(details->>'method', 'password') from audit_events
                 where tenant_id = :t and action = 'sign_in.succeeded' and target_id = :u order by occurred_at
                """).param("t", workspace).param("u", user.toString()).query(String.class).list();
    }
}
