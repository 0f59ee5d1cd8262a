package hexa.automation.rules.pages;

import hexa.automation.rules.Rule;
import hexa.automation.rules.Rule.ActionKind;
import hexa.automation.rules.Rule.ConditionField;
import hexa.automation.rules.Rule.Operator;
import hexa.automation.rules.Rule.TriggerKind;
import hexa.platform.web.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The rule editor's form as typed: every field kept as text, so that a rule the book refuses comes back exactly as it
 * was written. Rows of conditions and actions are numbered fields ({@code condition-0-value}, {@code action-1-text});
 * adding or removing a row is a round trip to the server, so the editor needs no script.
 */
public final class RuleForm {

    /** Units the delay of a time-based trigger is typed in. */
    public enum Unit {
        MINUTES(1), HOURS(60), DAYS(1440);

        final int minutes;

        Unit(int minutes) {
            this.minutes = minutes;
        }
    }

    public record ConditionRow(String field, String key, String operator, String value) {

        public boolean needsKey() {
            return ConditionField.ATTRIBUTE.name().equals(field);
        }
    }

    public record ActionRow(ActionKind kind, Map<String, String> options) {

        public String option(String name) {
            String value = options.get(name);
            return value == null ? "" : value;
        }

        public List<ActionFields.Field> fields() {
            return ActionFields.of(kind);
        }

        /** Options set elsewhere (the API) that the editor has no field for: kept in hidden fields. */
        public List<String> extras() {
            return options.keySet().stream().filter(o -> ActionFields.field(kind, o).isEmpty()).sorted().toList();
        }

        /** Whether a multiple choice (the members to notify) includes {@code value}. */
        public boolean chosen(String name, String value) {
            return Arrays.asList(option(name).split(",")).contains(value);
        }
    }

    static final int MAX_ROWS = 30;

    /** The editor's one field for a template's body parameters (the engine's options body.1, body.2…). */
    static final String PARAMETERS = "parameters";

    private String name = "";
    private boolean enabled = true;
    private boolean stopAfter;
    private String match = Rule.Match.ALL.name();
    private String trigger = TriggerKind.MESSAGE_RECEIVED.name();
    private String delay = "10";
    private String delayUnit = Unit.MINUTES.name();
    private String event = TriggerKind.CONVERSATION_RESOLVED.name();
    private String cron = "";
    private final List<ConditionRow> conditions = new ArrayList<>();
    private final List<ActionRow> actions = new ArrayList<>();
    private String trialConversation = "";
    private String trialSearch = "";

    /** A new rule: on a message received, enabled, no conditions and no actions yet. */
    public static RuleForm blank() {
        return new RuleForm();
    }

    /** The form of a stored rule. */
    public static RuleForm of(Rule rule) {
        RuleForm form = new RuleForm();
        form.name = rule.name() == null ? "" : rule.name();
        form.enabled = rule.enabled();
        form.stopAfter = rule.stopAfter();
        form.match = rule.match().name();
        if (rule.trigger() != null) {
            Rule.Trigger trigger = rule.trigger();
            form.trigger = trigger.kind() == null ? form.trigger : trigger.kind().name();
            if (trigger.minutes() != null) {
                Unit unit = unitOf(trigger.minutes());
                form.delayUnit = unit.name();
                form.delay = String.valueOf(trigger.minutes() / unit.minutes);
            }
            if (trigger.event() != null) {
                form.event = trigger.event().name();
            }
            form.cron = trigger.cron() == null ? "" : trigger.cron();
        }
        for (Rule.Condition c : rule.conditions()) {
            form.conditions.add(new ConditionRow(c.field() == null ? "" : c.field().name(), text(c.key()),
                    c.operator() == null ? "" : c.operator().name(), text(c.value())));
        }
        for (Rule.Action a : rule.actions()) {
            Map<String, String> options = new LinkedHashMap<>(a.options());
            if (a.kind() == ActionKind.REPLY_TEMPLATE) {
                // The engine reads a template's body parameters from body.1, body.2…; the editor shows them as lines.
                List<String> keys = options.keySet().stream().filter(k -> k.matches("body\\.[0-9]+"))
                        .sorted(java.util.Comparator.comparingInt(k -> Integer.parseInt(k.substring(5)))).toList();
                options.put(PARAMETERS, String.join("\n", keys.stream().map(options::get).toList()));
                keys.forEach(options::remove);
            }
            form.actions.add(new ActionRow(a.kind(), options));
        }
        return form;
    }

    /** The form as the browser sent it. */
    public static RuleForm read(Map<String, String[]> params) {
        RuleForm form = new RuleForm();
        form.name = one(params, "name");
        form.enabled = params.containsKey("enabled");
        form.stopAfter = params.containsKey("stopAfter");
        form.match = one(params, "match", form.match);
        form.trigger = one(params, "trigger", form.trigger);
        form.delay = one(params, "delay");
        form.delayUnit = one(params, "delayUnit", form.delayUnit);
        form.event = one(params, "event", form.event);
        form.cron = one(params, "cron");
        for (int i = 0; i < MAX_ROWS && params.containsKey("condition-" + i + "-field"); i++) {
            String p = "condition-" + i + "-";
            form.conditions.add(new ConditionRow(one(params, p + "field"), one(params, p + "key"), one(params, p + "operator"), one(params, p + "value")));
        }
        for (int i = 0; i < MAX_ROWS && params.containsKey("action-" + i); i++) {
            String p = "action-" + i + "-";
            ActionKind kind = parse(ActionKind.class, one(params, "action-" + i));
            Map<String, String> options = new LinkedHashMap<>();
            for (ActionFields.Field field : ActionFields.of(kind)) {
                options.put(field.name(), "");
            }
            // Options the editor shows no field for (set through the API) ride along in hidden fields, kept as they were.
            params.forEach((param, values) -> {
                if (param.startsWith(p) && values.length > 0) {
                    String option = param.substring(p.length());
                    boolean lines = ActionFields.field(kind, option).map(f -> f.input() == ActionFields.Input.LINES).orElse(false);
                    boolean many = ActionFields.field(kind, option).map(f -> f.input() == ActionFields.Input.MEMBERS).orElse(false);
                    options.put(option, lines ? values[0].replace("\r\n", "\n").strip()
                            : many ? String.join(",", Arrays.stream(values).map(String::strip).filter(v -> !v.isEmpty()).toList())
                            : values[0].strip());
                }
            });
            form.actions.add(new ActionRow(kind, options));
        }
        form.trialConversation = one(params, "trialConversation");
        form.trialSearch = one(params, "trialSearch");
        return form;
    }

    /**
     * The rule as typed, for the book to check and keep ({@code id} null for a new one). Only what the book cannot be
     * given at all is refused here: a delay that is not a number, a choice that is not one of the list.
     */
    public Rule toRule(UUID id) {
        TriggerKind kind = parse(TriggerKind.class, trigger);
        Integer minutes = null;
        TriggerKind after = null;
        String schedule = null;
        if (kind == TriggerKind.NO_AGENT_REPLY || kind == TriggerKind.NO_CUSTOMER_REPLY || kind == TriggerKind.AFTER_EVENT) {
            minutes = minutes();
        }
        if (kind == TriggerKind.AFTER_EVENT) {
            after = parse(TriggerKind.class, event);
        }
        if (kind == TriggerKind.SCHEDULE) {
            schedule = cron.strip();
        }
        List<Rule.Condition> typedConditions = conditions.stream()
                .map(c -> new Rule.Condition(parse(ConditionField.class, c.field()), blankToNull(c.key()), parse(Operator.class, c.operator()),
                        c.value()))
                .toList();
        List<Rule.Action> typedActions = actions.stream().map(a -> {
            Map<String, String> options = new LinkedHashMap<>();
            a.options().forEach((k, v) -> {
                if (v != null && !v.isBlank()) {
                    options.put(k, v);
                }
            });
            String parameters = options.remove(PARAMETERS);
            if (a.kind() == ActionKind.REPLY_TEMPLATE && parameters != null) {
                List<String> lines = parameters.lines().map(String::strip).toList();
                for (int n = 0; n < lines.size(); n++) {
                    options.put("body." + (n + 1), lines.get(n));
                }
            }
            return new Rule.Action(a.kind(), options);
        }).toList();
        return new Rule(id, name.strip(), 0, enabled, stopAfter, new Rule.Trigger(kind, minutes, after, schedule),
                parse(Rule.Match.class, match), typedConditions, typedActions, null, null, null);
    }

    private Integer minutes() {
        Unit unit = parse(Unit.class, delayUnit);
        try {
            long amount = Long.parseLong(delay.strip());
            long total = amount * unit.minutes;
            if (amount <= 0 || total > Integer.MAX_VALUE) {
                throw UserError.invalid("automation.rules.form.delay-invalid", delay);
            }
            return (int) total;
        } catch (NumberFormatException e) {
            throw UserError.invalid("automation.rules.form.delay-invalid", delay);
        }
    }

    public void addCondition() {
        if (conditions.size() < MAX_ROWS) {
            conditions.add(new ConditionRow(ConditionField.TEXT.name(), "", Operator.CONTAINS.name(), ""));
        }
    }

    public void removeCondition(int index) {
        if (index >= 0 && index < conditions.size()) {
            conditions.remove(index);
        }
    }

    public void addAction(String kind) {
        if (actions.size() < MAX_ROWS) {
            actions.add(new ActionRow(parse(ActionKind.class, kind), new LinkedHashMap<>()));
        }
    }

    public void removeAction(int index) {
        if (index >= 0 && index < actions.size()) {
            actions.remove(index);
        }
    }

    /** Moves an action one place up ({@code -1}) or down ({@code 1}). */
    public void moveAction(int index, int by) {
        int to = index + by;
        if (index >= 0 && index < actions.size() && to >= 0 && to < actions.size()) {
            actions.add(to, actions.remove(index));
        }
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean stopAfter() {
        return stopAfter;
    }

    public String match() {
        return match;
    }

    public String trigger() {
        return trigger;
    }

    public boolean timeBased() {
        try {
            return TriggerKind.valueOf(trigger).timeBased();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public String delay() {
        return delay;
    }

    public String delayUnit() {
        return delayUnit;
    }

    public String event() {
        return event;
    }

    public String cron() {
        return cron;
    }

    public List<ConditionRow> conditions() {
        return conditions;
    }

    public List<ActionRow> actions() {
        return actions;
    }

    public String trialConversation() {
        return trialConversation;
    }

    public String trialSearch() {
        return trialSearch;
    }

    static Unit unitOf(int minutes) {
        if (minutes % Unit.DAYS.minutes == 0) {
            return Unit.DAYS;
        }
        return minutes % Unit.HOURS.minutes == 0 ? Unit.HOURS : Unit.MINUTES;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value == null ? "" : value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw UserError.invalid("automation.rules.form.choice-invalid", value == null ? "" : value);
        }
    }

    private static String one(Map<String, String[]> params, String name) {
        return one(params, name, "");
    }

    private static String one(Map<String, String[]> params, String name, String fallback) {
        String[] values = params.get(name);
        return values == null || values.length == 0 || values[0] == null ? fallback : values[0];
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
