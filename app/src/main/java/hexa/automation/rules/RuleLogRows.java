package hexa.automation.rules;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code automation_rule_log} table: each time a rule was considered ({@link RuleLog}). */
@Repository
class RuleLogRows implements RuleLog {

    private final JdbcClient jdbc;
    private final RulePasses passes;

    RuleLogRows(JdbcClient jdbc, RulePasses passes) {
        this.jdbc = jdbc;
        this.passes = passes;
    }

    /** The rule's rows and its lines in the passes of the rules that did not fire ({@link RulePasses}), newest first. */
    @Override
    public List<Entry> of(UUID ruleId, Instant before, int limit) {
        UUID tenant = TenantContext.tenantId();
        int size = Math.max(1, Math.min(limit, 200));
        List<Entry> entries = new ArrayList<>(jdbc.sql("""
                select id, rule_id, at, conversation_id, contact_id, message_id, outcome, reason, actions::text as actions
                  from automation_rule_log
                 where tenant_id = :tenant and rule_id = :rule and (cast(:before as timestamptz) is null or at < :before)
                 order by at desc, id desc
                 limit :limit
                """)
                .param("tenant", tenant).param("rule", ruleId).param("before", before == null ? null : Sql.ts(before))
                .param("limit", size)
                .query(RuleLogRows::entry).list());
        entries.addAll(passes.of(tenant, ruleId, before, size));
        entries.sort(Comparator.comparing(Entry::at).thenComparing(Entry::id).reversed());
        return entries.size() > size ? List.copyOf(entries.subList(0, size)) : entries;
    }

    /** Writes one consideration; {@code replies} counts the messages it sent the customer (for the hourly limit). */
    Entry write(UUID tenant, UUID ruleId, Instant at, Facts facts, String outcome, String reason, List<ActionResult> actions, int replies) {
        return write(tenant, new Entry(Ids.newId(), ruleId, at, facts.conversationId(), facts.contactId(), facts.messageId(), outcome, reason, actions),
                replies);
    }

    Entry write(UUID tenant, Entry entry, int replies) {
        UUID ruleId = entry.ruleId();
        Instant at = entry.at();
        String outcome = entry.outcome();
        String reason = entry.reason();
        List<ActionResult> actions = entry.actions();
        jdbc.sql("""
                insert into automation_rule_log (tenant_id, id, rule_id, at, conversation_id, contact_id, message_id, outcome, reason, actions, replies)
                values (:tenant, :id, :rule, :at, :conversation, :contact, :message, :outcome, :reason, cast(:actions as jsonb), :replies)
                """)
                .param("tenant", tenant).param("id", entry.id()).param("rule", ruleId).param("at", Sql.ts(at))
                .param("conversation", entry.conversationId()).param("contact", entry.contactId()).param("message", entry.messageId())
                .param("outcome", outcome).param("reason", reason).param("actions", RuleJson.write(actions)).param("replies", replies)
                .update();
        return entry;
    }

    /** Automatic replies rules sent in the conversation (or to the contact, without one) since {@code since}. */
    int repliesSince(UUID tenant, UUID conversationId, UUID contactId, Instant since) {
        if (conversationId == null && contactId == null) {
            return 0;
        }
        return jdbc.sql(conversationId != null
                        ? "select coalesce(sum(replies), 0) from automation_rule_log where tenant_id = :tenant and conversation_id = :id and replies > 0 and at > :since"
                        : "select coalesce(sum(replies), 0) from automation_rule_log where tenant_id = :tenant and contact_id = :id and replies > 0 and at > :since")
                .param("tenant", tenant).param("id", conversationId != null ? conversationId : contactId).param("since", Sql.ts(since))
                .query(Integer.class).single();
    }

    /** When the rule last replied in the conversation, if it did within {@code within}. */
    Optional<Instant> lastReply(UUID tenant, UUID ruleId, UUID conversationId, Instant now, Duration within) {
        if (conversationId == null) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select max(at) as at from automation_rule_log
                 where tenant_id = :tenant and conversation_id = :conversation and rule_id = :rule and replies > 0 and at > :since
                """)
                .param("tenant", tenant).param("conversation", conversationId).param("rule", ruleId).param("since", Sql.ts(now.minus(within)))
                .query((rs, n) -> Optional.ofNullable(Sql.instant(rs, "at"))).single();
    }

    private static Entry entry(ResultSet rs, int row) throws SQLException {
        return new Entry(Sql.uuid(rs, "id"), Sql.uuid(rs, "rule_id"), Sql.instant(rs, "at"), Sql.uuid(rs, "conversation_id"), Sql.uuid(rs, "contact_id"),
                Sql.uuid(rs, "message_id"), rs.getString("outcome"), rs.getString("reason"), RuleJson.results(rs.getString("actions")));
    }
}
