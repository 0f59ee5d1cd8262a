package hexa.automation.rules;

import hexa.automation.rules.Rule.TriggerKind;
import hexa.inbox.Conversation;
import hexa.inbox.ConversationAutomation;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.timers.TimerHandler;
import hexa.platform.web.Text;
import hexa.whatsapp.MessageHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * When a time-based rule's timer fires ({@link RuleTimers}): a conversation's wait for an answer checks it is still
 * unbroken (the conversation not resolved, the customer not written since the business did, nobody of the business
 * answered the customer's message) and considers the rules of its kind whose time has come, like any other rule,
 * logged the same way; "after an event" considers its rule; a schedule considers its rule for each live
 * conversation, then sets its next time.
 */
@Component
class TimedRules implements TimerHandler {

    static final int SCHEDULED_CONVERSATIONS = 500;

    private final RuleRows rows;
    private final RuleEngine engine;
    private final RuleTimers timers;
    private final ConversationAutomation conversations;
    private final MessageHistory messages;
    private final RuleCache cache;
    private final Clock clock;

    TimedRules(RuleRows rows, RuleEngine engine, RuleTimers timers, ConversationAutomation conversations, MessageHistory messages, RuleCache cache,
               Clock clock) {
        this.cache = cache;
        this.clock = clock;
        this.rows = rows;
        this.engine = engine;
        this.timers = timers;
        this.conversations = conversations;
        this.messages = messages;
    }

    @Override
    public String kind() {
        return RuleTimers.KIND;
    }

    @Override
    public void fire(String key, String data) {
        JsonNode d = RuleJson.JSON.readTree(data);
        UUID tenant = UUID.fromString(d.path("tenant").asString());
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant, Text.t("automation.rules.actor")))) {
            if (d.path("wait").isString()) {
                waited(tenant, key, d);
                return;
            }
            UUID ruleId = UUID.fromString(d.path("rule").asString());
            Optional<Rule> found = rows.find(tenant, ruleId).filter(Rule::enabled);
            if (found.isEmpty() || !found.get().trigger().kind().timeBased()) {
                return;
            }
            Rule rule = found.get();
            TriggerKind kind = rule.trigger().kind();
            if (kind == TriggerKind.NO_AGENT_REPLY || kind == TriggerKind.NO_CUSTOMER_REPLY) {
                // a rule's own wait, as they were kept before a conversation had one wait for all its rules: done
                return;
            }
            if (kind == TriggerKind.SCHEDULE) {
                for (Conversation conversation : conversations.live(SCHEDULED_CONVERSATIONS)) {
                    engine.considerTimed(tenant, rule, new Situation(kind, conversation.id(), conversation.contactId(), conversation.connectionId(), null, null));
                }
                timers.schedule(tenant, rule);
                return;
            }
            UUID conversationId = uuid(d, "conversation");
            if (conversationId != null && conversations.find(conversationId).isEmpty()) {
                return;
            }
            engine.considerTimed(tenant, rule, new Situation(kind, conversationId, uuid(d, "contact"), uuid(d, "connection"), null,
                    d.path("tag").isString() ? d.path("tag").asString() : null));
        }
    }

    /**
     * A conversation's wait for an answer ({@link RuleTimers#waitKey}) fell due: if it is unbroken (the conversation
     * not resolved, the customer not written since, nobody answered the customer's message), the rules of its kind
     * whose minutes have passed since it began and were not handled yet are considered, in order of their minutes,
     * and the wait is set again for the next rule's time, if there is one.
     */
    private void waited(UUID tenant, String key, JsonNode d) {
        TriggerKind kind = TriggerKind.valueOf(d.path("wait").asString());
        UUID conversationId = uuid(d, "conversation");
        Optional<Conversation> conversation = conversations.find(conversationId);
        if (conversation.isEmpty() || conversation.get().status() == Conversation.Status.RESOLVED) {
            return;
        }
        Instant since = Instant.parse(d.path("since").asString());
        Instant lastInbound = conversation.get().lastInboundAt();
        if (kind == TriggerKind.NO_CUSTOMER_REPLY && lastInbound != null && lastInbound.isAfter(since)) {
            return;
        }
        // The wait may have been set after the answer was handled (the events' listeners run apart, a retry late).
        UUID message = uuid(d, "message");
        if (kind == TriggerKind.NO_AGENT_REPLY && message != null && messages.answeredByAPerson(message)) {
            return;
        }
        long waited = Duration.between(since, clock.instant()).toMinutes();
        int done = d.path("done").asInt(0);
        UUID startedBy = uuid(d, "startedBy");
        List<Rule> rules = cache.of(tenant).timed().stream()
                .filter(r -> r.enabled() && r.trigger().kind() == kind && !r.id().equals(startedBy))
                .sorted(Comparator.comparingInt(r -> r.trigger().minutes()))
                .toList();
        Situation situation = new Situation(kind, conversationId, uuid(d, "contact"), uuid(d, "connection"), null, null);
        for (Rule rule : rules) {
            int minutes = rule.trigger().minutes();
            if (minutes > done && minutes <= waited) {
                engine.considerTimed(tenant, rule, situation);
            }
        }
        rules.stream().mapToInt(r -> r.trigger().minutes()).filter(m -> m > waited).min()
                .ifPresent(next -> timers.again(key, d, since.plus(Duration.ofMinutes(next)), (int) waited));
    }

    private static UUID uuid(JsonNode data, String field) {
        JsonNode value = data.path(field);
        return value.isString() && !value.asString().isBlank() ? UUID.fromString(value.asString()) : null;
    }
}
