package hexa.audit;

import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Reads the audit trail of the current workspace, newest first, a page at a time. */
@Service
public class AuditLog {

    public static final int PAGE_SIZE = 50;

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Filter(UUID actorId, String action, Instant from, Instant to) {
    }

    /** Keyset position: the page continues after this event. */
    public record Cursor(Instant occurredAt, UUID id) {
        public String encode() {
            return occurredAt.toEpochMilli() + "." + occurredAt.getNano() + "_" + id;
        }

        public static Cursor decode(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                String[] parts = value.split("_", 2);
                String[] time = parts[0].split("\\.", 2);
                Instant at = Instant.ofEpochMilli(Long.parseLong(time[0]));
                at = at.plusNanos(Long.parseLong(time[1]) - at.getNano());
                return new Cursor(at, UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    public record Page(List<AuditEvent> events, Cursor next) {
    }

    public Page find(Filter filter, Cursor after) {
        List<AuditEvent> rows = jdbc.sql("""
                select id, occurred_at, actor_kind, actor_id, actor_name, action, target_type, target_id,
                       target_name, details::text as details, ip_address, user_agent
                  from audit_events
                 where tenant_id = :tenant
                   and (cast(:actor as uuid) is null or actor_id = :actor)
                   and (cast(:action as text) is null or action = :action)
                   and (cast(:from as timestamptz) is null or occurred_at >= :from)
                   and (cast(:to as timestamptz) is null or occurred_at < :to)
                   and (cast(:afterAt as timestamptz) is null or (occurred_at, id) < (:afterAt, :afterId))
                 order by occurred_at desc, id desc
                 limit :limit
                """)
                .param("tenant", TenantContext.tenantId())
                .param("actor", filter.actorId())
                .param("action", blankToNull(filter.action()))
                .param("from", Sql.ts(filter.from()))
                .param("to", Sql.ts(filter.to()))
                .param("afterAt", after == null ? null : Sql.ts(after.occurredAt()))
                .param("afterId", after == null ? null : after.id())
                .param("limit", PAGE_SIZE + 1)
                .query((rs, n) -> new AuditEvent(Sql.uuid(rs, "id"), Sql.instant(rs, "occurred_at"),
                        AuditActor.Kind.valueOf(rs.getString("actor_kind")), Sql.uuid(rs, "actor_id"), rs.getString("actor_name"),
                        rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"), rs.getString("target_name"),
                        rs.getString("details"), rs.getString("ip_address"), rs.getString("user_agent")))
                .list();
        if (rows.size() > PAGE_SIZE) {
            AuditEvent last = rows.get(PAGE_SIZE - 1);
            return new Page(rows.subList(0, PAGE_SIZE), new Cursor(last.occurredAt(), last.id()));
        }
        return new Page(rows, null);
    }

    public record ActorChoice(UUID id, String name) {
    }

    /** Everyone who appears in the trail, for the person filter. */
    public List<ActorChoice> actors() {
        return jdbc.sql("""
                select distinct on (actor_id) actor_id, actor_name
                  from audit_events
                 where tenant_id = :tenant and actor_id is not null
                 order by actor_id, occurred_at desc
                """)
                .param("tenant", TenantContext.tenantId())
                .query((rs, n) -> new ActorChoice(Sql.uuid(rs, "actor_id"), rs.getString("actor_name")))
                .list()
                .stream().sorted(java.util.Comparator.comparing(a -> a.name() == null ? "" : a.name().toLowerCase())).toList();
    }

    public List<String> actions() {
        return jdbc.sql("select distinct action from audit_events where tenant_id = :tenant order by action")
                .param("tenant", TenantContext.tenantId())
                .query(String.class)
                .list();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
