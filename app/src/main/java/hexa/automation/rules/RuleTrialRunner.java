package hexa.automation.rules;

import hexa.inbox.Conversation;
import hexa.inbox.ConversationAutomation;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The test panel ({@link RuleTrials}): the rule against a conversation as it is now, with the customer's latest
 * message as the one that arrived. It reads and never writes: conditions are evaluated, safeties checked, actions
 * described; nothing is sent, changed or logged.
 */
@Service
class RuleTrialRunner implements RuleTrials {

    private final ConversationAutomation conversations;
    private final FactsSource factsSource;
    private final RuleConditions conditions;
    private final RuleActions actions;
    private final RuleEngine engine;

    RuleTrialRunner(ConversationAutomation conversations, FactsSource factsSource, RuleConditions conditions,
                    RuleActions actions, RuleEngine engine) {
        this.conversations = conversations;
        this.factsSource = factsSource;
        this.conditions = conditions;
        this.actions = actions;
        this.engine = engine;
    }

    @Override
    @Transactional(readOnly = true)
    public Trial trial(Rule rule, UUID conversationId) {
        Rule checked = RuleChecks.check(rule);
        Conversation conversation = conversations.find(conversationId).orElseThrow(NotFoundException::new);
        Situation.Written written = factsSource.latestInbound(conversation.id()).orElse(null);
        Situation situation = new Situation(checked.trigger().kind(), conversation.id(), conversation.contactId(), conversation.connectionId(),
                written, null);
        UUID tenant = TenantContext.tenantId();
        Facts facts = factsSource.of(tenant, situation);
        List<ConditionResult> results = new ArrayList<>();
        for (Rule.Condition condition : checked.conditions()) {
            results.add(conditions.evaluate(condition, facts));
        }
        String blocked = engine.blockedBy(checked, facts, List.of());
        boolean hold = checked.conditions().isEmpty() || (checked.match() == Rule.Match.ALL
                ? results.stream().allMatch(ConditionResult::holds) : results.stream().anyMatch(ConditionResult::holds));
        if (blocked == null && hold && checked.id() != null) {
            blocked = engine.repliedRecently(tenant, checked, facts);
        }
        if (blocked == null && hold) {
            blocked = engine.repliesBlockedBy(tenant, checked, facts);
        }
        List<String> described = new ArrayList<>();
        for (Rule.Action action : checked.actions()) {
            try {
                described.add(actions.describe(checked, action, facts));
            } catch (RuntimeException e) {
                described.add(Text.t("automation.rules.would.fail", action.kind().name()));
            }
        }
        return new Trial(blocked == null && hold, results, described, blocked);
    }
}
