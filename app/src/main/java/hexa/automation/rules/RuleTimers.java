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
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Sets and cancels the durable timers of time-based rules ({@link Timers}, kind {@value #KIND}; {@link TimedRules}
 * handles them): "no agent reply" from a customer's unanswered message, "no customer reply" from the business's
 * latest message, "after an event" from the event, a schedule from its next time. A timer only says when to look
 * again: when it fires, the rule checks that the wait is still unbroken. Without timers in the application, time-based
 * rules do nothing.
 */
@Component
class RuleTimers {

    static final String KIND = "automation.rule";

    private final ObjectProvider<Timers> timers;
    private final ObjectProvider<WorkspaceZone> zones;
    private final Clock clock;

    RuleTimers(ObjectProvider<Timers> timers, ObjectProvider<WorkspaceZone> zones, Clock clock) {
        this.timers = timers;
        this.zones = zones;
        this.clock = clock;
    }

    /** A customer wrote in a conversation: "no agent reply" starts waiting (unless it already is), "no customer reply" stops. */
    void customerWrote(UUID tenant, Situation situation, List<Rule> timed) {
        Timers set = timers.getIfAvailable();
        if (set == null || situation.conversationId() == null) {
            return;
        }
        for (Rule rule : timed) {
            String key = key(rule.id(), situation.conversationId());
            if (rule.trigger().kind() == TriggerKind.NO_AGENT_REPLY && rule.enabled() && set.due(KIND, key).isEmpty()) {
                set.set(KIND, key, clock.instant().plus(Duration.ofMinutes(rule.trigger().minutes())), data(tenant, rule, situation));
            } else if (rule.trigger().kind() == TriggerKind.NO_CUSTOMER_REPLY) {
                set.cancel(KIND, key);
            }
        }
    }

    /**
     * The business wrote: a member's message ends "no agent reply"; any message by a person, the API or a rule starts
     * "no customer reply" (but a rule's own follow-up does not start that rule again: it would follow up every N minutes).
     */
    void businessWrote(UUID tenant, List<Rule> timed, Situation situation, String sentByKind, UUID sentBy) {
        Timers set = timers.getIfAvailable();
        if (set == null || situation.conversationId() == null || "SYSTEM".equals(sentByKind)) {
            return;
        }
        for (Rule rule : timed) {
            String key = key(rule.id(), situation.conversationId());
            if (rule.trigger().kind() == TriggerKind.NO_AGENT_REPLY && ("USER".equals(sentByKind) || "API_TOKEN".equals(sentByKind))) {
                set.cancel(KIND, key);
            } else if (rule.trigger().kind() == TriggerKind.NO_CUSTOMER_REPLY && rule.enabled()
                    && !("RULE".equals(sentByKind) && rule.id().equals(sentBy))) {
                set.set(KIND, key, clock.instant().plus(Duration.ofMinutes(rule.trigger().minutes())), data(tenant, rule, situation));
            }
        }
    }

    /** Something happened that "N minutes after an event" rules count from. */
    void eventHappened(UUID tenant, Situation situation, List<Rule> timed) {
        Timers set = timers.getIfAvailable();
        if (set == null || situation.subjectId() == null) {
            return;
        }
        for (Rule rule : timed) {
            if (rule.enabled() && rule.trigger().kind() == TriggerKind.AFTER_EVENT && rule.trigger().event() == situation.trigger()) {
                set.set(KIND, key(rule.id(), situation.subjectId()), clock.instant().plus(Duration.ofMinutes(rule.trigger().minutes())),
                        data(tenant, rule, situation));
            }
        }
    }

    /** A scheduled rule's next time, in the workspace's time zone; nothing when it is off (its timer then finds it off). */
    void schedule(UUID tenant, Rule rule) {
        Timers set = timers.getIfAvailable();
        if (set == null || rule.trigger().kind() != TriggerKind.SCHEDULE) {
            return;
        }
        String key = rule.id() + ":schedule";
        if (!rule.enabled()) {
            set.cancel(KIND, key);
            return;
        }
        WorkspaceZone zone = zones.getIfAvailable();
        ZonedDateTime now = clock.instant().atZone(zone == null ? java.time.ZoneOffset.UTC : zone.zone());
        ZonedDateTime next = CronExpression.parse(rule.trigger().cron().strip()).next(now);
        if (next != null) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("tenant", tenant.toString());
            data.put("rule", rule.id().toString());
            data.put("trigger", TriggerKind.SCHEDULE.name());
            set.set(KIND, key, next.toInstant(), RuleJson.write(data));
        }
    }

    static String key(UUID rule, UUID subject) {
        return rule + ":" + subject;
    }

    private String data(UUID tenant, Rule rule, Situation situation) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant", tenant.toString());
        data.put("rule", rule.id().toString());
        data.put("trigger", situation.trigger().name());
        data.put("conversation", situation.conversationId() == null ? null : situation.conversationId().toString());
        data.put("contact", situation.contactId() == null ? null : situation.contactId().toString());
        data.put("connection", situation.connectionId() == null ? null : situation.connectionId().toString());
        data.put("tag", situation.tag());
        // the customer's message a wait starts from: "no agent reply" checks at its time that nobody answered it since
        data.put("message", situation.message() == null ? null : situation.message().id().toString());
        data.put("since", Instant.now(clock).toString());
        return RuleJson.write(data);
    }
}
