package hexa.automation.rules;

import hexa.automation.rules.Rule.TriggerKind;
import hexa.platform.time.WorkspaceZone;
import hexa.platform.timers.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sets and cancels the durable timers of time-based rules ({@link Timers}, kind {@value #KIND}; {@link TimedRules}
 * handles them): "no agent reply" from a customer's unanswered message, "no customer reply" from the business's
 * latest message, "after an event" from the event, a schedule from its next time. A timer only says when to look
 * again: when it fires, the rule checks that the wait is still unbroken.
 */
@Component
class RuleTimers {

    static final String KIND = "automation.rule";

    private final Timers timers;
    private final WorkspaceZone zones;
    private final Clock clock;

    RuleTimers(Timers timers, WorkspaceZone zones, Clock clock) {
        this.timers = timers;
        this.zones = zones;
        this.clock = clock;
    }

    /**
     * Customers wrote in conversations: "no agent reply" starts waiting (unless it already is; all in one statement),
     * "no customer reply" stops. A conversation has one wait of each kind whatever the number of rules
     * ({@link #waitKey}): it falls due at the shortest of their times, and {@link TimedRules} sets it again for the next.
     */
    void customersWrote(UUID tenant, List<Situation> situations, List<Rule> timed) {
        if (timed.isEmpty()) {
            return;
        }
        OptionalInt first = shortest(timed, TriggerKind.NO_AGENT_REPLY, null);
        boolean followUps = timed.stream().anyMatch(r -> r.trigger().kind() == TriggerKind.NO_CUSTOMER_REPLY);
        Map<String, Timers.Due> waits = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (Situation situation : situations) {
            if (situation.conversationId() == null) {
                continue;
            }
            if (first.isPresent()) {
                waits.putIfAbsent(waitKey(TriggerKind.NO_AGENT_REPLY, situation.conversationId()),
                        new Timers.Due(now.plus(Duration.ofMinutes(first.getAsInt())), data(tenant, TriggerKind.NO_AGENT_REPLY, situation, null, now)));
            }
            if (followUps) {
                timers.cancel(KIND, waitKey(TriggerKind.NO_CUSTOMER_REPLY, situation.conversationId()));
            }
        }
        timers.setAbsent(KIND, waits);
    }

    /**
     * The business wrote: a member's message ends "no agent reply"; any message by a person, the API or a rule starts
     * "no customer reply" (but a rule's own follow-up does not start that rule again: it would follow up every N minutes).
     */
    void businessWrote(UUID tenant, List<Rule> timed, Situation situation, String sentByKind, UUID sentBy) {
        if (situation.conversationId() == null || "SYSTEM".equals(sentByKind)) {
            return;
        }
        if (("USER".equals(sentByKind) || "API_TOKEN".equals(sentByKind)) && timed.stream().anyMatch(r -> r.trigger().kind() == TriggerKind.NO_AGENT_REPLY)) {
            timers.cancel(KIND, waitKey(TriggerKind.NO_AGENT_REPLY, situation.conversationId()));
        }
        UUID startedBy = "RULE".equals(sentByKind) ? sentBy : null;
        OptionalInt first = shortest(timed, TriggerKind.NO_CUSTOMER_REPLY, startedBy);
        if (first.isPresent()) {
            Instant now = clock.instant();
            timers.set(KIND, waitKey(TriggerKind.NO_CUSTOMER_REPLY, situation.conversationId()), now.plus(Duration.ofMinutes(first.getAsInt())),
                    data(tenant, TriggerKind.NO_CUSTOMER_REPLY, situation, startedBy, now));
        }
    }

    /** The shortest wait of the enabled rules of a kind (but {@code except}). */
    static OptionalInt shortest(List<Rule> timed, TriggerKind kind, UUID except) {
        return timed.stream().filter(r -> r.enabled() && r.trigger().kind() == kind && !r.id().equals(except))
                .mapToInt(r -> r.trigger().minutes()).min();
    }

    /** Something happened that "N minutes after an event" rules count from. */
    void eventHappened(UUID tenant, Situation situation, List<Rule> timed) {
        if (situation.subjectId() == null) {
            return;
        }
        for (Rule rule : timed) {
            if (rule.enabled() && rule.trigger().kind() == TriggerKind.AFTER_EVENT && rule.trigger().event() == situation.trigger()) {
                Map<String, Object> data = data(situation.trigger(), tenant, situation, clock.instant());
                data.put("rule", rule.id().toString());
                timers.set(KIND, key(rule.id(), situation.subjectId()), clock.instant().plus(Duration.ofMinutes(rule.trigger().minutes())),
                        RuleJson.write(data));
            }
        }
    }

    /** A scheduled rule's next time, in the workspace's time zone; nothing when it is off (its timer then finds it off). */
    void schedule(UUID tenant, Rule rule) {
        if (rule.trigger().kind() != TriggerKind.SCHEDULE) {
            return;
        }
        String key = rule.id() + ":schedule";
        if (!rule.enabled()) {
            timers.cancel(KIND, key);
            return;
        }
        ZonedDateTime now = clock.instant().atZone(zones.zone());
        ZonedDateTime next = CronExpression.parse(rule.trigger().cron().strip()).next(now);
        if (next != null) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("tenant", tenant.toString());
            data.put("rule", rule.id().toString());
            data.put("trigger", TriggerKind.SCHEDULE.name());
            timers.set(KIND, key, next.toInstant(), RuleJson.write(data));
        }
    }

    /** An "N minutes after an event" rule's timer, or a schedule's ({@code rule:schedule}). */
    static String key(UUID rule, UUID subject) {
        return rule + ":" + subject;
    }

    /** A conversation's wait for an agent's or the customer's answer, for all the rules of its kind. */
    static String waitKey(TriggerKind kind, UUID conversation) {
        return (kind == TriggerKind.NO_AGENT_REPLY ? "no-agent-reply:" : "no-customer-reply:") + conversation;
    }

    /** A wait's data: what {@link TimedRules} needs, with the minutes it already handled ({@code done}). */
    private String data(UUID tenant, TriggerKind kind, Situation situation, UUID startedBy, Instant since) {
        Map<String, Object> data = data(kind, tenant, situation, since);
        data.put("wait", kind.name());
        data.put("done", 0);
        data.put("startedBy", startedBy == null ? null : startedBy.toString());
        return RuleJson.write(data);
    }

    private Map<String, Object> data(TriggerKind kind, UUID tenant, Situation situation, Instant since) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant", tenant.toString());
        data.put("trigger", kind.name());
        data.put("conversation", situation.conversationId() == null ? null : situation.conversationId().toString());
        data.put("contact", situation.contactId() == null ? null : situation.contactId().toString());
        data.put("connection", situation.connectionId() == null ? null : situation.connectionId().toString());
        data.put("tag", situation.tag());
        // the customer's message a wait starts from: "no agent reply" checks at its time that nobody answered it since
        data.put("message", situation.message() == null ? null : situation.message().id().toString());
        data.put("since", since.toString());
        return data;
    }

    /** Sets a wait again for its next rule, {@code done} minutes handled; from the timer's own handler. */
    void again(String key, JsonNode data, Instant at, int done) {
        ObjectNode next = ((ObjectNode) data).deepCopy();
        next.put("done", done);
        timers.set(KIND, key, at, RuleJson.write(next));
    }
}
