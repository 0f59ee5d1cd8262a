package hexa.automation.rules;

import hexa.automation.rules.Rule.Action;
import hexa.automation.rules.Rule.TriggerKind;
import hexa.contacts.ConsentChanged;
import hexa.contacts.Contact;
import hexa.contacts.ContactsCreated;
import hexa.contacts.ContactsTagged;
import hexa.inbox.ConversationAssigned;
import hexa.inbox.ConversationOpened;
import hexa.inbox.ConversationReopened;
import hexa.inbox.ConversationResolved;
import hexa.platform.flows.FlowStarter;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.InboundMessagesReceived;
import hexa.whatsapp.OutboundMessageQueued;
import hexa.whatsapp.TemplateService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the workspace's rules when something happens: the other modules' events, each handled after their
 * transaction committed, in a transaction of its own (a crash hands the event out again at the next start). Rules are
 * considered in order, enabled ones only; one that fires with "stop after" ends the consideration. Each consideration
 * is logged: fired (with each action's result), skipped (with the first condition that failed) or blocked (with the
 * safety that stopped it: a blocked contact, the loop guard, the hourly limit, a closed window, consent).
 */
@Component
class RuleEngine {

    private static final Logger log = LoggerFactory.getLogger(RuleEngine.class);
    static final String FIRED = "FIRED";
    static final String SKIPPED = "SKIPPED";
    static final String BLOCKED = "BLOCKED";
    /** {@link #considerRule}'s answer for a rule that fired (its log row written). */
    private static final short FIRED_CODE = Short.MIN_VALUE;

    private final RuleCache cache;
    private final RulePasses passes;
    private final BuiltInRules builtIns;
    private final FactsSource factsSource;
    private final RuleConditions conditions;
    private final RuleActions actions;
    private final RuleLogRows ruleLog;
    private final RuleEchoes echoes;
    private final RuleSettings settings;
    private final TemplateService templates;
    private final ConnectionService connections;
    private final TransactionTemplate nested;
    private final RuleTimers timers;
    private final FlowStarter flows;
    private final Clock clock;

    RuleEngine(RuleCache cache, RulePasses passes, BuiltInRules builtIns, FactsSource factsSource, RuleConditions conditions, RuleActions actions, RuleLogRows ruleLog,
               RuleEchoes echoes, RuleSettings settings, TemplateService templates, ConnectionService connections,
               PlatformTransactionManager transactions, RuleTimers timers, FlowStarter flows, Clock clock) {
        this.cache = cache;
        this.passes = passes;
        this.builtIns = builtIns;
        this.factsSource = factsSource;
        this.conditions = conditions;
        this.actions = actions;
        this.ruleLog = ruleLog;
        this.echoes = echoes;
        this.settings = settings;
        this.templates = templates;
        this.connections = connections;
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.timers = timers;
        this.flows = flows;
        this.clock = clock;
    }

    @ApplicationModuleListener(id = "automation.rules.message-received")
    void on(InboundMessagesReceived received) {
        consider(received.tenantId(), received.messages().stream()
                .map(m -> new Situation(TriggerKind.MESSAGE_RECEIVED, m.conversationId(), m.contactId(), m.connectionId(), Situation.Written.of(m), null))
                .toList());
    }

    /** The business wrote: time-based rules that wait for an agent's or the customer's answer hear of it. */
    @ApplicationModuleListener(id = "automation.rules.business-wrote")
    void on(OutboundMessageQueued queued) {
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(queued.tenantId(), Text.t("automation.rules.actor")))) {
            timers.businessWrote(queued.tenantId(), cache.of(queued.tenantId()).timed(), new Situation(TriggerKind.NO_CUSTOMER_REPLY,
                    queued.conversationId(), queued.contactId(), queued.connectionId(), null, null), queued.sentByKind(), queued.sentBy());
        }
    }

    @ApplicationModuleListener(id = "automation.rules.conversation-opened")
    void on(ConversationOpened opened) {
        consider(opened.tenantId(), List.of(new Situation(TriggerKind.CONVERSATION_OPENED, opened.conversationId(), opened.contactId(),
                opened.connectionId(), null, null)));
    }

    @ApplicationModuleListener(id = "automation.rules.conversation-resolved")
    void on(ConversationResolved resolved) {
        consider(resolved.tenantId(), List.of(new Situation(TriggerKind.CONVERSATION_RESOLVED, resolved.conversationId(), null, null, null, null)));
    }

    @ApplicationModuleListener(id = "automation.rules.conversation-reopened")
    void on(ConversationReopened reopened) {
        consider(reopened.tenantId(), List.of(new Situation(TriggerKind.CONVERSATION_REOPENED, reopened.conversationId(), null, null, null, null)));
    }

    @ApplicationModuleListener(id = "automation.rules.conversation-assigned")
    void on(ConversationAssigned assigned) {
        consider(assigned.tenantId(), List.of(new Situation(TriggerKind.CONVERSATION_ASSIGNED, assigned.conversationId(), null, null, null, null)));
    }

    /** Contacts a person, the API or WhatsApp brought; an import's are not greeted (they never wrote). */
    @ApplicationModuleListener(id = "automation.rules.contact-created")
    void on(ContactsCreated created) {
        if ("import".equals(created.source())) {
            return;
        }
        consider(created.tenantId(), created.contactIds().stream()
                .map(id -> new Situation(TriggerKind.CONTACT_CREATED, null, id, null, null, null)).toList());
    }

    @ApplicationModuleListener(id = "automation.rules.tag-added")
    void on(ContactsTagged tagged) {
        consider(tagged.tenantId(), tagged.contactIds().stream()
                .map(id -> new Situation(TriggerKind.TAG_ADDED, null, id, null, null, tagged.tag())).toList());
    }

    @ApplicationModuleListener(id = "automation.rules.consent-changed")
    void on(ConsentChanged changed) {
        consider(changed.tenantId(), List.of(new Situation(TriggerKind.CONSENT_CHANGED, null, changed.contactId(), null, null,
                changed.status().name().toLowerCase(Locale.ROOT))));
    }

    /**
     * Considers the enabled rules of each situation's trigger, in order. The rules that fired or a safety stopped get a
     * log row each; the rest of a situation's pass (the conditions that failed) is one row, all passes of the call
     * written in one statement.
     */
    void consider(UUID tenant, List<Situation> situations) {
        if (situations.isEmpty()) {
            return;
        }
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant, Text.t("automation.rules.actor")))) {
            builtIns.ensure(tenant);
            RuleCache.Book book = cache.of(tenant);
            List<RulePasses.Pass> written = new ArrayList<>();
            Set<UUID> touched = new HashSet<>();
            timers.customersWrote(tenant, situations.stream()
                    .filter(s -> s.trigger() == TriggerKind.MESSAGE_RECEIVED && !s.message().quiet()).toList(), book.timed());
            FactsSource.Batch batch = book.enabled(situations.get(0).trigger()) == null ? FactsSource.Batch.NONE
                    : factsSource.prefetch(situations, book.reads(situations.get(0).trigger()));
            for (Situation situation : situations) {
                timers.eventHappened(tenant, situation, book.timed());
                List<UUID> chain = situation.trigger() == TriggerKind.MESSAGE_RECEIVED ? List.of()
                        : echoes.take(tenant, situation.subjectId(), situation.trigger(), clock.instant());
                RulePasses.Lineup lineup = book.enabled(situation.trigger());
                if (lineup == null) {
                    continue;
                }
                // A rule that fired for an earlier message of the event may have changed what the batch read (a tag, an assignee).
                boolean stale = touched.contains(situation.contactId()) || touched.contains(situation.conversationId());
                Facts facts = factsSource.of(tenant, situation, stale ? FactsSource.Batch.NONE : batch);
                List<Rule> rules = lineup.rules();
                Short[] outcomes = new Short[rules.size()];
                Map<String, String> seen = new TreeMap<>();
                boolean compact = false;
                for (int i = 0; i < rules.size(); i++) {
                    Rule rule = rules.get(i);
                    short code = considerRule(tenant, rule, facts, chain, seen);
                    outcomes[i] = code == FIRED_CODE ? RulePasses.LOGGED : code;
                    if (code == FIRED_CODE) {
                        touched.add(facts.contactId());
                        touched.add(facts.conversationId());
                    }
                    compact |= code != FIRED_CODE && code != RulePasses.LOGGED;
                    if (code == FIRED_CODE && rule.stopAfter()) {
                        break;
                    }
                }
                if (compact) {
                    written.add(new RulePasses.Pass(lineup.setId(), clock.instant(), facts.conversationId(), facts.contactId(), facts.messageId(),
                            outcomes, seen));
                }
            }
            passes.write(tenant, written);
        }
    }

    /** A time-based rule whose time has come ({@link TimedRules}), in the caller's tenant scope: logged in a row of its own. */
    public void considerTimed(UUID tenant, Rule rule, Situation situation) {
        considerRule(tenant, rule, factsSource.of(tenant, situation), List.of(), null);
    }

    /**
     * One rule in one situation. With {@code seen} (a pass), a rule whose conditions do not hold, or whose contact is
     * blocked, answers the pass's code for it and writes nothing; otherwise the consideration gets its log row, and the
     * answer is {@link #FIRED_CODE} when it fired, {@link RulePasses#LOGGED} when not.
     */
    private short considerRule(UUID tenant, Rule rule, Facts facts, List<UUID> chain, Map<String, String> seen) {
        Instant at = clock.instant();
        String blocked = blockedBy(rule, facts, chain);
        if (blocked != null) {
            if (seen != null && facts.quiet()) {
                return RulePasses.QUIET;
            }
            ruleLog.write(tenant, rule.id(), at, facts, BLOCKED, blocked, List.of(), 0);
            return RulePasses.LOGGED;
        }
        List<RuleConditions.Check> results = conditions.evaluate(rule, facts);
        if (!RuleConditions.hold(rule, results)) {
            if (seen != null) {
                return failed(rule, results, seen);
            }
            ruleLog.write(tenant, rule.id(), at, facts, SKIPPED, skippedBecause(rule, results), List.of(), 0);
            return RulePasses.LOGGED;
        }
        String notAgain = repliedRecently(tenant, rule, facts);
        if (notAgain != null) {
            ruleLog.write(tenant, rule.id(), at, facts, SKIPPED, notAgain, List.of(), 0);
            return RulePasses.LOGGED;
        }
        if (leftToAFlow(rule, facts)) {
            ruleLog.write(tenant, rule.id(), at, facts, SKIPPED, Text.t("automation.rules.skipped.flow"), List.of(), 0);
            return RulePasses.LOGGED;
        }
        String replies = repliesBlockedBy(tenant, rule, facts);
        if (replies != null) {
            ruleLog.write(tenant, rule.id(), at, facts, BLOCKED, replies, List.of(), 0);
            return RulePasses.LOGGED;
        }
        List<UUID> onward = new ArrayList<>(chain);
        onward.add(rule.id());
        List<RuleLog.ActionResult> done = new ArrayList<>();
        int sent = 0;
        for (Action action : rule.actions()) {
            RuleLog.ActionResult result = run(tenant, rule, action, facts, onward);
            done.add(result);
            if (result.ok() && result.messageId() != null) {
                sent++;
            }
        }
        ruleLog.write(tenant, rule.id(), at, facts, FIRED, null, done, sent);
        return FIRED_CODE;
    }

    /** The pass's code of a rule whose conditions did not hold (as {@link #skippedBecause} says it), keeping what the failed condition saw. */
    private static short failed(Rule rule, List<RuleConditions.Check> results, Map<String, String> seen) {
        if (rule.match() == Rule.Match.ALL) {
            for (int i = 0; i < results.size(); i++) {
                RuleConditions.Check r = results.get(i);
                if (!r.holds()) {
                    seen.computeIfAbsent(RulePasses.seenKey(r.condition()), key -> r.seen().get());
                    return (short) (i + 1);
                }
            }
        }
        return RulePasses.NONE_HELD;
    }

    /** An action in a savepoint of its own: one that fails (a number gone, a member left) leaves the others and the log. */
    private RuleLog.ActionResult run(UUID tenant, Rule rule, Action action, Facts facts, List<UUID> chain) {
        try {
            RuleActions.Done done = nested.execute(status -> {
                RuleActions.Done d = actions.run(rule, action, facts);
                for (RuleActions.Echo echo : d.echoes()) {
                    echoes.mark(tenant, echo.subjectId(), echo.trigger(), chain, clock.instant());
                }
                return d;
            });
            return done.result();
        } catch (UserError e) {
            return new RuleLog.ActionResult(action.kind(), false, e.text(), null);
        } catch (RuntimeException e) {
            log.warn("Rule {} could not {} in workspace {}", rule.id(), action.kind(), tenant, e);
            return new RuleLog.ActionResult(action.kind(), false, Text.t("automation.rules.did.failed"), null);
        }
    }

    /** The safeties that stop a rule whatever its conditions: a blocked contact, and the loop guard. */
    public String blockedBy(Rule rule, Facts facts, List<UUID> chain) {
        if (facts.quiet()) {
            return Text.t("automation.rules.blocked.quiet");
        }
        if (rule.id() != null && chain.contains(rule.id())) {
            return Text.t("automation.rules.blocked.loop");
        }
        if (chain.size() >= RuleEchoes.MAX_DEPTH) {
            return Text.t("automation.rules.blocked.depth", RuleEchoes.MAX_DEPTH);
        }
        return null;
    }

    /** The safeties of a rule that writes to the customer: the hourly limit, the 24-hour window, marketing consent. */
    public String repliesBlockedBy(UUID tenant, Rule rule, Facts facts) {
        List<Action> replies = rule.actions().stream().filter(a -> a.kind().replies()).toList();
        if (replies.isEmpty()) {
            return null;
        }
        if (facts.contactId() == null || facts.connectionId() == null) {
            return Text.t("automation.rules.blocked.nowhere");
        }
        int limit = settings.repliesPerHour(tenant);
        int sent = ruleLog.repliesSince(tenant, facts.conversationId(), facts.contactId(), facts.now.minus(Duration.ofHours(1)));
        if (sent + replies.size() > limit) {
            return Text.t("automation.rules.blocked.limit", sent, limit);
        }
        boolean freeForm = replies.stream().anyMatch(a -> a.kind() != Rule.ActionKind.REPLY_TEMPLATE);
        if (freeForm && !facts.windowOpen()) {
            return Text.t("automation.rules.blocked.window");
        }
        boolean optedOut = facts.contact().map(Contact::consent).map(Contact.Consent::optedOut).orElse(false);
        if (optedOut) {
            for (Action a : replies) {
                if (a.kind() == Rule.ActionKind.REPLY_TEMPLATE && marketing(facts, a)) {
                    return Text.t("automation.rules.blocked.consent", a.option("name"));
                }
            }
        }
        return null;
    }

    /** An away message and the like go to a conversation at most once every so many hours ({@code onceEveryHours}). */
    public String repliedRecently(UUID tenant, Rule rule, Facts facts) {
        for (Action a : rule.actions()) {
            String every = a.option("onceEveryHours");
            if (a.kind().replies() && every != null && !every.isBlank()) {
                int hours = Integer.parseInt(every.strip());
                Optional<Instant> last = ruleLog.lastReply(tenant, rule.id(), facts.conversationId(), facts.now, Duration.ofHours(hours));
                if (last.isPresent()) {
                    return Text.t("automation.rules.skipped.recently", hours);
                }
            }
        }
        return null;
    }

    /**
     * A rule that replies to a customer's message a chatbot flow answers leaves the answer to the flow ({@link
     * FlowStarter#answers}): on the message itself, and on the new contact it brought (a welcome).
     */
    private boolean leftToAFlow(Rule rule, Facts facts) {
        TriggerKind trigger = facts.situation.trigger();
        if (trigger != TriggerKind.MESSAGE_RECEIVED && trigger != TriggerKind.CONTACT_CREATED
                || rule.actions().stream().noneMatch(a -> a.kind().replies())) {
            return false;
        }
        return facts.customerMessage()
                .map(message -> flows.answers(facts.conversationId(), message.id(), message.texts(), message.fromAd()))
                .orElse(false);
    }

    private boolean marketing(Facts facts, Action template) {
        try {
            String waba = connections.connection(facts.connectionId()).wabaId();
            return templates.find(waba, template.option("name").strip(), template.option("language").strip())
                    .map(t -> "MARKETING".equalsIgnoreCase(t.category())).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String skippedBecause(Rule rule, List<RuleConditions.Check> results) {
        if (rule.match() == Rule.Match.ANY) {
            return Text.t("automation.rules.skipped.none-held");
        }
        for (int i = 0; i < results.size(); i++) {
            RuleConditions.Check r = results.get(i);
            if (!r.holds()) {
                return Text.t("automation.rules.skipped.condition", i + 1, describe(r.condition()), r.seen().get());
            }
        }
        return Text.t("automation.rules.skipped.none-held");
    }

    static String describe(Rule.Condition c) {
        String field = Text.t("automation.rules.field." + c.field().name());
        String key = c.key() == null || c.key().isBlank() ? "" : " " + c.key();
        return field + key + " " + Text.t("automation.rules.operator." + c.operator().name()) + " “" + (c.value() == null ? "" : c.value()) + "”";
    }
}
