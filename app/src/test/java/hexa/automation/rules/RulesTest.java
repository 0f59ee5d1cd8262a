package hexa.automation.rules;

import hexa.identity.Fixtures;
import hexa.inbox.InboxSettings;
import hexa.platform.access.Role;
import hexa.platform.tenant.TenantContext;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.DomainEvents;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import hexa.support.WebClient;
import hexa.support.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import static hexa.support.Eventually.await;
import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules at work through the sandbox: a customer writes from the phone, the rule answers on it, and each
 * consideration is in the rule's log, with why a rule did not fire.
 */
class RulesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    InboxSettings inboxSettings;

    private Fixtures.SandboxWorkspace shop;
    private SandboxCustomer customer;
    private ApiClient admin;

    @BeforeEach
    void aShopWithANumber() {
        shop = fixtures.withSandboxNumber("Rules " + UUID.randomUUID().toString().substring(0, 6));
        customer = shop.customer();
        admin = api(fixtures.apiToken(shop.workspace(), Role.ADMIN));
    }

    @Test
    void a_keyword_rule_answers_on_the_phone_as_the_rule_and_stops_the_rules_after_it() {
        UUID owner = shop.owner().id();
        UUID price = rule("""
                {"name": "Price question", "enabled": true, "stopAfter": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "conditions": [{"field": "TEXT", "operator": "CONTAINS", "value": "price"}],
                 "actions": [{"kind": "REPLY_BUTTONS", "options": {"text": "Hi {{first_name|there}}, which one?", "buttons": "kurtas:Kurtas|sarees:Sarees"}},
                             {"kind": "ADD_TAG", "options": {"tag": "asked-price"}},
                             {"kind": "ADD_NOTE", "options": {"text": "{{name}} asked for prices"}},
                             {"kind": "ASSIGN_MEMBER", "options": {"memberId": "%s"}}]}
                """.formatted(owner));
        UUID catchAll = rule("""
                {"name": "Catch-all", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Thanks, {{name|friend}}! We read every message."}}]}
                """);

        UUID conversation = customer.writes("919811100001", "What is the price of kurtas?", "Asha Verma");

        until(() -> business("919811100001").contains("Hi Asha, which one?"), "the buttons on the customer's phone");
        assertThat(business("919811100001")).contains("Kurtas").contains("Sarees").doesNotContain("We read every message");
        Map<String, Object> sent = jdbc.sql("select id, sent_by_kind, sent_by, sent_by_name from messages where conversation_id = :c and direction = 'OUTBOUND'")
                .param("c", conversation).query().singleRow();
        assertThat(sent.get("sent_by_kind")).isEqualTo("RULE");
        assertThat(sent.get("sent_by")).isEqualTo(price);
        assertThat(sent.get("sent_by_name")).isEqualTo("Price question");
        WebClient page = browser();
        page.signIn(shop.owner().email(), Fixtures.PASSWORD);
        assertThat(page.get("/inbox/conversations/" + conversation).text()).contains("Sent by rule Price question");
        assertThat(tags("919811100001")).contains("asked-price");
        Map<String, Object> note = jdbc.sql("select author_id, author_label, body from conversation_notes where conversation_id = :c")
                .param("c", conversation).query().singleRow();
        assertThat(note.get("body")).isEqualTo("Asha Verma asked for prices");
        assertThat(note.get("author_label")).as("signed by the rule, not by an Owner").isEqualTo("Rule “Price question”");
        assertThat(note.get("author_id")).isNull();
        assertThat(jdbc.sql("select assignee_id from conversations where id = :c").param("c", conversation).query(UUID.class).single()).isEqualTo(owner);

        JsonNode fired = log(price).get(0);
        assertThat(fired.get("outcome").asString()).isEqualTo("FIRED");
        assertThat(fired.get("conversationId").asString()).isEqualTo(conversation.toString());
        assertThat(fired.hasNonNull("messageId")).isTrue();
        JsonNode actions = fired.get("actions");
        assertThat(actions).hasSize(4);
        actions.forEach(a -> assertThat(a.get("ok").asBoolean()).as(a.toString()).isTrue());
        assertThat(actions.get(0).get("messageId").asString()).isEqualTo(sent.get("id").toString());
        assertThat(log(catchAll)).as("stopped by the rule before it").isEmpty();

        customer.writes("919811100001", "thanks");
        until(() -> business("919811100001").contains("Thanks, Asha Verma! We read every message."), "the catch-all's reply");
        JsonNode skipped = log(price).get(0);
        assertThat(skipped.get("outcome").asString()).isEqualTo("SKIPPED");
        assertThat(skipped.get("reason").asString()).contains("Condition 1").contains("Text contains “price”").contains("thanks");
        assertThat(log(catchAll).get(0).get("outcome").asString()).isEqualTo("FIRED");
    }

    @Test
    void every_kind_of_condition_is_read_from_the_message_the_conversation_and_the_contact() {
        UUID all = rule("""
                {"name": "All of them", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"}, "match": "ALL",
                 "conditions": [{"field": "TEXT", "operator": "MATCHES", "value": "^hello\\\\b"},
                                {"field": "MESSAGE_TYPE", "operator": "IS", "value": "text"},
                                {"field": "BUSINESS_HOURS", "operator": "IS", "value": "open"},
                                {"field": "WINDOW_OPEN", "operator": "IS", "value": "true"},
                                {"field": "TAG", "operator": "IS_NOT", "value": "vip"},
                                {"field": "ATTRIBUTE", "key": "city", "operator": "NOT_EQUALS", "value": "Pune"},
                                {"field": "CONSENT", "operator": "IS", "value": "unknown"},
                                {"field": "ASSIGNEE", "operator": "IS", "value": "none"},
                                {"field": "TEAM", "operator": "IS", "value": "none"},
                                {"field": "NUMBER", "operator": "IS", "value": "%s"},
                                {"field": "LANGUAGE", "operator": "IS_NOT", "value": "hi"},
                                {"field": "FIRST_MESSAGE", "operator": "IS", "value": "true"}],
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Every condition held"}}]}
                """.formatted(shop.number().id()));
        UUID any = rule("""
                {"name": "Any of them", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"}, "match": "ANY",
                 "conditions": [{"field": "TAG", "operator": "IS", "value": "vip"},
                                {"field": "TEXT", "operator": "EQUALS", "value": "menu"}],
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "One condition held"}}]}
                """);

        customer.writes("919811100002", "Hello there");
        until(() -> business("919811100002").contains("Every condition held"), "the reply of the rule whose conditions all held");
        assertThat(log(all).get(0).get("outcome").asString()).isEqualTo("FIRED");
        assertThat(log(any).get(0).get("reason").asString()).isEqualTo("None of the conditions held.");

        customer.writes("919811100002", "hello again");
        JsonNode second = log(all).get(0);
        assertThat(second.get("outcome").asString()).isEqualTo("SKIPPED");
        assertThat(second.get("reason").asString()).contains("Condition 12").contains("First message of the contact").contains("the contact wrote before");

        customer.writes("919811100002", "MENU");
        until(() -> business("919811100002").contains("One condition held"), "the reply of the rule one of whose conditions held");
    }

    @Test
    void the_rules_that_did_not_fire_are_one_row_per_message_and_each_log_still_says_why_as_the_rule_then_read() {
        UUID refund = rule("""
                {"name": "Refund", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "conditions": [{"field": "TEXT", "operator": "CONTAINS", "value": "refund"}],
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "refund"}}]}
                """);
        UUID city = rule("""
                {"name": "Pune", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "conditions": [{"field": "MESSAGE_TYPE", "operator": "IS", "value": "text"},
                                {"field": "ATTRIBUTE", "key": "city", "operator": "EQUALS", "value": "Pune"}],
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "pune"}}]}
                """);
        UUID either = rule("""
                {"name": "Either", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"}, "match": "ANY",
                 "conditions": [{"field": "TEXT", "operator": "EQUALS", "value": "menu"}, {"field": "MESSAGE_TYPE", "operator": "IS", "value": "image"}],
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "either"}}]}
                """);
        UUID hello = rule("""
                {"name": "Hello", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "conditions": [{"field": "TEXT", "operator": "CONTAINS", "value": "hello"}],
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "greeted"}}]}
                """);
        int rowsBefore = count("select count(*) from automation_rule_log where tenant_id = :t");

        UUID conversation = customer.writes("919811100009", "hello, is my parcel on its way?");
        DomainEvents.awaitHandled(jdbc);
        UUID message = jdbc.sql("select id from messages where conversation_id = :c and direction = 'INBOUND'").param("c", conversation)
                .query(UUID.class).single();
        assertThat(count("select count(*) from automation_rule_passes where tenant_id = :t and message_id = '" + message + "'"))
                .as("the rules that did not fire: one row for the message").isEqualTo(1);
        assertThat(count("select count(*) from automation_rule_log where tenant_id = :t") - rowsBefore).as("a row of its own: the rule that fired only")
                .isEqualTo(1);

        JsonNode refunds = log(refund).get(0);
        assertThat(refunds.get("outcome").asString()).isEqualTo("SKIPPED");
        assertThat(refunds.get("messageId").asString()).isEqualTo(message.toString());
        assertThat(refunds.get("conversationId").asString()).isEqualTo(conversation.toString());
        assertThat(refunds.get("reason").asString()).contains("Condition 1").contains("Text contains “refund”").contains("hello, is my parcel on its way?");
        assertThat(log(city).get(0).get("reason").asString()).contains("Condition 2").contains("city").contains("—");
        assertThat(log(either).get(0).get("reason").asString()).contains("None of the conditions held");
        assertThat(outcomes(hello)).containsExactly("FIRED");

        // Edited, the rule's earlier lines still say what it asked then; the next message is read against the new one.
        assertThat(admin.send("PUT", "/api/v1/automation/rules/" + refund, """
                {"name": "Refund", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "conditions": [{"field": "TEXT", "operator": "CONTAINS", "value": "money back"}],
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "refund"}}]}
                """).status()).isEqualTo(200);
        customer.writes("919811100009", "where is it?");
        JsonNode lines = await(() -> log(refund), l -> l.size() == 2, "the refund rule considered twice");
        assertThat(lines.get(0).get("reason").asString()).contains("Text contains “money back”").contains("where is it?");
        assertThat(lines.get(1).get("reason").asString()).contains("Text contains “refund”").contains("hello, is my parcel on its way?");

        // A rule switched off is not considered; its earlier lines stay.
        assertThat(admin.send("POST", "/api/v1/automation/rules/" + city + "/disable", null).status()).isLessThan(300);
        customer.writes("919811100009", "thanks");
        await(() -> log(refund), l -> l.size() == 3, "the refund rule considered a third time");
        assertThat(log(city)).hasSize(2);
    }

    @Test
    void a_message_a_chatbot_flow_answers_gets_the_flows_answer_and_not_the_replies_of_rules_as_well() {
        UUID greeting = rule("""
                {"name": "Greeting", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Hello from the greeting rule"}},
                             {"kind": "ADD_TAG", "options": {"tag": "greeted"}}]}
                """);
        UUID welcome = rule("""
                {"name": "Welcome", "enabled": true, "trigger": {"kind": "CONTACT_CREATED"},
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Welcome from the new-contact rule"}}]}
                """);
        String flow = ApiClient.json(admin.send("POST", "/api/v1/automation/flows", "{\"name\":\"Size\",\"keywords\":[\"size\"],\"draft\":{\"start\":\"q\","
                + "\"steps\":[{\"id\":\"q\",\"type\":\"ask\",\"message\":{\"kind\":\"text\",\"text\":\"Which size do you wear?\"},\"next\":\"t\"},"
                + "{\"id\":\"t\",\"type\":\"send\",\"message\":{\"kind\":\"text\",\"text\":\"Noted, thank you\"},\"next\":\"e\"},"
                + "{\"id\":\"e\",\"type\":\"end\"}]}}")).get("id").asString();
        assertThat(admin.send("POST", "/api/v1/automation/flows/" + flow + "/publish", "").status()).isEqualTo(200);

        customer.writes("919811100010", "Size");
        until(() -> business("919811100010").contains("Which size do you wear?"), "the flow's question");
        customer.writes("919811100010", "M");
        until(() -> business("919811100010").contains("Noted, thank you"), "the flow's thanks");
        DomainEvents.awaitHandled(jdbc);
        assertThat(business("919811100010")).doesNotContain("Hello from the greeting rule");
        List<String> reasons = new ArrayList<>();
        log(greeting).forEach(l -> reasons.add(l.get("outcome").asString() + ": " + l.get("reason").asString()));
        assertThat(reasons).hasSize(2).allSatisfy(r -> assertThat(r).startsWith("SKIPPED: A chatbot flow answers this message"));
        assertThat(tags("919811100010")).as("the rule left the message to the flow, whole").doesNotContain("greeted");
        assertThat(business("919811100010")).as("a new customer who wrote a keyword gets the flow, not a welcome besides")
                .doesNotContain("Welcome from the new-contact rule");
        assertThat(log(welcome).get(0).get("reason").asString()).startsWith("A chatbot flow answers this message");

        // The flow over, the rule answers again.
        customer.writes("919811100010", "one more question");
        until(() -> business("919811100010").contains("Hello from the greeting rule"), "the greeting");
    }

    @Test
    void safeties_block_a_rule_and_the_log_says_which() {
        assertThat(admin.send("PUT", "/api/v1/automation/settings", "{\"repliesPerHour\": 2}").status()).isEqualTo(200);
        UUID echo = rule("""
                {"name": "Echo", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "conditions": [{"field": "TEXT", "operator": "CONTAINS", "value": "ping"}],
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "pong"}}]}
                """);
        // The hourly limit: two automatic replies, then none.
        for (int i = 0; i < 3; i++) {
            customer.writes("919811100003", "ping " + i);
        }
        until(() -> business("919811100003").lines().filter(l -> l.contains("pong")).count() == 2, "two replies on the phone");
        List<String> outcomes = outcomes(echo);
        assertThat(outcomes).containsExactly("BLOCKED", "FIRED", "FIRED");
        assertThat(log(echo).get(0).get("reason").asString()).contains("Hourly limit");

        // A blocked contact raises nothing automatic.
        customer.writes("919811100004", "first");
        UUID blocked = contact("919811100004");
        assertThat(admin.send("POST", "/api/v1/contacts/" + blocked + "/block", "{}").status()).isEqualTo(200);
        customer.writes("919811100004", "ping from a blocked contact");
        assertThat(log(echo).get(0).get("reason").asString()).contains("blocked");
        assertThat(business("919811100004")).doesNotContain("pong");

        // The loop guard: a rule whose action raises its own trigger does not fire on it again.
        UUID tagger = rule("""
                {"name": "Tagger", "enabled": true, "trigger": {"kind": "TAG_ADDED"},
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "looped"}}]}
                """);
        customer.writes("919811100005", "hi");
        UUID looping = contact("919811100005");
        assertThat(admin.send("PUT", "/api/v1/contacts/" + looping + "/tags/start", null).status()).isLessThan(300);
        DomainEvents.awaitHandled(jdbc);
        await(() -> outcomes(tagger), o -> o.size() == 2, "the tagger considered twice");
        assertThat(outcomes(tagger)).containsExactly("BLOCKED", "FIRED");
        assertThat(log(tagger).get(0).get("reason").asString()).contains("Loop guard");
        assertThat(tags("919811100005")).contains("start", "looped");

        // Outside the 24-hour window a free-form reply is refused, and logged as such.
        UUID late = rule("""
                {"name": "Late tag", "enabled": true, "trigger": {"kind": "TAG_ADDED"},
                 "conditions": [{"field": "TAG", "operator": "IS", "value": "late"}],
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Too late for this"}}]}
                """);
        // ... and an approved template is what may go; a marketing one not to a contact who opted out.
        WebClient owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        String token = sandbox.find(shop.phoneNumberId()).orElseThrow().accessToken();
        hexa.support.SandboxTemplate.approved(baseUrl(), token, shop.number().wabaId(), "rule_follow_up", """
                {"name": "rule_follow_up", "language": "en_US", "category": "UTILITY",
                 "components": [{"type": "BODY", "text": "Hi {{1}}, there is news about your order.", "example": {"body_text": [["Asha"]]}}]}
                """, owner, jdbc, shop.id());
        hexa.support.SandboxTemplate.approved(baseUrl(), token, shop.number().wabaId(), "rule_offer", """
                {"name": "rule_offer", "language": "en_US", "category": "MARKETING",
                 "components": [{"type": "BODY", "text": "Our festive offer is here."}]}
                """, owner, jdbc, shop.id());
        UUID followUp = rule("""
                {"name": "Follow-up", "enabled": true, "trigger": {"kind": "TAG_ADDED"},
                 "conditions": [{"field": "TAG", "operator": "IS", "value": "follow-up"}],
                 "actions": [{"kind": "REPLY_TEMPLATE", "options": {"name": "rule_follow_up", "language": "en_US", "body.1": "{{attribute.nickname|friend}}"}}]}
                """);
        UUID offer = rule("""
                {"name": "Offer", "enabled": true, "trigger": {"kind": "TAG_ADDED"},
                 "conditions": [{"field": "TAG", "operator": "IS", "value": "offer"}],
                 "actions": [{"kind": "REPLY_TEMPLATE", "options": {"name": "rule_offer", "language": "en_US"}}]}
                """);
        clock.advance(Duration.ofHours(25));
        assertThat(admin.send("PUT", "/api/v1/contacts/" + looping + "/tags/late", null).status()).isLessThan(300);
        DomainEvents.awaitHandled(jdbc);
        JsonNode refused = await(() -> log(late), l -> !l.isEmpty(), "the late rule considered").get(0);
        assertThat(refused.get("outcome").asString()).isEqualTo("BLOCKED");
        assertThat(refused.get("reason").asString()).contains("Outside the 24-hour window");
        assertThat(business("919811100005")).doesNotContain("Too late for this");

        assertThat(admin.send("PUT", "/api/v1/contacts/" + looping + "/tags/follow-up", null).status()).isLessThan(300);
        JsonNode templated = await(() -> log(followUp), l -> !l.isEmpty(), "the follow-up considered").get(0);
        assertThat(templated.get("outcome").asString()).as(templated.toString()).isEqualTo("FIRED");
        assertThat(templated.get("actions").get(0).get("ok").asBoolean()).as(templated.toString()).isTrue();
        assertThat(jdbc.sql("select content::text from messages where id = cast(:m as uuid)")
                .param("m", templated.get("actions").get(0).get("messageId").asString()).query(String.class).single())
                .contains("rule_follow_up").contains("friend");
        // (The follow-up answers each tag added while the contact has its tag: room for it under the limit.)
        assertThat(admin.send("PUT", "/api/v1/automation/settings", "{\"repliesPerHour\": 10}").status()).isEqualTo(200);
        assertThat(admin.send("POST", "/api/v1/contacts/" + looping + "/consent", "{\"status\": \"opted_out\"}").status()).isLessThan(300);
        assertThat(admin.send("PUT", "/api/v1/contacts/" + looping + "/tags/offer", null).status()).isLessThan(300);
        JsonNode marketing = await(() -> log(offer), l -> !l.isEmpty(), "the offer considered").get(0);
        assertThat(marketing.get("outcome").asString()).isEqualTo("BLOCKED");
        assertThat(marketing.get("reason").asString()).contains("opted out of marketing");
    }

    @Test
    void each_trigger_starts_its_rules_and_each_action_does_its_part() throws Exception {
        UUID team;
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            team = inboxSettings.createTeam("Sales").id();
        }
        WebhookReceiver.Hook hooks = WebhookReceiver.hook();
        List<WebhookReceiver.Received> received = hooks.received();
        try {
            assertThat(admin.send("POST", "/api/v1/contact-attributes", "{\"label\": \"Channel\", \"key\": \"channel\", \"type\": \"text\"}").status())
                    .isEqualTo(201);
            UUID welcome = rule("""
                    {"name": "Welcome", "enabled": true, "trigger": {"kind": "CONTACT_CREATED"},
                     "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Welcome, {{first_name|friend}}!"}},
                                 {"kind": "START_FLOW", "options": {"flowId": "%s"}}]}
                    """.formatted(UUID.randomUUID()));
            rule("""
                    {"name": "New conversation", "enabled": true, "trigger": {"kind": "CONVERSATION_OPENED"},
                     "actions": [{"kind": "SET_ATTRIBUTE", "options": {"key": "channel", "value": "whatsapp"}}]}
                    """);
            UUID menu = rule("""
                    {"name": "Menu", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                     "conditions": [{"field": "TEXT", "operator": "EQUALS", "value": "menu"}],
                     "actions": [{"kind": "REPLY_LIST", "options": {"text": "Pick one", "button": "Our range", "rows": "k:Kurtas:Cotton and silk|s:Sarees"}},
                                 {"kind": "REPLY_MEDIA", "options": {"kind": "image", "uploadId": "1234567890", "caption": "Our catalogue"}},
                                 {"kind": "ASSIGN_TEAM", "options": {"teamId": "%s"}},
                                 {"kind": "REMOVE_TAG", "options": {"tag": "new"}}]}
                    """.formatted(team));
            UUID resolved = rule("""
                    {"name": "Tell the shop system", "enabled": true, "trigger": {"kind": "CONVERSATION_RESOLVED"},
                     "actions": [{"kind": "CALL_WEBHOOK", "options": {"url": "%s", "secret": "s3cret"}}]}
                    """.formatted(hooks.url()));
            rule("""
                    {"name": "Back again", "enabled": true, "trigger": {"kind": "CONVERSATION_REOPENED"},
                     "actions": [{"kind": "ASSIGN_ROUND_ROBIN", "options": {}}]}
                    """);
            UUID assigned = rule("""
                    {"name": "Assigned", "enabled": true, "trigger": {"kind": "CONVERSATION_ASSIGNED"},
                     "conditions": [{"field": "ASSIGNEE", "operator": "IS", "value": "any"}],
                     "actions": [{"kind": "NOTIFY", "options": {"memberIds": "%s", "text": "Over to you"}},
                                 {"kind": "SNOOZE", "options": {"minutes": "60"}}]}
                    """.formatted(shop.owner().id()));
            UUID consent = rule("""
                    {"name": "Opted out", "enabled": true, "trigger": {"kind": "CONSENT_CHANGED"},
                     "conditions": [{"field": "CONSENT", "operator": "IS", "value": "opted_out"}],
                     "actions": [{"kind": "ADD_TAG", "options": {"tag": "no-marketing"}}, {"kind": "SET_STATUS", "options": {"status": "PENDING"}}]}
                    """);

            // A new contact writes: the contact and the conversation are new.
            UUID conversation = customer.writes("919811100006", "menu", "Ravi Menon");
            until(() -> business("919811100006").contains("Welcome, Ravi!"), "the welcome on the phone");
            until(() -> business("919811100006").contains("Our range"), "the list on the phone");
            JsonNode welcomed = log(welcome).get(0);
            assertThat(welcomed.get("actions").get(0).get("ok").asBoolean()).isTrue();
            assertThat(welcomed.get("actions").get(1).get("ok").asBoolean()).as("no flows here yet").isFalse();
            assertThat(welcomed.get("actions").get(1).get("detail").asString()).contains("flow");
            await(() -> attribute("919811100006", "channel"), "whatsapp"::equals, "the attribute set when the conversation opened");
            JsonNode menuLog = log(menu).get(0);
            assertThat(menuLog.get("outcome").asString()).isEqualTo("FIRED");
            assertThat(menuLog.get("actions").get(1).hasNonNull("messageId")).as("the image queued").isTrue();
            assertThat(jdbc.sql("select team_id from conversations where id = :c").param("c", conversation).query(UUID.class).single()).isEqualTo(team);

            // Resolved: the shop system hears of it, signed.
            assertThat(admin.send("POST", "/api/v1/conversations/" + conversation + "/status", "{\"status\": \"resolved\"}").status()).isEqualTo(200);
            until(() -> !received.isEmpty(), "the webhook called");
            assertThat(received.get(0).body()).contains("\"conversationId\":\"" + conversation + "\"").contains("CONVERSATION_RESOLVED");
            assertThat(received.get(0).header("X-Hexa-Signature-256")).isEqualTo("sha256=" + RuleActions.sign("s3cret", received.get(0).body()));
            DomainEvents.awaitHandled(jdbc);
            assertThat(log(resolved).get(0).get("actions").get(0).get("detail").asString()).contains("204");

            // Reopened: round-robin gives it to the one member there is, which the Assigned rule hears.
            assertThat(admin.send("POST", "/api/v1/conversations/" + conversation + "/status", "{\"status\": \"open\"}").status()).isEqualTo(200);
            DomainEvents.awaitHandled(jdbc);
            await(() -> jdbc.sql("select status from conversations where id = :c").param("c", conversation).query(String.class).single(),
                    "SNOOZED"::equals, "snoozed by the Assigned rule");
            assertThat(jdbc.sql("select assignee_id from conversations where id = :c").param("c", conversation).query(UUID.class).single())
                    .isEqualTo(shop.owner().id());
            assertThat(log(assigned).get(0).get("outcome").asString()).isEqualTo("FIRED");
            assertThat(jdbc.sql("select count(*) from inbox_notifications where conversation_id = :c and user_id = :u and kind = 'MENTION'")
                    .param("c", conversation).param("u", shop.owner().id()).query(Integer.class).single()).isEqualTo(1);

            // The customer opts out.
            customer.writes("919811100006", "STOP");
            await(() -> tags("919811100006"), t -> t.contains("no-marketing"), "tagged on opting out");
            assertThat(log(consent).get(0).get("outcome").asString()).isEqualTo("FIRED");
        } finally {
            hooks.stop();
        }
    }

    private UUID rule(String json) {
        Response created = admin.send("POST", "/api/v1/automation/rules", json);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return UUID.fromString(ApiClient.json(created).get("id").asString());
    }

    private JsonNode log(UUID rule) {
        DomainEvents.awaitHandled(jdbc);
        Response page = admin.get("/api/v1/automation/rules/" + rule + "/log");
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        return ApiClient.json(page).get("items");
    }

    private List<String> outcomes(UUID rule) {
        List<String> outcomes = new ArrayList<>();
        log(rule).forEach(e -> outcomes.add(e.get("outcome").asString()));
        return outcomes;
    }

    /** What the business sent this customer, as their phone shows it. */
    private String business(String waId) {
        StringBuilder lines = new StringBuilder();
        for (JsonNode line : customer.chat(waId).get("lines")) {
            if ("business".equals(line.get("from").asString())) {
                lines.append(line.get("content").toString()).append('\n');
            }
        }
        return lines.toString();
    }

    private int count(String sql) {
        return jdbc.sql(sql).param("t", shop.id()).query(Integer.class).single();
    }

    private UUID contact(String waId) {
        return jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", shop.id()).param("w", waId).query(UUID.class).single();
    }

    private List<String> tags(String waId) {
        return jdbc.sql("select tag from contact_tags where tenant_id = :t and contact_id = :c").param("t", shop.id()).param("c", contact(waId))
                .query(String.class).list();
    }

    private String attribute(String waId, String key) {
        return jdbc.sql("select attributes ->> :k from contacts where tenant_id = :t and id = :c").param("k", key).param("t", shop.id())
                .param("c", contact(waId)).query(String.class).optional().orElse(null);
    }
}
