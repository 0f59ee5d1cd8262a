package hexa.whatsapp;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Settings → WhatsApp → Webhook problems: the parts of Meta's webhooks that could not be applied and were parked
 * (see {@code WebhookProcessor}), with the reason and what Meta sent, newest first; each can be applied again.
 */
@Service
public class WebhookProblems {

    /** A parked part as Owners and Admins see it. {@code item} is Meta's JSON, to be shown as text. */
    public record Problem(UUID id, String part, String field, String phoneNumberId, String item, String reason, Instant parkedAt,
                          Instant appliedAt) {
    }

    /** What applying a part again did: applied now, or why it still cannot be. */
    public record Outcome(boolean applied, String reason) {
    }

    private static final int SHOWN = 100;

    private final JdbcClient jdbc;
    private final WebhookProcessor processor;
    private final AuditTrail audit;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    WebhookProblems(JdbcClient jdbc, WebhookProcessor processor, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.processor = processor;
        this.audit = audit;
        this.clock = clock;
    }

    /** The newest problems, those not applied first. */
    public List<Problem> recent() {
        return jdbc.sql("""
                select id, part, field, phone_number_id, jsonb_pretty(item) as item, reason, parked_at, applied_at
                  from webhook_parked_changes where tenant_id = :tenant
                 order by applied_at is not null, parked_at desc limit :limit
                """)
                .param("tenant", TenantContext.tenantId()).param("limit", SHOWN)
                .query((rs, n) -> new Problem(Sql.uuid(rs, "id"), rs.getString("part"), rs.getString("field"), rs.getString("phone_number_id"),
                        rs.getString("item"), rs.getString("reason"), Sql.instant(rs, "parked_at"), Sql.instant(rs, "applied_at")))
                .list();
    }

    /** How many wait to be looked at. */
    public int open() {
        return jdbc.sql("select count(*) from webhook_parked_changes where tenant_id = :tenant and applied_at is null")
                .param("tenant", TenantContext.tenantId()).query(Integer.class).single();
    }

    @Transactional
    public Outcome applyAgain(UUID id) {
        UUID tenant = TenantContext.tenantId();
        record Row(UUID eventId, UUID connectionId, String part, String item, Instant appliedAt) {
        }
        Row row = jdbc.sql("""
                select event_id, connection_id, part, item::text as item, applied_at from webhook_parked_changes
                 where tenant_id = :tenant and id = :id for update
                """)
                .param("tenant", tenant).param("id", id)
                .query((rs, n) -> new Row(Sql.uuid(rs, "event_id"), Sql.uuid(rs, "connection_id"), rs.getString("part"), rs.getString("item"),
                        Sql.instant(rs, "applied_at")))
                .optional().orElseThrow(NotFoundException::new);
        if (row.appliedAt() != null) {
            return new Outcome(true, null);
        }
        Optional<String> still = processor.applyAgain(tenant, row.eventId(), row.connectionId(), row.part(), json.readTree(row.item()));
        if (still.isPresent()) {
            jdbc.sql("update webhook_parked_changes set reason = :reason where tenant_id = :tenant and id = :id")
                    .param("reason", still.get()).param("tenant", tenant).param("id", id).update();
            return new Outcome(false, still.get());
        }
        jdbc.sql("update webhook_parked_changes set applied_at = :now where tenant_id = :tenant and id = :id")
                .param("now", Sql.ts(clock.instant())).param("tenant", tenant).param("id", id).update();
        audit.record(AuditEntry.of("whatsapp.webhook_problem_applied").target("webhook_problem", id, row.part())
                .details(Map.of("event", row.eventId().toString())));
        return new Outcome(true, null);
    }
}
