package hexa.automation.rules;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The workspace's safety setting for rules: at most this many automatic replies per conversation per hour. */
@Service
public class RuleSettings {

    public static final int DEFAULT_REPLIES_PER_HOUR = 5;
    public static final int MAX_REPLIES_PER_HOUR = 100;

    private final JdbcClient jdbc;
    private final AuditTrail audit;

    RuleSettings(JdbcClient jdbc, AuditTrail audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    public int repliesPerHour() {
        return repliesPerHour(TenantContext.tenantId());
    }

    public int repliesPerHour(UUID tenant) {
        return jdbc.sql("select replies_per_hour from automation_settings where tenant_id = :tenant")
                .param("tenant", tenant).query(Integer.class).optional().orElse(DEFAULT_REPLIES_PER_HOUR);
    }

    @Transactional
    public void setRepliesPerHour(int replies) {
        if (replies < 1 || replies > MAX_REPLIES_PER_HOUR) {
            throw UserError.invalid("automation.rules.invalid.replies-per-hour", MAX_REPLIES_PER_HOUR);
        }
        int before = repliesPerHour();
        jdbc.sql("""
                insert into automation_settings (tenant_id, replies_per_hour) values (:tenant, :replies)
                on conflict (tenant_id) do update set replies_per_hour = excluded.replies_per_hour
                """)
                .param("tenant", TenantContext.tenantId()).param("replies", replies).update();
        audit.record(AuditEntry.of("automation.replies_limit_changed").details(Map.of("from", before, "to", replies)));
    }
}
