package hexa.automation.rules;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.web.Text;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/**
 * The rules that did not fire, written compactly: one row per pass over a trigger's rules (tables
 * {@code automation_rule_sets} and {@code automation_rule_passes}, see V112) instead of a row per rule. A pass holds a
 * code per rule of its set ({@link #LOGGED}, {@link #NONE_HELD}, {@link #QUIET}, or the number of the condition that
 * failed) and what each failing condition saw, once per field. The rule's log ({@link RuleLogRows#of}) reads them back
 * as lines like the others.
 */
@Repository
class RulePasses {

    /** The rule has a row of its own in {@code automation_rule_log}: it fired, a safety blocked it, or it replied recently. */
    static final short LOGGED = 0;
    /** None of the rule's conditions held (match any). */
    static final short NONE_HELD = -1;
    /** The contact is blocked (or the message was one rules keep quiet about). */
    static final short QUIET = -2;
    /** How many of a rule's sets its log looks through (a set is made each time the trigger's rules change). */
    static final int SETS_READ = 50;

    /** The enabled rules of a trigger, in order, as one pass goes through them. */
    record Lineup(UUID setId, List<Rule> rules) {
    }

    /** One pass to write: a code per rule of the set (null: not considered), and what the failing conditions saw. */
    record Pass(UUID setId, Instant at, UUID conversationId, UUID contactId, UUID messageId, Short[] outcomes, Map<String, String> seen) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate own;

    RulePasses(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * The set of these rules (found, or made in a transaction of its own: nodes cache its id, so it must outlive the
     * caller's transaction whatever becomes of it).
     */
    Lineup lineup(UUID tenant, Rule.TriggerKind trigger, List<Rule> rules, Instant now) {
        List<List<Rule.Condition>> conditions = rules.stream().map(Rule::conditions).toList();
        UUID[] ids = rules.stream().map(Rule::id).toArray(UUID[]::new);
        String digest = digest(trigger.name() + "|" + String.join(",", rules.stream().map(r -> r.id().toString()).toList()) + "|"
                + RuleJson.write(conditions));
        UUID id = own.execute(status -> {
            jdbc.sql("""
                    insert into automation_rule_sets (tenant_id, id, trigger_kind, digest, rule_ids, conditions, created_at)
                    values (:tenant, :id, :trigger, :digest, :ids, cast(:conditions as jsonb), :now)
                    on conflict (tenant_id, digest) do nothing
                    """)
                    .param("tenant", tenant).param("id", Ids.newId()).param("trigger", trigger.name()).param("digest", digest).param("ids", ids)
                    .param("conditions", RuleJson.write(conditions)).param("now", Sql.ts(now)).update();
            return jdbc.sql("select id from automation_rule_sets where tenant_id = :tenant and digest = :digest")
                    .param("tenant", tenant).param("digest", digest).query(UUID.class).single();
        });
        return new Lineup(id, rules);
    }

    /** Writes the passes in one statement. */
    void write(UUID tenant, List<Pass> passes) {
        if (passes.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder(
                "insert into automation_rule_passes (tenant_id, id, set_id, at, conversation_id, contact_id, message_id, outcomes, seen) values ");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenant);
        for (int i = 0; i < passes.size(); i++) {
            Pass p = passes.get(i);
            if (i > 0) {
                sql.append(", ");
            }
            sql.append("(:tenant, :id").append(i).append(", :set").append(i).append(", :at").append(i).append(", :conversation").append(i)
                    .append(", :contact").append(i).append(", :message").append(i).append(", cast(:outcomes").append(i)
                    .append(" as smallint[]), cast(:seen").append(i).append(" as jsonb))");
            params.put("id" + i, Ids.newId());
            params.put("set" + i, p.setId());
            params.put("at" + i, Sql.ts(p.at()));
            params.put("conversation" + i, p.conversationId());
            params.put("contact" + i, p.contactId());
            params.put("message" + i, p.messageId());
            params.put("outcomes" + i, p.outcomes());
            params.put("seen" + i, RuleJson.write(p.seen()));
        }
        jdbc.sql(sql.toString()).params(params).update();
    }

    /** The rule's lines from passes, newest first, before {@code before} (null: from the newest). */
    List<RuleLog.Entry> of(UUID tenant, UUID ruleId, Instant before, int limit) {
        record SetOfRule(UUID id, int index, List<List<Rule.Condition>> conditions) {
        }
        List<SetOfRule> sets = jdbc.sql("""
                select id, array_position(rule_ids, :rule) as index, conditions::text as conditions
                  from automation_rule_sets
                 where tenant_id = :tenant and :rule = any(rule_ids)
                 order by created_at desc
                 limit :sets
                """)
                .param("tenant", tenant).param("rule", ruleId).param("sets", SETS_READ)
                .query((rs, n) -> new SetOfRule(Sql.uuid(rs, "id"), rs.getInt("index"),
                        RuleJson.JSON.readValue(rs.getString("conditions"), new TypeReference<List<List<Rule.Condition>>>() { })))
                .list();
        List<RuleLog.Entry> entries = new ArrayList<>();
        for (SetOfRule set : sets) {
            List<Rule.Condition> conditions = set.conditions().get(set.index() - 1);
            entries.addAll(jdbc.sql("""
                    select id, at, conversation_id, contact_id, message_id, outcomes[:index] as code, seen::text as seen
                      from automation_rule_passes
                     where tenant_id = :tenant and set_id = :set and (cast(:before as timestamptz) is null or at < :before)
                       and outcomes[:index] <> 0
                     order by at desc, id desc
                     limit :limit
                    """)
                    .param("tenant", tenant).param("set", set.id()).param("index", set.index())
                    .param("before", before == null ? null : Sql.ts(before)).param("limit", limit)
                    .query((rs, n) -> entry(rs, ruleId, conditions)).list());
        }
        return entries;
    }

    private static RuleLog.Entry entry(ResultSet rs, UUID ruleId, List<Rule.Condition> conditions) throws SQLException {
        short code = rs.getShort("code");
        Map<String, String> seen = RuleJson.JSON.readValue(rs.getString("seen"), new TypeReference<Map<String, String>>() { });
        String outcome = code == QUIET ? RuleEngine.BLOCKED : RuleEngine.SKIPPED;
        String reason;
        if (code == QUIET) {
            reason = Text.t("automation.rules.blocked.quiet");
        } else if (code == NONE_HELD || code < 1 || code > conditions.size()) {
            reason = Text.t("automation.rules.skipped.none-held");
        } else {
            Rule.Condition failed = conditions.get(code - 1);
            reason = Text.t("automation.rules.skipped.condition", code, RuleEngine.describe(failed), seen.getOrDefault(seenKey(failed), "—"));
        }
        return new RuleLog.Entry(Sql.uuid(rs, "id"), ruleId, Sql.instant(rs, "at"), Sql.uuid(rs, "conversation_id"), Sql.uuid(rs, "contact_id"),
                Sql.uuid(rs, "message_id"), outcome, reason, List.of());
    }

    /** What a condition saw is the same for every condition on its field (and attribute): kept once per pass under this key. */
    static String seenKey(Rule.Condition condition) {
        return condition.field() == Rule.ConditionField.ATTRIBUTE ? "ATTRIBUTE:" + condition.key() : condition.field().name();
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
