package hexa.automation.rules;

import hexa.automation.rules.Rule.Condition;
import hexa.automation.rules.Rule.Operator;
import hexa.contacts.Contact;
import hexa.inbox.Conversation;
import hexa.platform.web.Text;
import hexa.whatsapp.ConnectionService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Whether a rule's conditions hold in a situation: each condition with its result and what it saw, in plain words
 * (the log and the test panel show them). Text is compared without regard to case; a pattern is a Java regular
 * expression found anywhere in the text (anchor it with ^ and $ to match the whole).
 */
@Component
class RuleConditions {

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private final ConnectionService connections;

    RuleConditions(ConnectionService connections) {
        this.connections = connections;
    }

    /**
     * A condition's result, and what it saw in plain words: worded only when asked (a log line, the test panel), since
     * most conditions are read for every message and their words are not needed.
     */
    record Check(Condition condition, boolean holds, Supplier<String> seen) {

        RuleTrials.ConditionResult result() {
            return new RuleTrials.ConditionResult(condition, holds, seen.get());
        }
    }

    /** Each condition's result, in order; with {@code ALL} it stops at the first that fails, with {@code ANY} at the first that holds. */
    List<Check> evaluate(Rule rule, Facts facts) {
        List<Check> results = new ArrayList<>();
        for (Condition condition : rule.conditions()) {
            Check result = check(condition, facts);
            results.add(result);
            if (rule.match() == Rule.Match.ALL && !result.holds() || rule.match() == Rule.Match.ANY && result.holds()) {
                break;
            }
        }
        return results;
    }

    static boolean hold(Rule rule, List<Check> results) {
        if (rule.conditions().isEmpty()) {
            return true;
        }
        return rule.match() == Rule.Match.ALL ? results.stream().allMatch(Check::holds) : results.stream().anyMatch(Check::holds);
    }

    /** One condition's result with its words, for the test panel. */
    RuleTrials.ConditionResult evaluate(Condition c, Facts facts) {
        return check(c, facts).result();
    }

    Check check(Condition c, Facts facts) {
        String value = c.value() == null ? "" : c.value().strip();
        switch (c.field()) {
            case TEXT -> {
                List<String> texts = facts.texts();
                List<String> lowered = facts.lowerTexts();
                String wanted = lower(value);
                boolean holds = switch (c.operator()) {
                    case CONTAINS -> lowered.stream().anyMatch(t -> t.contains(wanted));
                    case NOT_CONTAINS -> lowered.stream().noneMatch(t -> t.contains(wanted));
                    case EQUALS -> texts.stream().anyMatch(t -> t.strip().equalsIgnoreCase(value));
                    case NOT_EQUALS -> texts.stream().noneMatch(t -> t.strip().equalsIgnoreCase(value));
                    case MATCHES -> texts.stream().anyMatch(t -> pattern(value).matcher(t).find());
                    default -> false;
                };
                return result(c, holds, () -> texts.isEmpty() ? Text.t("automation.rules.seen.no-text")
                        : Text.t("automation.rules.seen.text", String.join(" / ", texts)));
            }
            case MESSAGE_TYPE -> {
                String type = facts.situation.message() == null ? "" : facts.situation.message().type().json();
                return result(c, is(c.operator(), type.equalsIgnoreCase(value)), () -> Text.t("automation.rules.seen.type", type.isEmpty() ? "—" : type));
            }
            case BUSINESS_HOURS -> {
                boolean open = facts.businessOpen();
                return result(c, is(c.operator(), value.equalsIgnoreCase(open ? "open" : "closed")),
                        () -> Text.t(open ? "automation.rules.seen.open" : "automation.rules.seen.closed"));
            }
            case WINDOW_OPEN -> {
                boolean open = facts.windowOpen();
                return result(c, is(c.operator(), Boolean.parseBoolean(value) == open),
                        () -> Text.t(open ? "automation.rules.seen.window-open" : "automation.rules.seen.window-closed"));
            }
            case FIRST_MESSAGE -> {
                boolean first = facts.firstMessage();
                return result(c, is(c.operator(), Boolean.parseBoolean(value) == first),
                        () -> Text.t(first ? "automation.rules.seen.first" : "automation.rules.seen.not-first"));
            }
            case TAG -> {
                List<String> tags = facts.tags();
                boolean has = tags.stream().anyMatch(t -> t.equalsIgnoreCase(value));
                boolean holds = c.operator() == Operator.IS || c.operator() == Operator.CONTAINS ? has : !has;
                return result(c, holds, () -> Text.t("automation.rules.seen.tags", tags.isEmpty() ? "—" : String.join(", ", tags)));
            }
            case ATTRIBUTE -> {
                Object raw = facts.contact().map(Contact::attributes).map(a -> a.get(c.key())).orElse(null);
                String actual = raw == null ? "" : String.valueOf(raw).strip();
                return result(c, compare(c.operator(), actual, value), () -> Text.t("automation.rules.seen.attribute", c.key(), actual.isEmpty() ? "—" : actual));
            }
            case LANGUAGE -> {
                // The contact's language is theirs to tell: the "language" attribute (WhatsApp does not say).
                Object raw = facts.contact().map(Contact::attributes).map(a -> a.get("language")).orElse(null);
                String actual = raw == null ? "" : String.valueOf(raw).strip();
                boolean same = actual.equalsIgnoreCase(value) || lower(actual).startsWith(lower(value) + "-") || lower(actual).startsWith(lower(value) + "_");
                return result(c, is(c.operator(), same), () -> Text.t("automation.rules.seen.language", actual.isEmpty() ? "—" : actual));
            }
            case CONSENT -> {
                String consent = facts.contact().map(x -> x.consent().marketing()).orElse("unknown");
                return result(c, is(c.operator(), consent.equalsIgnoreCase(value)), () -> Text.t("automation.rules.seen.consent", consent));
            }
            case ASSIGNEE -> {
                UUID assignee = facts.conversation().map(Conversation::assigneeId).orElse(null);
                return result(c, is(c.operator(), sameId(assignee, value)),
                        () -> Text.t("automation.rules.seen.assignee", assignee == null ? Text.t("automation.rules.seen.nobody") : assignee.toString()));
            }
            case TEAM -> {
                UUID team = facts.conversation().map(Conversation::teamId).orElse(null);
                return result(c, is(c.operator(), sameId(team, value)),
                        () -> Text.t("automation.rules.seen.team", team == null ? Text.t("automation.rules.seen.no-team") : team.toString()));
            }
            case NUMBER -> {
                UUID connection = facts.connectionId();
                boolean same = false;
                String shown = "—";
                if (connection != null) {
                    shown = connection.toString();
                    same = connection.toString().equalsIgnoreCase(value);
                    if (!same) {
                        try {
                            ConnectionService.View number = connections.connection(connection);
                            shown = number.displayPhoneNumber() != null ? number.displayPhoneNumber() : number.phoneNumberId();
                            same = value.equals(number.phoneNumberId()) || digits(value).equals(digits(number.displayPhoneNumber()));
                        } catch (RuntimeException e) {
                            same = false;
                        }
                    }
                }
                String number = shown;
                return result(c, is(c.operator(), same), () -> Text.t("automation.rules.seen.number", number));
            }
            default -> {
                return result(c, false, () -> "");
            }
        }
    }

    private static boolean compare(Operator operator, String actual, String value) {
        return switch (operator) {
            case CONTAINS -> lower(actual).contains(lower(value));
            case NOT_CONTAINS -> !lower(actual).contains(lower(value));
            case EQUALS, IS -> actual.equalsIgnoreCase(value);
            case NOT_EQUALS, IS_NOT -> !actual.equalsIgnoreCase(value);
            case MATCHES -> pattern(value).matcher(actual).find();
        };
    }

    /** IS and EQUALS keep the comparison; IS_NOT and NOT_EQUALS turn it round. */
    private static boolean is(Operator operator, boolean same) {
        return operator == Operator.IS_NOT || operator == Operator.NOT_EQUALS ? !same : same;
    }

    /** An id, or "none" (nobody), or "any" (somebody). */
    private static boolean sameId(UUID actual, String value) {
        if (value.isEmpty() || value.equalsIgnoreCase("none")) {
            return actual == null;
        }
        if (value.equalsIgnoreCase("any")) {
            return actual != null;
        }
        return actual != null && actual.toString().equalsIgnoreCase(value);
    }

    private static Check result(Condition c, boolean holds, Supplier<String> seen) {
        return new Check(c, holds, seen);
    }

    static Pattern pattern(String regex) {
        if (PATTERNS.size() > 10_000) {
            // Patterns of rules since changed or deleted: start again rather than keep them all.
            PATTERNS.clear();
        }
        return PATTERNS.computeIfAbsent(regex, r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    private static String digits(String text) {
        return text == null ? "" : text.replaceAll("[^0-9]", "");
    }
}
