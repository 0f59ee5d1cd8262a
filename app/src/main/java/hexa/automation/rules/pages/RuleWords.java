package hexa.automation.rules.pages;

import static hexa.platform.web.Text.t;

import hexa.automation.rules.Rule;
import hexa.automation.rules.Rule.TriggerKind;
import java.util.Arrays;
import java.util.List;

/** A rule's parts in words, for the list, the log and the editor's choices. */
public final class RuleWords {

    private RuleWords() {
    }

    /** "Message received", "No agent reply for 10 minutes", "2 days after Conversation resolved", "On the schedule 0 0 9 * * MON-FRI". */
    public static String trigger(Rule.Trigger trigger) {
        if (trigger == null || trigger.kind() == null) {
            return "";
        }
        TriggerKind kind = trigger.kind();
        return switch (kind) {
            case NO_AGENT_REPLY, NO_CUSTOMER_REPLY -> t("automation.rules.trigger.words." + kind.name(), duration(trigger.minutes()));
            case AFTER_EVENT -> t("automation.rules.trigger.words.AFTER_EVENT", duration(trigger.minutes()),
                    trigger.event() == null ? "?" : t("automation.rules.trigger." + trigger.event().name()));
            case SCHEDULE -> t("automation.rules.trigger.words.SCHEDULE", trigger.cron() == null ? "?" : trigger.cron());
            default -> t("automation.rules.trigger." + kind.name());
        };
    }

    /** "10 minutes", "3 hours", "2 days". */
    public static String duration(Integer minutes) {
        if (minutes == null) {
            return "?";
        }
        RuleForm.Unit unit = RuleForm.unitOf(minutes);
        return t("automation.rules.duration." + unit.name(), minutes / unit.minutes);
    }

    /** A condition as a sentence: "Text contains price", "Contact field plan equals gold". */
    public static String condition(Rule.Condition condition) {
        if (condition == null) {
            return "";
        }
        String field = condition.field() == null ? "?" : t("automation.rules.field." + condition.field().name());
        if (condition.key() != null && !condition.key().isBlank()) {
            field = field + " " + condition.key();
        }
        String operator = condition.operator() == null ? "?" : t("automation.rules.operator." + condition.operator().name());
        return t("automation.rules.condition.words", field, operator, condition.value() == null ? "" : condition.value());
    }

    /** The text of a key, or null when the bundles have none (a field without a hint). */
    public static String optional(String key) {
        String text = t(key);
        return text.equals(key) ? null : text;
    }

    /** The triggers a rule may have, as the editor offers them. */
    public static List<TriggerKind> triggers() {
        return Arrays.asList(TriggerKind.values());
    }

    /** The events an "after an event" trigger may count from (those that are not time-based themselves). */
    public static List<TriggerKind> events() {
        return Arrays.stream(TriggerKind.values()).filter(k -> !k.timeBased()).toList();
    }

    public static List<Rule.ConditionField> fields() {
        return Arrays.asList(Rule.ConditionField.values());
    }

    public static List<Rule.Operator> operators() {
        return Arrays.asList(Rule.Operator.values());
    }

    public static List<Rule.ActionKind> actionKinds() {
        return Arrays.asList(Rule.ActionKind.values());
    }

    public static List<RuleForm.Unit> units() {
        return Arrays.asList(RuleForm.Unit.values());
    }
}
