package hexa.automation.rules;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.DomainEvents;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/automation/rules}: the rule book for integrations (Owners and Admins), checked with clear messages,
 * scoped to the workspace; the log a page at a time; the dry run that changes nothing; the built-in rules.
 */
class RulesApiTest extends HexaIntegrationTest {

    private static final String PING = """
            {"name": "Ping", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
             "conditions": [{"field": "TEXT", "operator": "CONTAINS", "value": "ping"}],
             "actions": [{"kind": "REPLY_TEXT", "options": {"text": "pong"}}, {"kind": "ADD_TAG", "options": {"tag": "pinged"}}]}
            """;

    @Autowired
    JdbcClient jdbc;

    private Fixtures.SandboxWorkspace shop;
    private SandboxCustomer customer;
    private ApiClient admin;

    @BeforeEach
    void aShopWithANumber() {
        shop = fixtures.withSandboxNumber("Rules API " + UUID.randomUUID().toString().substring(0, 6));
        customer = shop.customer();
        admin = api(fixtures.apiToken(shop.workspace(), Role.ADMIN));
    }

    @Test
    void rules_are_listed_created_changed_ordered_copied_and_deleted_with_built_in_ones_kept() {
        JsonNode builtIns = ApiClient.json(admin.get("/api/v1/automation/rules")).get("items");
        assertThat(builtIns).hasSize(3);
        assertThat(builtIns.get(0).get("builtIn").asString()).isEqualTo("consent-keywords");
        assertThat(builtIns.get(0).get("enabled").asBoolean()).isTrue();
        assertThat(builtIns.get(1).get("builtIn").asString()).isEqualTo("welcome");
        assertThat(builtIns.get(1).get("enabled").asBoolean()).as("welcome starts switched off").isFalse();
        assertThat(builtIns.get(2).get("builtIn").asString()).isEqualTo("away");
        assertThat(builtIns.get(2).get("enabled").asBoolean()).as("away starts switched off").isFalse();
        assertThat(builtIns.get(2).get("conditions").get(0).get("field").asString()).isEqualTo("BUSINESS_HOURS");

        Response created = admin.send("POST", "/api/v1/automation/rules", PING);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode ping = ApiClient.json(created);
        String id = ping.get("id").asString();
        assertThat(ping.get("position").asInt()).isEqualTo(3);
        assertThat(ping.get("actions").get(0).get("options").get("text").asString()).isEqualTo("pong");

        Response changed = admin.send("PUT", "/api/v1/automation/rules/" + id, PING.replace("\"Ping\"", "\"Ping pong\"").replace("\"enabled\": true", "\"enabled\": false"));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(ApiClient.json(changed).get("name").asString()).isEqualTo("Ping pong");
        assertThat(ApiClient.json(changed).get("enabled").asBoolean()).isFalse();
        assertThat(ApiClient.json(admin.send("POST", "/api/v1/automation/rules/" + id + "/enable", null)).get("enabled").asBoolean()).isTrue();

        JsonNode moved = ApiClient.json(admin.send("POST", "/api/v1/automation/rules/" + id + "/move", "{\"by\": -1}")).get("items");
        assertThat(moved.get(2).get("id").asString()).isEqualTo(id);
        Response copy = admin.send("POST", "/api/v1/automation/rules/" + id + "/copy", null);
        assertThat(copy.status()).isEqualTo(201);
        assertThat(ApiClient.json(copy).get("name").asString()).isEqualTo("Copy of Ping pong");
        assertThat(ApiClient.json(copy).get("enabled").asBoolean()).isFalse();
        assertThat(ApiClient.json(copy).get("position").asInt()).isEqualTo(3);

        String welcome = builtIns.get(1).get("id").asString();
        Response keep = admin.send("DELETE", "/api/v1/automation/rules/" + welcome, null);
        assertThat(keep.status()).isEqualTo(409);
        assertThat(ApiClient.json(keep).get("message").asString()).contains("built-in");
        assertThat(admin.send("DELETE", "/api/v1/automation/rules/" + id, null).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/automation/rules/" + id).status()).isEqualTo(404);

        assertThat(jdbc.sql("select action from audit_events where tenant_id = :t and action like 'automation.%' order by occurred_at")
                .param("t", shop.id()).query(String.class).list())
                .contains("automation.rule_created", "automation.rule_changed", "automation.rule_enabled", "automation.rule_moved",
                        "automation.rule_copied", "automation.rule_deleted");
    }

    @Test
    void a_bad_rule_is_refused_with_what_is_wrong_and_another_workspace_s_rule_is_not_found() {
        assertRefused("{\"name\": \"No action\", \"trigger\": {\"kind\": \"MESSAGE_RECEIVED\"}, \"actions\": []}", "at least one action");
        assertRefused(PING.replace("\"CONTAINS\", \"value\": \"ping\"", "\"MATCHES\", \"value\": \"(unclosed\""), "Condition 1: the pattern does not compile");
        assertRefused(PING.replace("MESSAGE_RECEIVED", "MESSAGE_SENT"), "trigger.kind");
        assertRefused(PING.replace("\"text\": \"pong\"", "\"body\": \"pong\""), "Action 1 needs “text”");
        assertRefused(PING.replace("\"Ping\"", "\"  \""), "needs a name");
        assertRefused("{\"name\": \"Late\", \"trigger\": {\"kind\": \"NO_AGENT_REPLY\"}, \"actions\": [{\"kind\": \"ADD_TAG\", \"options\": {\"tag\": \"x\"}}]}",
                "number of minutes");
        assertRefused(PING.replace("\"REPLY_TEXT\", \"options\": {\"text\": \"pong\"}", "\"CALL_WEBHOOK\", \"options\": {\"url\": \"ftp://x\"}"), "http");
        assertThat(ApiClient.json(admin.get("/api/v1/automation/rules")).get("items")).as("nothing half-written").hasSize(3);

        String mine = ApiClient.json(admin.send("POST", "/api/v1/automation/rules", PING)).get("id").asString();
        Fixtures.TestWorkspace other = fixtures.workspace("Other " + UUID.randomUUID().toString().substring(0, 6));
        ApiClient stranger = api(fixtures.apiToken(other, Role.ADMIN));
        assertThat(stranger.get("/api/v1/automation/rules/" + mine).status()).isEqualTo(404);
        assertThat(stranger.send("PUT", "/api/v1/automation/rules/" + mine, PING).status()).isEqualTo(404);
        assertThat(stranger.send("DELETE", "/api/v1/automation/rules/" + mine, null).status()).isEqualTo(404);
        assertThat(stranger.get("/api/v1/automation/rules/" + mine + "/log").status()).isEqualTo(404);
        assertThat(stranger.send("POST", "/api/v1/automation/rules/" + mine + "/enable", null).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/automation/rules/" + mine).status()).isEqualTo(200);

        ApiClient agent = api(fixtures.apiToken(shop.workspace(), Role.AGENT));
        assertThat(agent.get("/api/v1/automation/rules").status()).isEqualTo(403);
    }

    @Test
    void the_log_comes_a_page_at_a_time_and_a_trial_sends_and_changes_nothing() {
        String ping = ApiClient.json(admin.send("POST", "/api/v1/automation/rules", PING)).get("id").asString();
        UUID conversation = customer.writes("919811200001", "ping 1");
        customer.writes("919811200001", "hello");
        customer.writes("919811200001", "ping 2");
        until(() -> business("919811200001").lines().filter(l -> l.contains("pong")).count() == 2, "two pongs on the phone");

        JsonNode first = ApiClient.json(admin.get("/api/v1/automation/rules/" + ping + "/log?limit=2"));
        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("items").get(0).get("outcome").asString()).isEqualTo("FIRED");
        assertThat(first.get("items").get(1).get("outcome").asString()).isEqualTo("SKIPPED");
        assertThat(first.get("nextCursor").asString()).isNotBlank();
        JsonNode second = ApiClient.json(admin.get("/api/v1/automation/rules/" + ping + "/log?limit=2&cursor=" + first.get("nextCursor").asString()));
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("items").get(0).get("outcome").asString()).isEqualTo("FIRED");
        assertThat(second.path("nextCursor").isNull() || second.path("nextCursor").isMissingNode()).isTrue();
        assertThat(admin.get("/api/v1/automation/rules/" + ping + "/log?cursor=yesterday").status()).isEqualTo(400);

        int messages = count("select count(*) from messages where tenant_id = :t");
        int logLines = count("select count(*) from automation_rule_log where tenant_id = :t");
        int tags = count("select count(*) from contact_tags where tenant_id = :t");
        String draft = """
                {"conversationId": "%s", "rule": {"name": "Draft", "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "conditions": [{"field": "TEXT", "operator": "CONTAINS", "value": "ping"}, {"field": "WINDOW_OPEN", "operator": "IS", "value": "true"}],
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Hello {{attribute.nickname|friend}}"}}, {"kind": "ADD_TAG", "options": {"tag": "tried"}},
                             {"kind": "SET_STATUS", "options": {"status": "RESOLVED"}}]}}
                """.formatted(conversation);
        Response tried = admin.send("POST", "/api/v1/automation/rules/trial", draft);
        assertThat(tried.status()).as(tried.text()).isEqualTo(200);
        JsonNode trial = ApiClient.json(tried);
        assertThat(trial.get("wouldFire").asBoolean()).isTrue();
        assertThat(trial.get("conditions").get(0).get("holds").asBoolean()).isTrue();
        assertThat(trial.get("conditions").get(0).get("detail").asString()).contains("ping 2");
        assertThat(trial.get("actions").get(0).asString()).isEqualTo("Would send: Hello friend");
        assertThat(trial.get("actions").get(1).asString()).contains("tried");

        JsonNode saved = ApiClient.json(admin.send("POST", "/api/v1/automation/rules/" + ping + "/trial", "{\"conversationId\": \"" + conversation + "\"}"));
        assertThat(saved.get("wouldFire").asBoolean()).isTrue();
        JsonNode notFiring = ApiClient.json(admin.send("POST", "/api/v1/automation/rules/trial", draft.replace("\"value\": \"ping\"", "\"value\": \"refund\"")));
        assertThat(notFiring.get("wouldFire").asBoolean()).isFalse();
        assertThat(notFiring.get("conditions").get(0).get("holds").asBoolean()).isFalse();

        DomainEvents.awaitHandled(jdbc);
        assertThat(count("select count(*) from messages where tenant_id = :t")).as("nothing sent").isEqualTo(messages);
        assertThat(count("select count(*) from automation_rule_log where tenant_id = :t")).as("nothing logged").isEqualTo(logLines);
        assertThat(count("select count(*) from contact_tags where tenant_id = :t")).as("nothing tagged").isEqualTo(tags);
        assertThat(jdbc.sql("select status from conversations where id = :c").param("c", conversation).query(String.class).single()).isEqualTo("OPEN");
        assertThat(admin.send("POST", "/api/v1/automation/rules/trial", "{\"conversationId\": \"" + UUID.randomUUID() + "\", \"rule\": " + PING + "}")
                .status()).isEqualTo(404);
    }

    @Test
    void switching_off_the_built_in_consent_rule_stops_the_replies_but_not_the_opt_out() {
        JsonNode consent = ApiClient.json(admin.get("/api/v1/automation/rules")).get("items").get(0);
        assertThat(consent.get("builtIn").asString()).isEqualTo("consent-keywords");
        customer.writes("919811200002", "START");
        until(() -> !business("919811200002").isEmpty(), "the acknowledgement of START");
        JsonNode answered = ApiClient.json(admin.get("/api/v1/automation/rules/" + consent.get("id").asString() + "/log")).get("items").get(0);
        assertThat(answered.get("outcome").asString()).isEqualTo("FIRED");
        String reply = answered.get("actions").get(0).get("messageId").asString();
        assertThat(jdbc.sql("select sent_by_kind || ' ' || sent_by_name from messages where id = cast(:m as uuid)").param("m", reply)
                .query(String.class).single()).isEqualTo("RULE " + consent.get("name").asString());

        assertThat(admin.send("POST", "/api/v1/automation/rules/" + consent.get("id").asString() + "/disable", null).status()).isEqualTo(200);
        String before = business("919811200002");
        int sent = count("select count(*) from messages where tenant_id = :t and direction = 'OUTBOUND'");
        customer.writes("919811200002", "STOP");
        assertThat(jdbc.sql("select marketing_consent from contacts where tenant_id = :t and wa_id = '919811200002'").param("t", shop.id())
                .query(String.class).single()).isEqualTo("opted_out");
        DomainEvents.awaitHandled(jdbc);
        assertThat(count("select count(*) from messages where tenant_id = :t and direction = 'OUTBOUND'")).as("no acknowledgement queued").isEqualTo(sent);
        assertThat(business("919811200002")).as("no acknowledgement while the rule is off").isEqualTo(before);
    }

    private void assertRefused(String json, String says) {
        Response refused = admin.send("POST", "/api/v1/automation/rules", json);
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        JsonNode error = ApiClient.json(refused);
        assertThat(error.get("code").asString()).isEqualTo("invalid_request");
        assertThat(error.get("message").asString()).contains(says);
    }

    private int count(String sql) {
        return jdbc.sql(sql).param("t", shop.id()).query(Integer.class).single();
    }

    private String business(String waId) {
        List<String> lines = new ArrayList<>();
        for (JsonNode line : customer.chat(waId).get("lines")) {
            if ("business".equals(line.get("from").asString())) {
                lines.add(line.get("content").toString());
            }
        }
        return String.join("\n", lines);
    }
}
