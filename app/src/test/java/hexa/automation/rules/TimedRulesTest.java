package hexa.automation.rules;

import hexa.automation.rules.Rule.TriggerKind;
import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.timers.Timers;
import hexa.platform.timers.TimersRestart;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import hexa.whatsapp.InboundMessagesReceived;
import hexa.whatsapp.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time-based rules on the durable timers, with a moved clock: "no agent reply" answers a customer nobody answered and
 * leaves alone one an agent did (also when the customer's message is handled after the agent's answer); "no customer
 * reply" follows up on the business's unanswered message and not on one the customer answered; "after an event" acts
 * that long after it unless the rule was switched off meanwhile; a schedule fires at its time in the workspace's time
 * zone and sets its next; a rule timer that fell due while the application was down fires once, at start.
 */
class TimedRulesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectProvider<Timers> timers;

    @Autowired
    RuleEngine engine;

    @Autowired
    ApplicationContext app;

    private Fixtures.SandboxWorkspace shop;
    private SandboxCustomer customer;
    private ApiClient admin;

    @BeforeEach
    void aShopWithANumber() {
        org.assertj.core.api.Assertions.assertThat(timers.getIfAvailable()).as("durable timers are part of the application").isNotNull();
        shop = fixtures.withSandboxNumber("Timed " + UUID.randomUUID().toString().substring(0, 6));
        customer = shop.customer();
        admin = api(fixtures.apiToken(shop.workspace(), Role.ADMIN));
    }

    @Test
    void a_customer_nobody_answered_hears_from_the_rule_and_one_an_agent_answered_does_not() {
        rule("""
                {"name": "Nobody answered", "enabled": true, "trigger": {"kind": "NO_AGENT_REPLY", "minutes": 10},
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Sorry for the wait, someone will answer soon."}}]}
                """);
        rule("""
                {"name": "Still there?", "enabled": true, "trigger": {"kind": "NO_CUSTOMER_REPLY", "minutes": 60},
                 "conditions": [{"field": "TAG", "operator": "IS_NOT", "value": "no-follow-up"}],
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Is there anything else we can do?"}}]}
                """);
        customer.writes("919811300001", "Is anyone there?");
        customer.writes("919811300002", "Hello?");
        Response answered = admin.send("POST", "/api/v1/messages", """
                {"to": "919811300002", "type": "text", "text": {"body": "Hi, this is Dana."}}
                """);
        assertThat(answered.status()).as(answered.text()).isLessThan(300);

        clock.advance(Duration.ofMinutes(11));
        until(() -> business("919811300001").contains("Sorry for the wait"), "the rule's answer after ten minutes");
        assertThat(business("919811300002")).doesNotContain("Sorry for the wait");

        clock.advance(Duration.ofMinutes(61));
        until(() -> business("919811300002").contains("Is there anything else we can do?"), "the follow-up an hour after the agent's message");
    }

    @Test
    void one_wait_per_conversation_serves_every_no_agent_reply_rule_each_at_its_own_time_once() {
        rule("""
                {"name": "Ten minutes", "enabled": true, "trigger": {"kind": "NO_AGENT_REPLY", "minutes": 10},
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Ten minutes: we have not forgotten you."}}]}
                """);
        rule("""
                {"name": "Half an hour", "enabled": true, "trigger": {"kind": "NO_AGENT_REPLY", "minutes": 30},
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "waiting-long"}}]}
                """);
        UUID conversation = customer.writes("919811300061", "Can I change my delivery address?");
        Instant first = waitSet(TriggerKind.NO_AGENT_REPLY, conversation);
        assertThat(first).as("the shorter rule's time").isBetween(clock.instant().plus(Duration.ofMinutes(9)), clock.instant().plus(Duration.ofMinutes(10)));
        customer.writes("919811300061", "Hello?");
        assertThat(waitSet(TriggerKind.NO_AGENT_REPLY, conversation)).as("a second message does not move the wait").isEqualTo(first);

        clock.advance(Duration.ofMinutes(11));
        until(() -> business("919811300061").contains("Ten minutes: we have not forgotten you."), "the ten-minute rule");
        Instant second = Eventually.await(() -> timers.getObject().due(RuleTimers.KIND, RuleTimers.waitKey(TriggerKind.NO_AGENT_REPLY, conversation)),
                due -> due.isPresent() && due.get().isAfter(first), "the wait set again for the half-hour rule").orElseThrow();
        assertThat(second).isEqualTo(first.plus(Duration.ofMinutes(20)));
        assertThat(tags(conversation)).doesNotContain("waiting-long");

        clock.advance(Duration.ofMinutes(20));
        until(() -> tags(conversation).contains("waiting-long"), "the half-hour rule");
        until(() -> timers.getObject().due(RuleTimers.KIND, RuleTimers.waitKey(TriggerKind.NO_AGENT_REPLY, conversation)).isEmpty(), "the wait to be over");
        assertThat(sentInto(conversation, "Ten minutes")).as("each rule once").isEqualTo(1);
    }

    @Test
    void no_customer_reply_follows_up_the_business_message_unless_the_customer_answered_in_time() {
        UUID rule = rule("""
                {"name": "Did that help?", "enabled": true, "trigger": {"kind": "NO_CUSTOMER_REPLY", "minutes": 120},
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Did that answer your question?"}}]}
                """);
        UUID silent = customer.writes("919811300011", "Do you ship to Goa?");
        UUID answering = customer.writes("919811300012", "Do you ship to Pune?");
        agentWrites("919811300011", "Yes, in three days.");
        agentWrites("919811300012", "Yes, in two days.");
        Instant due = waitSet(TriggerKind.NO_CUSTOMER_REPLY, silent);
        assertThat(due).isBetween(clock.instant().plus(Duration.ofMinutes(119)), clock.instant().plus(Duration.ofMinutes(120)));
        waitSet(TriggerKind.NO_CUSTOMER_REPLY, answering);

        clock.advance(Duration.ofMinutes(30));
        customer.writes("919811300012", "Great, thank you!");
        until(() -> timers.getObject().due(RuleTimers.KIND, RuleTimers.waitKey(TriggerKind.NO_CUSTOMER_REPLY, answering)).isEmpty(),
                "the customer's answer to end the wait");

        clock.advance(Duration.ofMinutes(91));
        until(() -> business("919811300011").contains("Did that answer your question?"), "the follow-up two hours after the agent's message");
        until(() -> timers.getObject().due(RuleTimers.KIND, RuleTimers.waitKey(TriggerKind.NO_CUSTOMER_REPLY, silent)).isEmpty(), "the timer to be done");
        assertThat(sentInto(silent, "Did that answer your question?")).isEqualTo(1);
        assertThat(sentInto(answering, "Did that answer your question?")).as("the customer answered in time").isZero();
    }

    @Test
    void after_an_event_the_rule_acts_that_long_after_it_and_not_when_it_was_switched_off_meanwhile() {
        UUID review = rule("""
                {"name": "Ask for a review", "enabled": true,
                 "trigger": {"kind": "AFTER_EVENT", "event": "CONVERSATION_RESOLVED", "minutes": 4320},
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "ask-for-review"}}]}
                """);
        UUID paused = rule("""
                {"name": "Survey", "enabled": true,
                 "trigger": {"kind": "AFTER_EVENT", "event": "CONVERSATION_RESOLVED", "minutes": 4320},
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "send-survey"}}]}
                """);
        UUID conversation = customer.writes("919811300021", "All sorted, thanks!");
        Response resolved = admin.send("POST", "/api/v1/conversations/" + conversation + "/status", "{\"status\": \"resolved\"}");
        assertThat(resolved.status()).as(resolved.text()).isEqualTo(200);
        Instant due = timerSet(review, conversation);
        assertThat(due).as("three days after the conversation was resolved")
                .isBetween(clock.instant().plus(Duration.ofDays(3)).minusSeconds(60), clock.instant().plus(Duration.ofDays(3)));
        timerSet(paused, conversation);
        assertThat(admin.send("POST", "/api/v1/automation/rules/" + paused + "/disable", "").status()).isLessThan(300);

        clock.advance(Duration.ofDays(2));
        assertThat(tags(conversation)).as("not before its time").doesNotContain("ask-for-review");

        clock.advance(Duration.ofDays(1).plusMinutes(1));
        until(() -> tags(conversation).contains("ask-for-review"), "the tag three days after the conversation was resolved");
        until(() -> timers.getObject().due(RuleTimers.KIND, RuleTimers.key(paused, conversation)).isEmpty(), "the switched-off rule's timer to be done");
        assertThat(tags(conversation)).as("the rule switched off meanwhile does nothing").doesNotContain("send-survey");
    }

    @Test
    void a_schedule_fires_at_its_time_in_the_workspace_time_zone_for_live_conversations_then_sets_its_next_time() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        UUID daily = rule(schedule("0 0 9 * * *", true));
        String key = daily + ":schedule";
        Instant due = timers.getObject().due(RuleTimers.KIND, key).orElseThrow();
        assertThat(due.atZone(kolkata).toLocalTime()).as("09:00 on the workspace's clock").isEqualTo(LocalTime.of(9, 0));
        assertThat(due).isBetween(clock.instant(), clock.instant().plus(Duration.ofDays(1)));

        UUID live = customer.writes("919811300031", "Are you open today?");
        UUID resolved = customer.writes("919811300032", "Thanks, that was all.");
        assertThat(admin.send("POST", "/api/v1/conversations/" + resolved + "/status", "{\"status\": \"resolved\"}").status()).isEqualTo(200);

        clock.advance(Duration.between(clock.instant(), due).plusSeconds(1));
        until(() -> business("919811300031").contains("Good morning, we are open"), "the scheduled message at 09:00");
        Eventually.await(() -> timers.getObject().due(RuleTimers.KIND, key), next -> next.isPresent() && next.get().isAfter(due),
                "the schedule's next time");
        assertThat(timers.getObject().due(RuleTimers.KIND, key)).as("the next day at 09:00").contains(due.plus(Duration.ofDays(1)));
        assertThat(sentInto(live, "Good morning, we are open")).isEqualTo(1);
        assertThat(sentInto(resolved, "Good morning, we are open")).as("a resolved conversation is not live").isZero();

        Response edited = admin.send("PUT", "/api/v1/automation/rules/" + daily, schedule("0 30 18 * * *", true));
        assertThat(edited.status()).as(edited.text()).isEqualTo(200);
        Instant evening = timers.getObject().due(RuleTimers.KIND, key).orElseThrow();
        assertThat(evening.atZone(kolkata).toLocalTime()).as("edited: 18:30 on the workspace's clock").isEqualTo(LocalTime.of(18, 30));
        assertThat(evening).isBetween(clock.instant(), clock.instant().plus(Duration.ofDays(1)));

        assertThat(admin.send("POST", "/api/v1/automation/rules/" + daily + "/disable", "").status()).isLessThan(300);
        assertThat(timers.getObject().due(RuleTimers.KIND, key)).as("switched off: no next time").isEmpty();
    }

    @Test
    void a_rule_timer_that_fell_due_while_the_application_was_down_fires_once_at_start() {
        UUID rule = rule("""
                {"name": "We are on it", "enabled": true, "trigger": {"kind": "NO_AGENT_REPLY", "minutes": 10},
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Thanks for waiting, we are on it."}}]}
                """);
        UUID conversation = customer.writes("919811300041", "Where is my parcel?");
        waitSet(TriggerKind.NO_AGENT_REPLY, conversation);

        List<String> fired = TimersRestart.afterDowntime(app, () -> clock.advance(Duration.ofMinutes(30)),
                () -> sentInto(conversation, "Thanks for waiting") > 0, "the rule's answer once the application is up again");

        assertThat(fired).as("fired by the node that started")
                .containsOnlyOnce(RuleTimers.KIND + "/" + RuleTimers.waitKey(TriggerKind.NO_AGENT_REPLY, conversation));
        until(() -> business("919811300041").contains("Thanks for waiting, we are on it."), "the customer's phone to receive it");
        assertThat(timers.getObject().due(RuleTimers.KIND, RuleTimers.waitKey(TriggerKind.NO_AGENT_REPLY, conversation))).isEmpty();
        assertThat(sentInto(conversation, "Thanks for waiting")).isEqualTo(1);
    }

    @Test
    void no_agent_reply_does_not_fire_when_the_customers_message_is_handled_after_the_agents_answer() {
        UUID rule = rule("""
                {"name": "Nobody answered yet", "enabled": true, "trigger": {"kind": "NO_AGENT_REPLY", "minutes": 10},
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Sorry, everyone is busy."}}]}
                """);
        UUID conversation = customer.writes("919811300051", "Has my order shipped?");
        String key = RuleTimers.waitKey(TriggerKind.NO_AGENT_REPLY, conversation);
        waitSet(TriggerKind.NO_AGENT_REPLY, conversation);
        agentWrites("919811300051", "Yes, this morning.");
        until(() -> timers.getObject().due(RuleTimers.KIND, key).isEmpty(), "the agent's answer to end the wait");

        // The customer's message handled again after the answer (its listener ran late, or the event was handed out again):
        // the listener cannot tell, and sets the wait afresh.
        engine.on(new InboundMessagesReceived(shop.id(), List.of(inbound(conversation))));
        waitSet(TriggerKind.NO_AGENT_REPLY, conversation);

        clock.advance(Duration.ofMinutes(11));
        until(() -> timers.getObject().due(RuleTimers.KIND, key).isEmpty(), "the timer to have fired");
        assertThat(sentInto(conversation, "Sorry, everyone is busy.")).as("the message was answered before the timer fired").isZero();
    }

    private UUID rule(String json) {
        Response created = admin.send("POST", "/api/v1/automation/rules", json);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return UUID.fromString(ApiClient.json(created).get("id").asString());
    }

    private static String schedule(String cron, boolean enabled) {
        return """
                {"name": "Opening hours", "enabled": %s, "trigger": {"kind": "SCHEDULE", "cron": "%s"},
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Good morning, we are open until 18:00."}}]}
                """.formatted(enabled, cron);
    }

    private void agentWrites(String waId, String text) {
        Response sent = admin.send("POST", "/api/v1/messages", """
                {"to": "%s", "type": "text", "text": {"body": "%s"}}
                """.formatted(waId, text));
        assertThat(sent.status()).as(sent.text()).isLessThan(300);
    }

    /** Waits for the conversation's wait of that kind (for all its rules) to be set; answers its time. */
    private Instant waitSet(TriggerKind kind, UUID conversation) {
        return Eventually.present(() -> timers.getObject().due(RuleTimers.KIND, RuleTimers.waitKey(kind, conversation)), "the conversation's wait to be set");
    }

    /** Waits for the rule's timer on the conversation to be set (its events are handled after they commit); answers its time. */
    private Instant timerSet(UUID rule, UUID conversation) {
        return Eventually.present(() -> timers.getObject().due(RuleTimers.KIND, RuleTimers.key(rule, conversation)), "the rule's timer to be set");
    }

    /** How many of the business's messages in the conversation start with the text. */
    private int sentInto(UUID conversation, String text) {
        return jdbc.sql("""
                        select count(*) from messages where tenant_id = :t and conversation_id = :c and direction = 'OUTBOUND' and body like :text
                        """)
                .param("t", shop.id()).param("c", conversation).param("text", text + "%").query(Integer.class).single();
    }

    private List<String> tags(UUID conversation) {
        return jdbc.sql("""
                        select t.tag from contact_tags t join conversations c on c.tenant_id = t.tenant_id and c.contact_id = t.contact_id
                         where c.tenant_id = :t and c.id = :c
                        """)
                .param("t", shop.id()).param("c", conversation).query(String.class).list();
    }

    /** The customer's latest message in the conversation, as the channel announced it. */
    private InboundMessagesReceived.Message inbound(UUID conversation) {
        return jdbc.sql("""
                        select id, contact_id, wamid, type, body, sent_at from messages
                         where tenant_id = :t and conversation_id = :c and direction = 'INBOUND' order by created_at desc limit 1
                        """)
                .param("t", shop.id()).param("c", conversation)
                .query((rs, n) -> new InboundMessagesReceived.Message(rs.getObject("id", UUID.class), conversation,
                        rs.getObject("contact_id", UUID.class), shop.number().id(), rs.getString("wamid"), MessageType.of(rs.getString("type")),
                        rs.getString("body"), List.of(rs.getString("body")), rs.getTimestamp("sent_at").toInstant(), false, null, null, null))
                .single();
    }

    private String business(String waId) {
        StringBuilder lines = new StringBuilder();
        for (JsonNode line : customer.chat(waId).get("lines")) {
            if ("business".equals(line.get("from").asString())) {
                lines.append(line.get("content").toString()).append('\n');
            }
        }
        return lines.toString();
    }
}
