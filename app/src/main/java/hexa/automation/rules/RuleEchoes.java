package hexa.automation.rules;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The loop guard's marks: a rule's action that raises an event rules listen to (a tag added, an assignment, a status)
 * leaves, in the action's transaction, the chain of rules that led to it; the event's consideration takes the mark and
 * carries the chain on. A rule already in the chain, or a chain {@link #MAX_DEPTH} rules long, does not fire again.
 */
@Repository
class RuleEchoes {

    static final int MAX_DEPTH = 3;
    /** Events arrive within seconds; an older mark is left over (its event raised no consideration) and ignored. */
    static final Duration FRESH = Duration.ofMinutes(10);

    private final JdbcClient jdbc;

    RuleEchoes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void mark(UUID tenant, UUID subjectId, Rule.TriggerKind trigger, List<UUID> chain, Instant now) {
        if (subjectId == null) {
            return;
        }
        jdbc.sql("""
                insert into automation_rule_echoes (tenant_id, id, subject_id, trigger_kind, chain, created_at)
                values (:tenant, :id, :subject, :trigger, :chain, :now)
                """)
                .param("tenant", tenant).param("id", Ids.newId()).param("subject", subjectId).param("trigger", trigger.name())
                .param("chain", chain.toArray(new UUID[0])).param("now", Sql.ts(now)).update();
    }

    /** Takes the marks of an event that arrived: the longest chain of rules that caused it, or none when people did. */
    List<UUID> take(UUID tenant, UUID subjectId, Rule.TriggerKind trigger, Instant now) {
        if (subjectId == null) {
            return List.of();
        }
        List<UUID[]> chains = jdbc.sql("""
                delete from automation_rule_echoes
                 where tenant_id = :tenant and subject_id = :subject and trigger_kind = :trigger
                returning chain, created_at
                """)
                .param("tenant", tenant).param("subject", subjectId).param("trigger", trigger.name())
                .query((rs, n) -> Sql.instant(rs, "created_at").isAfter(now.minus(FRESH)) ? (UUID[]) rs.getArray("chain").getArray() : new UUID[0])
                .list();
        List<UUID> longest = new ArrayList<>();
        for (UUID[] chain : chains) {
            if (chain.length > longest.size()) {
                longest = new ArrayList<>(Arrays.asList(chain));
            }
        }
        return longest;
    }

    /** Forgets marks older than {@code before} (the retention purge). */
    long purge(UUID tenant, Instant before, boolean dryRun) {
        String where = " from automation_rule_echoes where tenant_id = :tenant and created_at < :before";
        return dryRun ? jdbc.sql("select count(*)" + where).param("tenant", tenant).param("before", Sql.ts(before)).query(Long.class).single()
                : jdbc.sql("delete" + where).param("tenant", tenant).param("before", Sql.ts(before)).update();
    }
}
