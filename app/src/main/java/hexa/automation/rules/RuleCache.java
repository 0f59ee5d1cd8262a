package hexa.automation.rules;

import hexa.automation.rules.Rule.TriggerKind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The workspace's rules, kept in memory on each node and read again when they changed anywhere: a trigger on
 * {@code automation_rules} moves {@code automation_settings.rules_version} (V112), and each look costs that one
 * number instead of reading and parsing every rule for every message.
 */
@Component
class RuleCache {

    /** A workspace's rules as of {@code version}: the enabled ones by trigger (as lineups of the log), and the time-based ones. */
    record Book(long version, Map<TriggerKind, RulePasses.Lineup> enabled, List<Rule> timed) {

        RulePasses.Lineup enabled(TriggerKind trigger) {
            return enabled.get(trigger);
        }

        /** What the conditions of a trigger's enabled rules read. */
        Set<Rule.ConditionField> reads(TriggerKind trigger) {
            RulePasses.Lineup lineup = enabled.get(trigger);
            Set<Rule.ConditionField> fields = EnumSet.noneOf(Rule.ConditionField.class);
            if (lineup != null) {
                lineup.rules().forEach(r -> r.conditions().forEach(c -> fields.add(c.field())));
            }
            return fields;
        }
    }

    private final JdbcClient jdbc;
    private final RuleRows rows;
    private final RulePasses passes;
    private final Clock clock;
    private final Map<UUID, Book> books = new ConcurrentHashMap<>();

    RuleCache(JdbcClient jdbc, RuleRows rows, RulePasses passes, Clock clock) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.passes = passes;
        this.clock = clock;
    }

    Book of(UUID tenant) {
        long version = jdbc.sql("select rules_version from automation_settings where tenant_id = :tenant")
                .param("tenant", tenant).query(Long.class).optional().orElse(0L);
        Book book = books.get(tenant);
        if (book != null && book.version() == version) {
            return book;
        }
        // Read after the version: a change committed in between makes the next look read again.
        List<Rule> all = rows.all(tenant);
        Map<TriggerKind, List<Rule>> byTrigger = new EnumMap<>(TriggerKind.class);
        List<Rule> timed = new ArrayList<>();
        for (Rule rule : all) {
            if (rule.trigger().kind().timeBased() && rule.trigger().kind() != TriggerKind.SCHEDULE) {
                timed.add(rule);
            }
            if (rule.enabled() && !BuiltInRules.CONSENT_KEYWORDS.equals(rule.builtIn())) {
                byTrigger.computeIfAbsent(rule.trigger().kind(), k -> new ArrayList<>()).add(rule);
            }
        }
        Map<TriggerKind, RulePasses.Lineup> enabled = new EnumMap<>(TriggerKind.class);
        byTrigger.forEach((trigger, rules) -> enabled.put(trigger, passes.lineup(tenant, trigger, List.copyOf(rules), clock.instant())));
        book = new Book(version, enabled, List.copyOf(timed));
        books.put(tenant, book);
        return book;
    }

    /** Forgets a workspace whose rows were deleted. */
    void forget(UUID tenant) {
        books.remove(tenant);
    }
}
