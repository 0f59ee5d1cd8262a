package hexa.privacy;

import hexa.platform.database.Sql;
import hexa.platform.privacy.RetentionPurge;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The privacy module's own expiring rows: released legal holds and purge runs older than the logs' period. */
@Component
class PrivacyRetention implements RetentionPurge {

    private final JdbcClient jdbc;

    PrivacyRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int order() {
        return 95;
    }

    @Override
    public Map<String, Long> purge(Rules rules, boolean dryRun) {
        Map<String, Long> removed = new LinkedHashMap<>();
        String holds = "from privacy_legal_holds where tenant_id = :tenant and released_at < :before";
        String runs = "from privacy_purge_runs where tenant_id = :tenant and started_at < :before";
        removed.put("privacy_legal_holds", dryRun ? count("select count(*) " + holds, rules) : update("delete " + holds, rules));
        removed.put("privacy_purge_runs", dryRun ? count("select count(*) " + runs, rules) : update("delete " + runs, rules));
        return removed;
    }

    private long count(String sql, Rules rules) {
        return jdbc.sql(sql).param("tenant", rules.tenantId()).param("before", Sql.ts(rules.logsBefore())).query(Long.class).single();
    }

    private long update(String sql, Rules rules) {
        return jdbc.sql(sql).param("tenant", rules.tenantId()).param("before", Sql.ts(rules.logsBefore())).update();
    }
}
