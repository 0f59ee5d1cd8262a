package hexa.audit;

import hexa.platform.database.Sql;
import hexa.platform.privacy.RetentionPurge;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log's part of the daily purge: entries older than the workspace's log period go, in batches by the
 * time index, except those about a held contact. The table itself refuses to lose an entry younger than 180 days
 * (V2__audit.sql), whatever asks: the shortest log period Settings → Privacy accepts is 180 days.
 */
@Component
class AuditRetention implements RetentionPurge {

    static final int BATCH = 5_000;
    private static final String EXPIRED = """
            from audit_events where tenant_id = :tenant and occurred_at < :before
               and not (target_type = 'contact' and target_id = any(:held))
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    AuditRetention(JdbcClient jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    @Override
    public int order() {
        return 90;
    }

    @Override
    public Map<String, Long> purge(Rules rules, boolean dryRun) {
        String[] held = rules.held().stream().map(UUID::toString).toArray(String[]::new);
        if (dryRun) {
            return Map.of("audit_events", jdbc.sql("select count(*) " + EXPIRED).param("tenant", rules.tenantId())
                    .param("before", Sql.ts(rules.logsBefore())).param("held", held).query(Long.class).single());
        }
        long total = 0;
        while (true) {
            Integer n = transaction.execute(s -> jdbc.sql("delete from audit_events where (tenant_id, id) in (select tenant_id, id " + EXPIRED
                            + " order by occurred_at limit " + BATCH + ")")
                    .param("tenant", rules.tenantId()).param("before", Sql.ts(rules.logsBefore())).param("held", held).update());
            total += n;
            if (n < BATCH) {
                return Map.of("audit_events", total);
            }
        }
    }
}
