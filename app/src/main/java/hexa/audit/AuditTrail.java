package hexa.audit;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends to the audit trail. It has no way to change or remove an entry, and the database refuses
 * both as well (see V2__audit.sql); entries leave only through retention.
 */
@Service
public class AuditTrail {

    private static final int MAX_USER_AGENT = 400;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    AuditTrail(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records an entry in the current workspace, done by whoever is acting now. */
    public void record(AuditEntry entry) {
        record(TenantContext.tenantId(), AuditActor.of(TenantContext.actor()), entry);
    }

    /** Records an entry in a given workspace; for events outside any request's workspace (sign-in, say). */
    public void record(UUID tenantId, AuditActor actor, AuditEntry entry) {
        HttpServletRequest request = currentRequest();
        String userAgent = request == null ? null : request.getHeader("User-Agent");
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
        jdbc.sql("""
                insert into audit_events (tenant_id, id, occurred_at, actor_kind, actor_id, actor_name, action,
                                          target_type, target_id, target_name, details, ip_address, user_agent)
                values (:tenant, :id, :at, :kind, :actorId, :actorName, :action,
                        :targetType, :targetId, :targetName, cast(:details as jsonb), :ip, :ua)
                """)
                .param("tenant", tenantId)
                .param("id", Ids.newId())
                .param("at", Sql.ts(clock.instant()))
                .param("kind", actor.kind().name())
                .param("actorId", actor.id())
                .param("actorName", actor.name())
                .param("action", entry.action())
                .param("targetType", entry.targetType())
                .param("targetId", entry.targetId())
                .param("targetName", entry.targetName())
                .param("details", json.writeValueAsString(entry.details() == null ? java.util.Map.of() : entry.details()))
                .param("ip", request == null ? null : request.getRemoteAddr())
                .param("ua", userAgent)
                .update();
    }

    /**
     * Records the entry in the current workspace unless whoever acts now recorded the same action on the same target
     * within the period (a contact's view, logged at most once an hour per viewer, so that the log stays small).
     * Answers whether it was recorded.
     */
    public boolean recordUnlessRecent(AuditEntry entry, java.time.Duration within) {
        AuditActor actor = AuditActor.of(TenantContext.actor());
        boolean recent = jdbc.sql("""
                select exists (select 1 from audit_events
                                where tenant_id = :tenant and target_type = :targetType and target_id = :targetId and occurred_at > :since
                                  and action = :action and actor_kind = :kind and actor_id is not distinct from :actorId)
                """)
                .param("tenant", TenantContext.tenantId()).param("targetType", entry.targetType()).param("targetId", entry.targetId())
                .param("since", Sql.ts(clock.instant().minus(within))).param("action", entry.action()).param("kind", actor.kind().name())
                .param("actorId", actor.id()).query(Boolean.class).single();
        if (recent) {
            return false;
        }
        record(TenantContext.tenantId(), actor, entry);
        return true;
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }
}
