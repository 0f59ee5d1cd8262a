package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.args.AxeRuleOptions;
import com.deque.html.axecore.args.AxeRunOnlyOptions;
import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import hexa.identity.InvitationService;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import hexa.support.SandboxCustomer;
import hexa.whatsapp.ConnectionService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every page of the app, public and signed in as an Owner, checked in real Chromium with axe-core against WCAG 2.1
 * levels A and AA. A serious or critical violation fails the test, which then names each one: the rule, the page, the
 * elements (as CSS selectors) and what axe says is wrong with them. One browser visits all pages in turn, so the
 * check costs one Chromium start.
 */
class AccessibilityBrowserTest extends BrowserTest {

    /** The axe-core tags of the WCAG 2.1 A and AA success criteria (2.0's included). */
    private static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    /**
     * WCAG 2.1 A and AA, and one rule more: label-content-name-mismatch checks 2.5.3 Label in Name (level A), but axe
     * marks it experimental and leaves it off unless asked. Only violations come back in full, which keeps the answer
     * that crosses from the browser small.
     */
    private static final AxeRunOptions OPTIONS = new AxeRunOptions();

    static {
        AxeRunOnlyOptions tags = new AxeRunOnlyOptions();
        tags.setType("tag");
        tags.setValues(WCAG_21_AA);
        OPTIONS.setRunOnly(tags);
        AxeRuleOptions on = new AxeRuleOptions();
        on.setEnabled(true);
        OPTIONS.setRules(Map.of("label-content-name-mismatch", on));
        OPTIONS.setResultTypes(List.of("violations"));
    }

    private static final Set<String> FAILING_IMPACTS = Set.of("serious", "critical");

    @Autowired
    ConnectionService connections;

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    InvitationService invitations;

    @Autowired
    JdbcClient jdbc;

    private final List<String> violations = new ArrayList<>();

    @Test
    void every_page_meets_wcag_2_1_aa_without_a_serious_or_critical_violation() {
        var workspace = fixtures.workspace("Axe Teas " + UUID.randomUUID().toString().substring(0, 4));
        ConnectionService.View number;
        String invitationLink;
        try (var ignored = fixtures.actAsOwner(workspace)) {
            number = connections.connectSandbox();
            invitationLink = invitations.invite("new-agent-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com",
                    Role.AGENT).link();
        }
        assertThat(sandbox.awaitWebhookVerified(number.phoneNumberId(), Duration.ofSeconds(15))).isTrue();
        ApiClient admin = api(fixtures.apiToken(workspace, Role.ADMIN));
        admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Plan\",\"type\":\"list\",\"options\":[\"Free\",\"Pro\"]}");
        UUID conversation = new SandboxCustomer(baseUrl(), jdbc, workspace.id(), number.phoneNumberId())
                .writes("919811133301", "Do you have masala chai in 500 g packs?", "Priya Shah");
        UUID contact = jdbc.sql("select contact_id from conversations where id = :id").param("id", conversation).query(UUID.class).single();
        String other = ApiClient.json(admin.send("POST", "/api/v1/contacts",
                "{\"name\":\"Ravi Menon\",\"phone\":\"+919811133302\",\"email\":\"ravi@example.com\"}")).get("id").asString();

        // Public pages first, before signing in.
        check("sign-in", "/sign-in");
        check("invitation", invitationLink.substring(invitationLink.indexOf("/invitations/")));
        // An unknown address asks a stranger to sign in; an unknown invitation is the public "not found" page.
        check("not found, signed out", "/invitations/inv_no-such-invitation");

        Chromium.signIn(driver, baseUrl(), workspace.owner().email());
        check("inbox, a conversation open", "/inbox/conversations/" + conversation + "?view=all");
        check("inbox list", "/inbox?view=all");
        check("inbox search", "/inbox/search?q=chai");
        check("inbox settings", "/settings/inbox");
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
        check("templates", "/settings/whatsapp/templates");
        check("business profile", "/settings/whatsapp/" + number.id() + "/profile");
        check("members", "/settings/members");
        check("API tokens", "/settings/api-tokens");
        check("profile", "/profile");
        check("workspace settings", "/settings/workspace");
        check("new workspace", "/workspaces/new");
        check("audit log", "/settings/audit-log");
        check("reports", "/reports");
        check("campaigns", "/campaigns");
        check("automation", "/automation");
        check("not found, signed in", "/no-such-page");

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
        assertThat(java.net.URI.create(driver.getCurrentUrl()).getPath()).as("%s is shown", name).isEqualTo(path.replaceAll("\\?.*", ""));
        Results results = new AxeBuilder().withOptions(OPTIONS).setLegacyMode().disableIframeTesting().analyze(driver);
        assertThat(results.getErrorMessage()).as("axe-core ran on %s (%s)", name, path).isNull();
        for (Rule rule : results.getViolations()) {
            List<CheckedNode> failing = rule.getNodes().stream()
                    .filter(node -> FAILING_IMPACTS.contains(node.getImpact() != null ? node.getImpact() : rule.getImpact()))
                    .toList();
            if (failing.isEmpty()) {
                continue;
            }
            StringBuilder text = new StringBuilder()
                    .append("- ").append(rule.getId()).append(" [").append(rule.getImpact()).append("] on ").append(name)
                    .append(" (").append(path).append("): ").append(rule.getHelp()).append(", ").append(failing.size())
                    .append(failing.size() == 1 ? " element" : " elements");
            for (CheckedNode node : failing) {
                text.append("\n    ").append(node.getTarget()).append(": ")
                        .append(String.valueOf(node.getFailureSummary()).replace("\n", " ").replaceAll("\\s+", " ").trim());
            }
            violations.add(text.toString());
        }
        if (results.getViolations().stream().anyMatch(rule -> FAILING_IMPACTS.contains(rule.getImpact()))) {
            Chromium.screenshot(driver, "a11y-" + name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
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
