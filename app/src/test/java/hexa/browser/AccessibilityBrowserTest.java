package hexa.browser;

import com.deque.html.axecore.providers.EmbeddedResourceAxeProvider;
import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page of the app, public and signed in as an Owner, checked in real Chromium with axe-core against WCAG 2.1
 * levels A and AA. A serious or critical violation fails the test, which then names each one: the rule, the page, the
 * elements (as CSS selectors) and what axe says is wrong with them. One browser visits all pages in turn, so the
 * check costs one Chromium start.
 *
 * <p>axe-core comes from Deque's Selenium integration, which bundles the newest release. Its {@code AxeBuilder}
 * sends the 560 kB script and makes some ten WebDriver calls for every page; here the browser is given the script once,
 * to run in every page it opens, and each page costs one call that runs axe and answers only the violations: two and a
 * half times faster for the same result.
 */
class AccessibilityBrowserTest extends BrowserTest {

    /**
     * The rules of the WCAG 2.1 A and AA success criteria (2.0's included), and one more: label-content-name-mismatch
     * checks 2.5.3 Label in Name (level A), but axe marks it experimental and leaves it off unless asked.
     */
    private static final Map<String, Object> WCAG_21_AA = Map.of(
            "runOnly", Map.of("type", "tag", "values", List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")),
            "rules", Map.of("label-content-name-mismatch", Map.of("enabled", true)),
            "resultTypes", List.of("violations"));

    /** Runs axe on the page with the options given and answers its violations, or what went wrong as a text. */
    private static final String RUN_AXE = """
            const done = arguments[arguments.length - 1];
            if (!window.axe) {
                done('axe-core is not on the page');
                return;
            }
            axe.run(document, arguments[0]).then(
                results => done(results.violations.map(rule => ({id: rule.id, impact: rule.impact, help: rule.help,
                    nodes: rule.nodes.map(node => ({target: node.target.join(' '), impact: node.impact, summary: node.failureSummary}))}))),
                error => done('axe-core failed: ' + error));
            """;

    private static final Set<String> FAILING_IMPACTS = Set.of("serious", "critical");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    hexa.privacy.PublicPages publicPrivacyPages;

    private final List<String> violations = new ArrayList<>();

    @Test
    void every_page_meets_wcag_2_1_aa_without_a_serious_or_critical_violation() {
        Fixtures.SandboxWorkspace withNumber = fixtures.withSandboxNumber("Axe Teas " + UUID.randomUUID().toString().substring(0, 4));
        Fixtures.TestWorkspace workspace = withNumber.workspace();
        String invitationLink = fixtures.invitationLink(workspace, "new-agent-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com",
                Role.AGENT);
        ApiClient admin = api(fixtures.apiToken(workspace, Role.ADMIN));
        admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Plan\",\"type\":\"list\",\"options\":[\"Free\",\"Pro\"]}");
        UUID conversation = withNumber.customer().writes("919811133301", "Do you have masala chai in 500 g packs?", "Priya Shah");
        UUID contact = jdbc.sql("select contact_id from conversations where id = :id").param("id", conversation).query(UUID.class).single();
        String other = ApiClient.json(admin.send("POST", "/api/v1/contacts",
                "{\"name\":\"Ravi Menon\",\"phone\":\"+919811133302\",\"email\":\"ravi@example.com\"}")).get("id").asString();

        // Every page the browser opens from now on carries axe-core.
        ((HasCdp) driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", axeCore()));

        // Public pages first, before signing in.
        check("sign-in", "/sign-in");
        check("invitation", invitationLink.substring(invitationLink.indexOf("/invitations/")));
        check("forgot password", "/forgot-password");
        check("single sign-on", "/sign-in/single-sign-on");
        check("reset password, a link that does not work", "/reset-password/pwr_no-such-link");
        // An unknown address asks a stranger to sign in; an unknown invitation is the public "not found" page.
        check("not found, signed out", "/invitations/inv_no-such-invitation");
        String privacyPage;
        try (hexa.platform.tenant.TenantContext.Scope ignored = fixtures.actAsOwner(workspace)) {
            privacyPage = publicPrivacyPages.settings().path();
        }
        check("public privacy page", privacyPage);

        Chromium.signIn(driver, baseUrl(), workspace.owner().email());
        check("inbox, a conversation open", "/inbox/conversations/" + conversation + "?view=all");
        check("inbox list", "/inbox?view=all");
        check("inbox search", "/inbox/search?q=chai");
        check("inbox settings", "/settings/inbox");
        check("business hours", "/settings/business-hours");
        check("contacts", "/contacts");
        check("contact", "/contacts/" + contact);
        check("new contact", "/contacts/new");
        check("merge contacts", "/contacts/" + contact + "/merge?other=" + other);
        check("delete contact", "/contacts/" + contact + "/delete");
        check("contact fields", "/settings/contact-fields");
        check("delete contact field", "/settings/contact-fields/plan/delete");
        check("contact import", "/contacts/import");
        check("consent settings", "/settings/contacts/consent");
        check("WhatsApp settings", "/settings/whatsapp");
        check("templates", "/settings/templates");
        check("template-form", "/settings/templates/new");
        check("business profile", "/settings/whatsapp/" + withNumber.number().id() + "/profile");
        check("members", "/settings/members");
        check("API tokens", "/settings/api-tokens");
        check("single sign-on settings", "/settings/single-sign-on");
        check("privacy settings", "/settings/privacy");
        check("legal hold", "/contacts/" + contact + "/hold");
        check("profile", "/profile");
        check("two-factor authentication, off", "/profile/two-factor");
        driver.findElement(org.openqa.selenium.By.xpath("//button[normalize-space()='Set up two-factor authentication']")).click();
        check("two-factor authentication, enrolling", "/profile/two-factor");
        check("workspace settings", "/settings/workspace");
        check("new workspace", "/workspaces/new");
        check("audit log", "/settings/audit-log");
        check("erase a person", "/contacts/" + contact + "/erase");
        check("erasures, none yet", "/settings/privacy/erasures");
        String certificate = ApiClient.json(admin.send("POST", "/api/v1/contacts/" + other + "/erasure", "{}")).get("id").asString();
        check("erasures", "/settings/privacy/erasures");
        check("erasure certificate", "/settings/privacy/erasures/" + certificate);
        check("privacy requests, none yet", "/settings/privacy/requests");
        driver.findElement(org.openqa.selenium.By.id("record-number")).sendKeys("+919811133301", org.openqa.selenium.Keys.ENTER);
        Chromium.waitFor(driver, d -> !d.findElements(org.openqa.selenium.By.cssSelector("[data-testid=request]")).isEmpty());
        check("privacy requests", "/settings/privacy/requests");
        check("public privacy page settings", "/settings/privacy/public-page");
        check("reports", "/reports");
        check("campaigns, none yet", "/campaigns");
        check("new campaign", "/campaigns/new");
        String campaign = ApiClient.json(admin.send("POST", "/api/v1/campaigns", """
                {"name": "Monsoon teas", "template": {"name": "monsoon_teas", "language": "en_US"},
                 "variables": {"body": [{"source": "FIELD", "key": "firstName", "fallback": "there"}]}, "audience": {"tags": ["tea"]}}
                """)).get("id").asString();
        check("campaign, a draft", "/campaigns/" + campaign);
        check("campaigns", "/campaigns");
        check("automation", "/automation");
        check("new rule", "/automation/rules/new");

        check("chatbot flows, none yet", "/automation/flows");
        check("new chatbot flow", "/automation/flows/new");
        String flow = ApiClient.json(admin.send("POST", "/api/v1/automation/flows", "{\"name\":\"Welcome\",\"keywords\":[\"hi\"]}")).get("id").asString();
        check("chatbot flow editor", "/automation/flows/" + flow);
        check("not found, signed in", "/no-such-page");

        // Two-factor authentication switched on (the enrolment started above), then the second sign-in step.
        clock.freeze();
        driver.get(baseUrl() + "/profile/two-factor");
        String key = driver.findElement(org.openqa.selenium.By.cssSelector("[data-testid=two-factor-secret]")).getText();
        driver.findElement(org.openqa.selenium.By.id("confirm-code")).sendKeys(hexa.support.AuthenticatorApp.code(key, clock.instant()),
                org.openqa.selenium.Keys.ENTER);
        Chromium.waitFor(driver, org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
                org.openqa.selenium.By.cssSelector("[data-testid=recovery-codes]")));
        check("two-factor authentication, on", "/profile/two-factor");
        driver.manage().deleteAllCookies();
        driver.get(baseUrl() + "/sign-in");
        driver.findElement(org.openqa.selenium.By.id("email")).sendKeys(workspace.owner().email());
        driver.findElement(org.openqa.selenium.By.id("password")).sendKeys(Fixtures.PASSWORD, org.openqa.selenium.Keys.ENTER);
        Chromium.waitFor(driver, org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/sign-in/two-factor"));
        check("sign-in, two-factor step", "/sign-in/two-factor");

        assertThat(violations)
                .as("serious or critical WCAG 2.1 AA violations (rule, impact, page; then each element and what is wrong):%n%s",
                        String.join("\n", violations))
                .isEmpty();
    }

    /** Opens the page, lets it settle, runs axe on it and keeps every serious or critical violation. */
    private void check(String name, String path) {
        driver.get(baseUrl() + path);
        settle();
        // The page itself, not a sign-in form or another page it sent the browser to.
        assertThat(URI.create(driver.getCurrentUrl()).getPath()).as("%s is shown", name).isEqualTo(path.replaceAll("\\?.*", ""));
        Object answer = ((JavascriptExecutor) driver).executeAsyncScript(RUN_AXE, WCAG_21_AA);
        assertThat(answer).as("axe-core's answer on %s (%s)", name, path).isInstanceOf(List.class);
        boolean failed = false;
        for (Object found : (List<?>) answer) {
            Map<?, ?> rule = (Map<?, ?>) found;
            List<Map<?, ?>> failing = ((List<?>) rule.get("nodes")).stream().<Map<?, ?>>map(node -> (Map<?, ?>) node)
                    .filter(node -> FAILING_IMPACTS.contains(node.get("impact") != null ? node.get("impact") : rule.get("impact")))
                    .toList();
            if (failing.isEmpty()) {
                continue;
            }
            failed = true;
            StringBuilder text = new StringBuilder()
                    .append("- ").append(rule.get("id")).append(" [").append(rule.get("impact")).append("] on ").append(name)
                    .append(" (").append(path).append("): ").append(rule.get("help")).append(", ").append(failing.size())
                    .append(failing.size() == 1 ? " element" : " elements");
            for (Map<?, ?> node : failing) {
                text.append("\n    ").append(node.get("target")).append(": ")
                        .append(String.valueOf(node.get("summary")).replaceAll("\\s+", " ").trim());
            }
            violations.add(text.toString());
        }
        if (failed) {
            Chromium.screenshot(driver, "a11y-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        }
    }

    /** The axe-core script that Deque's Selenium integration carries. */
    private static String axeCore() {
        try {
            return new EmbeddedResourceAxeProvider().getScript();
        } catch (Exception e) {
            throw new IllegalStateException("axe-core's script is not on the test classpath", e);
        }
    }

    /**
     * Waits until the page has stopped changing: loaded, the inbox's live stream has redrawn it once, and no htmx request
     * is still on its way, so axe reads the page a person would see.
     */
    private void settle() {
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "return document.readyState === 'complete' && !document.querySelector('.htmx-request')"
                        + " && (!document.querySelector('[data-testid=inbox]') || document.body.hasAttribute('data-live-refreshed'));")));
    }
}
