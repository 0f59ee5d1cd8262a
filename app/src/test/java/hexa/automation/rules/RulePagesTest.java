package hexa.automation.rules;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.tenant.TenantContext;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Automation → Rules over real HTTP, as a browser without scripts uses it: the list, the editor (a refused rule comes
 * back with what was typed, rows are added by round trips), moving, copying, switching off and deleting, the test panel
 * and the log; another workspace's rule is not found, and an Agent may not come in.
 */
class RulePagesTest extends HexaIntegrationTest {

    @Autowired
    RuleBook book;

    @Autowired
    JdbcClient jdbc;

    @Test
    void an_admin_builds_a_rule_edits_moves_copies_switches_off_and_deletes_it() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Rules Page Co");
        WebClient admin = signedIn(fixtures.member(workspace, Role.ADMIN));

        Response list = admin.get("/automation");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).contains("data-testid=\"automation-tabs\"").contains("href=\"/automation/rules/new\"")
                .contains("data-testid=\"built-in\"").contains("data-testid=\"replies-limit\"");
        int builtIns = rules(workspace).size();
        assertThat(builtIns).isPositive();
        // Built-in rules have no delete button.
        assertThat(count(list.text(), "data-testid=\"delete-rule\"")).isZero();

        assertThat(admin.get("/automation/rules/new").text()).contains("data-testid=\"no-conditions\"").contains("data-testid=\"no-actions\"");

        // Rows are added by round trips; nothing is stored meanwhile.
        Map<String, String> form = priceRule("Price answer", "MATCHES", "(price|cost");
        form.put("command", "add-condition");
        Response added = admin.post("/automation/rules/new", form);
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.text()).contains("name=\"condition-1-field\"").contains("value=\"(price|cost\"").contains("Our prices: masala chai 240");
        form.put("command", "add-action");
        form.put("newAction", "ADD_TAG");
        assertThat(admin.post("/automation/rules/new", form).text()).contains("name=\"action-1-tag\"").contains("data-kind=\"ADD_TAG\"");
        assertThat(rules(workspace)).hasSize(builtIns);

        // A pattern that does not compile: refused at the form, with everything typed still there.
        form.remove("newAction");
        form.put("command", "save");
        Response refused = admin.post("/automation/rules/new", form);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("data-testid=\"rule-error\"").contains("value=\"Price answer\"").contains("value=\"(price|cost\"")
                .contains("Our prices: masala chai 240 rupees for 500 g.");
        assertThat(rules(workspace)).hasSize(builtIns);

        form.put("condition-0-value", "price|cost");
        Response saved = admin.post("/automation/rules/new", form);
        assertThat(saved.status()).as(saved.text()).isEqualTo(302);
        assertThat(saved.location()).isEqualTo("/automation");
        String page = admin.get("/automation").text();
        assertThat(page).contains("The rule \u201cPrice answer\u201d is saved.").contains("Message received");
        Rule rule = rules(workspace).get(builtIns);
        assertThat(rule.name()).isEqualTo("Price answer");
        assertThat(rule.conditions()).containsExactly(new Rule.Condition(Rule.ConditionField.TEXT, null, Rule.Operator.MATCHES, "price|cost"));
        assertThat(rule.actions()).containsExactly(new Rule.Action(Rule.ActionKind.REPLY_TEXT,
                Map.of("text", "Our prices: masala chai 240 rupees for 500 g.")));
        assertThat(rule.enabled()).isTrue();
        assertThat(count(page, "data-testid=\"delete-rule\"")).isEqualTo(1);
        assertThat(page).contains("data-confirm=\"Delete the rule \u201cPrice answer\u201d? Its log goes with it.\"");

        // Edited: a time-based trigger, a second condition, "stop after".
        String editor = admin.get("/automation/rules/" + rule.id()).text();
        assertThat(editor).contains("value=\"Price answer\"").contains("value=\"price|cost\"").contains("data-testid=\"trial-panel\"");
        form.put("name", "Price reply");
        form.put("trigger", "NO_AGENT_REPLY");
        form.put("delay", "2");
        form.put("delayUnit", "HOURS");
        form.put("stopAfter", "true");
        Response edited = admin.post("/automation/rules/" + rule.id(), form);
        assertThat(edited.status()).as(edited.text()).isEqualTo(302);
        page = admin.get("/automation").text();
        assertThat(page).contains("Price reply").contains("No agent reply for 2 hours");
        Rule stored = find(workspace, rule.id());
        assertThat(stored.trigger()).isEqualTo(new Rule.Trigger(Rule.TriggerKind.NO_AGENT_REPLY, 120, null, null));
        assertThat(stored.stopAfter()).isTrue();
        assertThat(admin.get("/automation/rules/" + rule.id()).text()).contains("<option value=\"HOURS\" selected>").contains("value=\"2\"");

        // Moved up one place, copied (the copy comes after it, switched off), switched off, deleted.
        assertThat(admin.post("/automation/rules/" + rule.id() + "/move", Map.of("by", "-1")).status()).isEqualTo(302);
        assertThat(rules(workspace).get(builtIns - 1).id()).isEqualTo(rule.id());
        assertThat(admin.get("/automation").text()).contains("The rule \u201cPrice reply\u201d moved up.");
        assertThat(admin.post("/automation/rules/" + rule.id() + "/copy", Map.of()).status()).isEqualTo(302);
        assertThat(admin.get("/automation").text()).contains("A copy of \u201cPrice reply\u201d is added after it, switched off.");
        List<Rule> withCopy = rules(workspace);
        assertThat(withCopy).hasSize(builtIns + 2);
        Rule copy = withCopy.get(builtIns);
        assertThat(copy.name()).contains("Price reply");
        assertThat(copy.enabled()).isFalse();
        assertThat(admin.post("/automation/rules/" + rule.id() + "/enable", Map.of()).status()).isEqualTo(302);
        assertThat(find(workspace, rule.id()).enabled()).isFalse();
        assertThat(admin.get("/automation").text()).contains("The rule \u201cPrice reply\u201d is off.");
        assertThat(admin.post("/automation/rules/" + rule.id() + "/enable", Map.of("enabled", "true")).status()).isEqualTo(302);
        assertThat(find(workspace, rule.id()).enabled()).isTrue();
        assertThat(admin.get("/automation").text()).contains("The rule \u201cPrice reply\u201d is on.");
        assertThat(admin.post("/automation/rules/" + copy.id() + "/delete", Map.of()).status()).isEqualTo(302);
        assertThat(admin.get("/automation").text()).contains("is deleted.");
        assertThat(rules(workspace)).extracting(Rule::id).doesNotContain(copy.id()).contains(rule.id());

        // A built-in rule is kept.
        Rule builtIn = rules(workspace).stream().filter(r -> r.builtIn() != null).findFirst().orElseThrow();
        admin.post("/automation/rules/" + builtIn.id() + "/delete", Map.of());
        assertThat(rules(workspace)).extracting(Rule::id).contains(builtIn.id());

        // The log, nothing in it yet.
        Response log = admin.get("/automation/rules/" + rule.id() + "/log");
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.text()).contains("data-testid=\"log-empty\"");
    }

    @Test
    void the_test_panel_runs_the_rule_as_edited_and_sends_nothing() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Trial Tea " + UUID.randomUUID().toString().substring(0, 4));
        UUID conversation = shop.customer().writes("919800077001", "What is the price of masala chai?", "Meera Trial");
        WebClient owner = signedIn(shop.owner());
        int outbound = outbound(shop.id());

        String editor = owner.get("/automation/rules/new").text();
        assertThat(editor).contains("data-testid=\"trial-conversation\"").contains("Meera Trial");
        Map<String, String> form = priceRule("Unsaved price rule", "CONTAINS", "price");
        form.put("command", "trial-search");
        form.put("trialSearch", "Meera");
        assertThat(owner.post("/automation/rules/new", form).text()).contains("value=\"" + conversation + "\"");

        form.put("command", "trial");
        form.put("trialConversation", conversation.toString());
        Response trial = owner.post("/automation/rules/new", form);
        assertThat(trial.status()).as(trial.text()).isEqualTo(200);
        assertThat(trial.text()).contains("data-testid=\"trial-verdict\" data-would-fire=\"true\"").contains("data-testid=\"trial-condition\" data-holds=\"true\"")
                .contains("data-testid=\"trial-action\"").contains("nothing was sent").contains("value=\"Unsaved price rule\"");
        form.put("condition-0-value", "refund");
        assertThat(owner.post("/automation/rules/new", form).text()).contains("data-would-fire=\"false\"").contains("data-holds=\"false\"");

        assertThat(outbound(shop.id())).as("nothing sent").isEqualTo(outbound);
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            assertThat(book.list()).extracting(Rule::name).doesNotContain("Unsaved price rule");
        }
    }

    @Test
    void another_workspaces_rule_is_not_found_and_agents_are_refused() {
        Fixtures.TestWorkspace mine = fixtures.workspace("Rules Mine Co");
        Fixtures.TestWorkspace theirs = fixtures.workspace("Rules Theirs Co");
        Rule foreign = rules(theirs).get(0);
        WebClient owner = signedIn(mine.owner());
        String id = foreign.id().toString();
        assertThat(owner.get("/automation/rules/" + id).status()).isEqualTo(404);
        assertThat(owner.get("/automation/rules/" + id + "/log").status()).isEqualTo(404);
        assertThat(owner.post("/automation/rules/" + id, priceRule("Stolen", "CONTAINS", "x")).status()).isEqualTo(404);
        for (String action : List.of("enable", "move", "copy", "delete")) {
            assertThat(owner.post("/automation/rules/" + id + "/" + action, Map.of("by", "1")).status()).as(action).isEqualTo(404);
        }
        assertThat(find(theirs, foreign.id())).isEqualTo(foreign);

        WebClient agent = signedIn(fixtures.member(mine, Role.AGENT));
        assertThat(agent.get("/automation").status()).isEqualTo(403);
        assertThat(agent.get("/automation/rules/new").status()).isEqualTo(403);
        assertThat(agent.post("/automation/rules/new", priceRule("Agent rule", "CONTAINS", "x")).status()).isEqualTo(403);
        assertThat(rules(mine)).extracting(Rule::name).doesNotContain("Agent rule");
    }

    /** Message received, text {@code operator} {@code value}, reply with a text: the editor's fields as a browser sends them. */
    private static Map<String, String> priceRule(String name, String operator, String value) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("enabled", "true");
        form.put("match", "ALL");
        form.put("trigger", "MESSAGE_RECEIVED");
        form.put("delay", "10");
        form.put("delayUnit", "MINUTES");
        form.put("event", "CONVERSATION_RESOLVED");
        form.put("cron", "");
        form.put("condition-0-field", "TEXT");
        form.put("condition-0-key", "");
        form.put("condition-0-operator", operator);
        form.put("condition-0-value", value);
        form.put("action-0", "REPLY_TEXT");
        form.put("action-0-text", "Our prices: masala chai 240 rupees for 500 g.");
        form.put("action-0-onceEveryHours", "");
        return form;
    }

    private WebClient signedIn(Fixtures.Person person) {
        WebClient client = browser();
        client.signIn(person.email(), Fixtures.PASSWORD);
        return client;
    }

    private List<Rule> rules(Fixtures.TestWorkspace workspace) {
        try (TenantContext.Scope ignored = fixtures.actAsOwner(workspace)) {
            return book.list();
        }
    }

    private Rule find(Fixtures.TestWorkspace workspace, UUID id) {
        try (TenantContext.Scope ignored = fixtures.actAsOwner(workspace)) {
            return book.find(id).orElseThrow();
        }
    }

    private int outbound(UUID tenant) {
        return jdbc.sql("select count(*) from messages where tenant_id = :t and direction = 'OUTBOUND'").param("t", tenant).query(Integer.class).single();
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
