package hexa.automation.rules;

import hexa.automation.rules.Rule.Action;
import hexa.automation.rules.Rule.ActionKind;
import hexa.automation.rules.Rule.Condition;
import hexa.automation.rules.Rule.ConditionField;
import hexa.automation.rules.Rule.Operator;
import hexa.automation.rules.Rule.TriggerKind;
import hexa.platform.outbound.OutboundCalls;
import hexa.platform.web.UserError;
import hexa.whatsapp.MessageType;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.scheduling.support.CronExpression;

/**
 * What a rule must be to be saved, checked in one place for the pages and the API: each broken check is a
 * {@link UserError} that names the part (the third condition, the second action) and what is wrong with it.
 */
final class RuleChecks {

    static final int MAX_NAME = 100;
    static final int MAX_CONDITIONS = 20;
    static final int MAX_ACTIONS = 10;
    static final int MAX_TEXT = 4096;
    static final int MAX_PATTERN = 500;
    static final int MAX_BUTTONS = 3;
    static final int MAX_BUTTON_TITLE = 20;
    static final int MAX_ROWS = 10;
    static final int MAX_ROW_TITLE = 24;
    static final Set<String> MEDIA_KINDS = Set.of("image", "video", "audio", "document", "sticker");
    static final Set<String> CONSENT = Set.of("opted_in", "opted_out", "unknown");
    static final Set<String> STATUSES = Set.of("OPEN", "PENDING", "RESOLVED");
    private static final Set<Operator> TEXT_OPERATORS = EnumSet.of(Operator.CONTAINS, Operator.NOT_CONTAINS, Operator.EQUALS,
            Operator.NOT_EQUALS, Operator.MATCHES);
    private static final Set<Operator> IS_OPERATORS = EnumSet.of(Operator.IS, Operator.IS_NOT, Operator.EQUALS, Operator.NOT_EQUALS);

    private RuleChecks() {
    }

    static Rule check(Rule rule) {
        String name = rule.name() == null ? "" : rule.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw invalid("name", MAX_NAME);
        }
        if (rule.trigger() == null || rule.trigger().kind() == null) {
            throw invalid("trigger-missing");
        }
        checkTrigger(rule.trigger());
        if (rule.conditions().size() > MAX_CONDITIONS) {
            throw invalid("too-many-conditions", MAX_CONDITIONS);
        }
        for (int i = 0; i < rule.conditions().size(); i++) {
            checkCondition(i + 1, rule.conditions().get(i));
        }
        if (rule.actions().isEmpty()) {
            throw invalid("no-action");
        }
        if (rule.actions().size() > MAX_ACTIONS) {
            throw invalid("too-many-actions", MAX_ACTIONS);
        }
        for (int i = 0; i < rule.actions().size(); i++) {
            checkAction(i + 1, rule.actions().get(i));
        }
        return new Rule(rule.id(), name, rule.position(), rule.enabled(), rule.stopAfter(), rule.trigger(), rule.match(), rule.conditions(),
                rule.actions(), rule.builtIn(), rule.createdAt(), rule.updatedAt());
    }

    /**
     * The webhook addresses must be ones the server may call (the public internet, or what the operator allowed): a
     * rule may not make the server reach into its own network. Checked again when the rule calls.
     */
    static void checkAddresses(Rule rule, OutboundCalls outbound) {
        for (int i = 0; i < rule.actions().size(); i++) {
            Action action = rule.actions().get(i);
            if (action.kind() == ActionKind.CALL_WEBHOOK) {
                int n = i + 1;
                outbound.refusal(action.option("url")).ifPresent(reason -> {
                    throw invalid("action-url-refused", n, reason);
                });
            }
        }
    }

    private static void checkTrigger(Rule.Trigger trigger) {
        TriggerKind kind = trigger.kind();
        switch (kind) {
            case NO_AGENT_REPLY, NO_CUSTOMER_REPLY -> minutes(trigger);
            case AFTER_EVENT -> {
                minutes(trigger);
                if (trigger.event() == null || trigger.event().timeBased()) {
                    throw invalid("trigger-event");
                }
            }
            case SCHEDULE -> {
                String cron = trigger.cron() == null ? "" : trigger.cron().strip();
                if (!CronExpression.isValidExpression(cron)) {
                    throw invalid("trigger-cron", cron);
                }
            }
            default -> {
            }
        }
    }

    private static void minutes(Rule.Trigger trigger) {
        if (trigger.minutes() == null || trigger.minutes() < 1 || trigger.minutes() > 60 * 24 * 365) {
            throw invalid("trigger-minutes");
        }
    }

    private static void checkCondition(int n, Condition c) {
        if (c == null || c.field() == null) {
            throw invalid("condition-field", n);
        }
        if (c.operator() == null) {
            throw invalid("condition-operator", n);
        }
        String value = c.value() == null ? "" : c.value().strip();
        ConditionField field = c.field();
        Set<Operator> allowed = field == ConditionField.TEXT || field == ConditionField.ATTRIBUTE ? TEXT_OPERATORS
                : field == ConditionField.TAG ? EnumSet.of(Operator.IS, Operator.IS_NOT, Operator.CONTAINS, Operator.NOT_CONTAINS)
                : IS_OPERATORS;
        if (field == ConditionField.ATTRIBUTE) {
            allowed = EnumSet.copyOf(allowed);
            allowed.addAll(IS_OPERATORS);
        }
        if (!allowed.contains(c.operator())) {
            throw invalid("condition-operator-field", n, c.operator().name(), field.name());
        }
        if (field == ConditionField.ATTRIBUTE && (c.key() == null || c.key().isBlank())) {
            throw invalid("condition-key", n);
        }
        if (value.isEmpty() && field != ConditionField.ATTRIBUTE && field != ConditionField.ASSIGNEE && field != ConditionField.TEAM) {
            throw invalid("condition-value", n);
        }
        if (c.operator() == Operator.MATCHES) {
            if (value.length() > MAX_PATTERN) {
                throw invalid("condition-pattern-long", n, MAX_PATTERN);
            }
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw invalid("condition-pattern", n, e.getDescription());
            }
        }
        switch (field) {
            case BUSINESS_HOURS -> oneOf(n, value, Set.of("open", "closed"));
            case WINDOW_OPEN, FIRST_MESSAGE -> oneOf(n, value, Set.of("true", "false"));
            case CONSENT -> oneOf(n, value, CONSENT);
            case MESSAGE_TYPE -> {
                if (MessageType.of(value) == MessageType.UNSUPPORTED && !"unsupported".equalsIgnoreCase(value)) {
                    throw invalid("condition-message-type", n, value);
                }
            }
            case ASSIGNEE, TEAM -> {
                if (!value.isEmpty() && !value.equalsIgnoreCase("none") && !value.equalsIgnoreCase("any")) {
                    uuid(value, () -> invalid("condition-id", n, value));
                }
            }
            default -> {
            }
        }
    }

    private static void oneOf(int n, String value, Set<String> values) {
        if (!values.contains(value.toLowerCase(Locale.ROOT))) {
            throw invalid("condition-one-of", n, String.join(", ", new java.util.TreeSet<>(values)));
        }
    }

    private static void checkAction(int n, Action a) {
        if (a == null || a.kind() == null) {
            throw invalid("action-kind", n);
        }
        ActionKind kind = a.kind();
        switch (kind) {
            case REPLY_TEXT -> text(n, a, "text", MAX_TEXT);
            case REPLY_MEDIA -> {
                String media = required(n, a, "kind").toLowerCase(Locale.ROOT);
                if (!MEDIA_KINDS.contains(media)) {
                    throw invalid("action-media-kind", n, String.join(", ", new java.util.TreeSet<>(MEDIA_KINDS)));
                }
                required(n, a, "uploadId");
            }
            case REPLY_BUTTONS -> {
                text(n, a, "text", 1024);
                List<RuleActions.Choice> buttons = RuleActions.choices(required(n, a, "buttons"));
                if (buttons.isEmpty() || buttons.size() > MAX_BUTTONS
                        || buttons.stream().anyMatch(b -> b.title().isEmpty() || b.title().length() > MAX_BUTTON_TITLE)) {
                    throw invalid("action-buttons", n, MAX_BUTTONS, MAX_BUTTON_TITLE);
                }
            }
            case REPLY_LIST -> {
                text(n, a, "text", 1024);
                text(n, a, "button", MAX_BUTTON_TITLE);
                List<RuleActions.Choice> rows = RuleActions.choices(required(n, a, "rows"));
                if (rows.isEmpty() || rows.size() > MAX_ROWS
                        || rows.stream().anyMatch(r -> r.title().isEmpty() || r.title().length() > MAX_ROW_TITLE)) {
                    throw invalid("action-rows", n, MAX_ROWS, MAX_ROW_TITLE);
                }
            }
            case REPLY_TEMPLATE -> {
                required(n, a, "name");
                required(n, a, "language");
            }
            case ASSIGN_MEMBER -> uuid(required(n, a, "memberId"), () -> invalid("action-id", n, "memberId"));
            case ASSIGN_TEAM -> uuid(required(n, a, "teamId"), () -> invalid("action-id", n, "teamId"));
            case ASSIGN_ROUND_ROBIN -> {
                String team = a.option("teamId");
                if (team != null && !team.isBlank()) {
                    uuid(team, () -> invalid("action-id", n, "teamId"));
                }
            }
            case ADD_TAG, REMOVE_TAG -> text(n, a, "tag", 50);
            case SET_ATTRIBUTE -> required(n, a, "key");
            case SET_STATUS -> {
                if (!STATUSES.contains(required(n, a, "status").toUpperCase(Locale.ROOT))) {
                    throw invalid("action-status", n);
                }
            }
            case SNOOZE -> {
                int minutes = number(required(n, a, "minutes"));
                if (minutes < 1 || minutes > 60 * 24 * 365) {
                    throw invalid("action-snooze", n);
                }
            }
            case ADD_NOTE -> text(n, a, "text", 4000);
            case NOTIFY -> {
                List<String> ids = RuleActions.list(required(n, a, "memberIds"));
                if (ids.isEmpty()) {
                    throw invalid("action-required", n, "memberIds");
                }
                ids.forEach(id -> uuid(id, () -> invalid("action-id", n, "memberIds")));
            }
            case CALL_WEBHOOK -> {
                String url = required(n, a, "url");
                try {
                    URI uri = new URI(url);
                    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                        throw invalid("action-url", n);
                    }
                } catch (java.net.URISyntaxException e) {
                    throw invalid("action-url", n);
                }
            }
            case START_FLOW -> uuid(required(n, a, "flowId"), () -> invalid("action-id", n, "flowId"));
            default -> {
            }
        }
        String every = a.option("onceEveryHours");
        if (every != null && !every.isBlank()) {
            int hours = number(every);
            if (hours < 1 || hours > 24 * 30) {
                throw invalid("action-once-every", n);
            }
        }
    }

    private static String required(int n, Action a, String option) {
        String value = a.option(option);
        if (value == null || value.isBlank()) {
            throw invalid("action-required", n, option);
        }
        return value.strip();
    }

    private static void text(int n, Action a, String option, int max) {
        String value = required(n, a, option);
        if (value.length() > max) {
            throw invalid("action-too-long", n, option, max);
        }
    }

    private static int number(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static UUID uuid(String value, java.util.function.Supplier<UserError> error) {
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw error.get();
        }
    }

    static UserError invalid(String key, Object... args) {
        return UserError.invalid("automation.rules.invalid." + key, args);
    }
}
