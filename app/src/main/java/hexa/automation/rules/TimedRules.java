package hexa.automation.rules;

import hexa.automation.rules.Rule.TriggerKind;
import hexa.inbox.Conversation;
import hexa.inbox.ConversationAutomation;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.timers.TimerHandler;
import hexa.platform.web.Text;
import hexa.whatsapp.MessageHistory;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * When a time-based rule's timer fires ({@link RuleTimers}): it checks the wait is still unbroken (the rule still on,
 * the conversation not resolved, the customer not written since the business did, nobody of the business answered
 * the customer's message) and considers the rule like any other, logged the same way. A schedule considers the rule
 * for each live conversation, then sets its next time.
 */
@Component
class TimedRules implements TimerHandler {

    static final int SCHEDULED_CONVERSATIONS = 500;

    private final RuleRows rows;
    private final RuleEngine engine;
    private final RuleTimers timers;
    private final ConversationAutomation conversations;
    private final MessageHistory messages;

    TimedRules(RuleRows rows, RuleEngine engine, RuleTimers timers, ConversationAutomation conversations, MessageHistory messages) {
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
        UUID ruleId = UUID.fromString(d.path("rule").asString());
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant, Text.t("automation.rules.actor")))) {
            Optional<Rule> found = rows.find(tenant, ruleId).filter(Rule::enabled);
            if (found.isEmpty() || !found.get().trigger().kind().timeBased()) {
                return;
            }
            Rule rule = found.get();
            TriggerKind kind = rule.trigger().kind();
            if (kind == TriggerKind.SCHEDULE) {
                for (Conversation conversation : conversations.live(SCHEDULED_CONVERSATIONS)) {
                    engine.considerTimed(tenant, rule, new Situation(kind, conversation.id(), conversation.contactId(), conversation.connectionId(), null, null));
                }
                timers.schedule(tenant, rule);
                return;
            }
            UUID conversationId = uuid(d, "conversation");
            UUID contactId = uuid(d, "contact");
            if (conversationId != null) {
                Optional<Conversation> conversation = conversations.find(conversationId);
                if (conversation.isEmpty() || conversation.get().status() == Conversation.Status.RESOLVED && kind != TriggerKind.AFTER_EVENT) {
                    return;
                }
                Instant since = Instant.parse(d.path("since").asString());
                Instant lastInbound = conversation.get().lastInboundAt();
                if (kind == TriggerKind.NO_CUSTOMER_REPLY && lastInbound != null && lastInbound.isAfter(since)) {
                    return;
                }
                // The timer may have been set after the answer was handled (the events' listeners run apart, a retry late).
                UUID message = uuid(d, "message");
                if (kind == TriggerKind.NO_AGENT_REPLY && message != null && messages.answeredByAPerson(message)) {
                    return;
                }
            }
            engine.considerTimed(tenant, rule, new Situation(kind, conversationId, contactId, uuid(d, "connection"), null,
                    d.path("tag").isString() ? d.path("tag").asString() : null));
        }
    }

    private static UUID uuid(JsonNode data, String field) {
        JsonNode value = data.path(field);
        return value.isString() && !value.asString().isBlank() ? UUID.fromString(value.asString()) : null;
    }
}
