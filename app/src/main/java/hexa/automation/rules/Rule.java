package hexa.automation.rules;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An automation rule as stored, edited and shown by the API: when its trigger happens and its conditions hold (all of
 * them, or any), its actions run in order. Rules of a workspace are considered in {@code position} order; one with
 * {@code stopAfter} that fired ends the consideration of the ones after it. Built-in rules (welcome, away, consent
 * keywords) carry their {@code builtIn} key: visible and editable like the others, not deletable.
 *
 * <p>The JSON shape (documented in docs/automation.md and docs/api.md) is this record's, with camelCase fields and
 * the enums' names.
 */
public record Rule(UUID id, String name, int position, boolean enabled, boolean stopAfter, Trigger trigger, Match match,
                   List<Condition> conditions, List<Action> actions, String builtIn, Instant createdAt, Instant updatedAt) {

    public Rule {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        actions = actions == null ? List.of() : List.copyOf(actions);
        match = match == null ? Match.ALL : match;
    }

    /** Whether every condition must hold, or one is enough. */
    public enum Match { ALL, ANY }

    /**
     * What starts the rule. {@code minutes} is the delay of the time-based kinds; {@code event} is the event an
     * {@link TriggerKind#AFTER_EVENT} counts from (one of the event kinds' names); {@code cron} is a
     * {@link TriggerKind#SCHEDULE}'s Spring cron expression in the workspace's time zone.
     */
    public record Trigger(TriggerKind kind, Integer minutes, TriggerKind event, String cron) {

        public static Trigger on(TriggerKind kind) {
            return new Trigger(kind, null, null, null);
        }
    }

    public enum TriggerKind {
        MESSAGE_RECEIVED, CONVERSATION_OPENED, CONVERSATION_RESOLVED, CONVERSATION_REOPENED, CONVERSATION_ASSIGNED,
        CONTACT_CREATED, TAG_ADDED, CONSENT_CHANGED,
        /** No member answered the customer's message within {@code minutes}. */
        NO_AGENT_REPLY,
        /** The customer did not answer the business's message within {@code minutes}. */
        NO_CUSTOMER_REPLY,
        /** {@code minutes} after {@code event}. */
        AFTER_EVENT,
        /** At the times of {@code cron}. */
        SCHEDULE;

        public boolean timeBased() {
            return this == NO_AGENT_REPLY || this == NO_CUSTOMER_REPLY || this == AFTER_EVENT || this == SCHEDULE;
        }
    }

    /**
     * A test on the message, conversation or contact. {@code key} names what some fields need (an attribute's name);
     * {@code value} is compared as {@code operator} says (text, a pattern, a tag, "open"/"closed", "true"/"false", an id).
     */
    public record Condition(ConditionField field, String key, Operator operator, String value) {
    }

    public enum ConditionField {
        TEXT, MESSAGE_TYPE, BUSINESS_HOURS, WINDOW_OPEN, TAG, ATTRIBUTE, CONSENT, ASSIGNEE, TEAM, NUMBER, LANGUAGE, FIRST_MESSAGE
    }

    public enum Operator { CONTAINS, NOT_CONTAINS, EQUALS, NOT_EQUALS, MATCHES, IS, IS_NOT }

    /** Something the rule does; {@code options} are the kind's fields (text, tag, member id, template and its parameters...). */
    public record Action(ActionKind kind, Map<String, String> options) {

        public Action {
            options = options == null ? Map.of() : Map.copyOf(options);
        }

        public String option(String name) {
            return options.get(name);
        }
    }

    public enum ActionKind {
        REPLY_TEXT, REPLY_MEDIA, REPLY_BUTTONS, REPLY_LIST, REPLY_TEMPLATE,
        ASSIGN_MEMBER, ASSIGN_TEAM, ASSIGN_ROUND_ROBIN, ADD_TAG, REMOVE_TAG, SET_ATTRIBUTE, SET_STATUS, SNOOZE,
        ADD_NOTE, NOTIFY, CALL_WEBHOOK, START_FLOW;

        /** Whether the action sends the customer a message (counted by the hourly limit, refused outside the window unless a template). */
        public boolean replies() {
            return name().startsWith("REPLY_");
        }
    }
}
