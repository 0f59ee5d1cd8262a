package hexa.automation.flows;

import hexa.platform.database.Sql;
import hexa.platform.privacy.RetentionPurge;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs expire with the messages: a run last moved before the message cutoff goes with its steps (not one of a held
 * contact), in batches, each its own transaction.
 */
@Component
class FlowsRetention implements RetentionPurge {

    static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    FlowsRetention(JdbcClient jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    @Override
    public int order() {
        return 15;
    }

    @Override
    public Map<String, Long> purge(Rules rules, boolean dryRun) {
        Map<String, Long> removed = new LinkedHashMap<>();
        if (rules.messagesBefore().isEmpty()) {
            return removed;
        }
        UUID tenant = rules.tenantId();
        Instant before = rules.messagesBefore().get();
        UUID[] held = rules.held().toArray(new UUID[0]);
        String expired = "select id from automation_flow_runs where tenant_id = :tenant and updated_at < :before and not (contact_id = any(:held))";
        if (dryRun) {
            removed.put("automation_flow_run_steps", jdbc.sql("select count(*) from automation_flow_run_steps where tenant_id = :tenant and run_id in ("
                    + expired + ")").param("tenant", tenant).param("before", Sql.ts(before)).param("held", held).query(Long.class).single());
            removed.put("automation_flow_runs", jdbc.sql("select count(*) from (" + expired + ") e")
                    .param("tenant", tenant).param("before", Sql.ts(before)).param("held", held).query(Long.class).single());
            return removed;
        }
        while (true) {
            Map<String, Long> batch = transaction.execute(s -> {
                UUID[] ids = jdbc.sql(expired + " limit " + BATCH + " for update skip locked").param("tenant", tenant).param("before", Sql.ts(before))
                        .param("held", held).query(UUID.class).list().toArray(new UUID[0]);
                Map<String, Long> done = new LinkedHashMap<>();
                done.put("automation_flow_run_steps", (long) jdbc.sql("delete from automation_flow_run_steps where tenant_id = :tenant and run_id = any(:ids)")
                        .param("tenant", tenant).param("ids", ids).update());
                done.put("automation_flow_runs", (long) jdbc.sql("delete from automation_flow_runs where tenant_id = :tenant and id = any(:ids)")
                        .param("tenant", tenant).param("ids", ids).update());
                return done;
            });
            batch.forEach((table, n) -> removed.merge(table, n, Long::sum));
            if (batch.get("automation_flow_runs") < BATCH) {
                return removed;
            }
        }
    }
}
