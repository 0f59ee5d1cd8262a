package hexa.privacy;

import hexa.platform.database.Sql;
import hexa.platform.privacy.RetentionPurge;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Retention of the privacy requests: a closed request goes with the access and audit logs (decided before the logs'
 * limit); one-time codes go once the rate limit's hour is over.
 */
@Component
class RequestRetention implements RetentionPurge {

    private final JdbcClient jdbc;

    RequestRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<String, Long> purge(Rules rules, boolean dryRun) {
        String requests = """
                from privacy_requests where tenant_id = :tenant and state in ('done', 'rejected')
                 and coalesce(done_at, decided_at, received_at) < :before
                """;
        String codes = "from privacy_request_codes where tenant_id = :tenant and created_at < :before";
        Map<String, Long> removed = new LinkedHashMap<>();
        removed.put("privacy_requests", run(requests, rules.tenantId(), Sql.ts(rules.logsBefore()), dryRun));
        removed.put("privacy_request_codes", run(codes, rules.tenantId(), Sql.ts(rules.now().minus(RequestCodes.LIMIT_WINDOW)), dryRun));
        return removed;
    }

    private long run(String from, java.util.UUID tenant, java.time.OffsetDateTime before, boolean dryRun) {
        var statement = jdbc.sql((dryRun ? "select count(*) " : "delete ") + from).param("tenant", tenant).param("before", before);
        return dryRun ? statement.query(Long.class).single() : statement.update();
    }
}
