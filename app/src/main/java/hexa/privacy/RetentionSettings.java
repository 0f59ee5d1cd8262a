package hexa.privacy;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A workspace's retention periods, as Settings → Privacy sets them and the daily purge, the public privacy page and
 * docs read them.
 */
@Service
public class RetentionSettings {

    /** Messages and media: 30 days to 10 years, or kept. */
    public static final int MIN_MESSAGE_DAYS = 30;
    public static final int MAX_DAYS = 3650;
    /** Contacts without activity: 30 days to 10 years, or kept. */
    public static final int MIN_CONTACT_DAYS = 30;
    /** Audit and access logs: never less than the 180 days the product promises (the audit table refuses earlier deletes). */
    public static final int MIN_LOG_DAYS = 180;

    /**
     * @param messageDays        messages and media are kept this many days; null keeps them
     * @param contactInactiveDays contacts without activity for this many days are deleted; null keeps them
     * @param logDays            audit and access logs
     * @param webhookBodyDays    raw webhook bodies, counted from when they were processed
     */
    public record Periods(Integer messageDays, Integer contactInactiveDays, int logDays, int webhookBodyDays) {
        public static final Periods DEFAULT = new Periods(90, null, 180, 7);
    }

    /** Who last changed the periods, and when (empty while the workspace has the defaults). */
    public record Changed(String byName, Instant at) {
    }

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final Clock clock;

    RetentionSettings(JdbcClient jdbc, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** The workspace's periods (the defaults until an Owner changes them). */
    public Periods periods(UUID tenantId) {
        return jdbc.sql("select message_days, contact_inactive_days, log_days from privacy_settings where tenant_id = :tenant")
                .param("tenant", tenantId)
                .query((rs, n) -> new Periods((Integer) rs.getObject("message_days"), (Integer) rs.getObject("contact_inactive_days"),
                        rs.getInt("log_days"), Periods.DEFAULT.webhookBodyDays()))
                .optional().orElse(Periods.DEFAULT);
    }

    /** Who last changed the current workspace's periods. */
    public Optional<Changed> lastChanged() {
        return jdbc.sql("select updated_by_name, updated_at from privacy_settings where tenant_id = :tenant")
                .param("tenant", TenantContext.tenantId())
                .query((rs, n) -> new Changed(rs.getString("updated_by_name"), Sql.instant(rs, "updated_at"))).optional();
    }

    /**
     * Sets the current workspace's periods from the form's words: a number of days, or {@code keep} (blank keeps too)
     * for messages and contacts. Bad input changes nothing. Audited with the values before and after.
     */
    @Transactional
    public Periods save(String messageDays, String contactInactiveDays, String logDays) {
        Integer messages = days(messageDays, MIN_MESSAGE_DAYS, "privacy.retention.messages-invalid", true);
        Integer contacts = days(contactInactiveDays, MIN_CONTACT_DAYS, "privacy.retention.contacts-invalid", true);
        Integer logs = days(logDays, MIN_LOG_DAYS, "privacy.retention.logs-invalid", false);
        UUID tenant = TenantContext.tenantId();
        Periods before = periods(tenant);
        Periods after = new Periods(messages, contacts, logs, Periods.DEFAULT.webhookBodyDays());
        if (after.equals(before) && lastChanged().isPresent()) {
            return after;
        }
        jdbc.sql("""
                insert into privacy_settings (tenant_id, message_days, contact_inactive_days, log_days, updated_by_name, updated_at)
                values (:tenant, :messages, :contacts, :logs, :by, :at)
                on conflict (tenant_id) do update set message_days = excluded.message_days, contact_inactive_days = excluded.contact_inactive_days,
                       log_days = excluded.log_days, updated_by_name = excluded.updated_by_name, updated_at = excluded.updated_at
                """)
                .param("tenant", tenant).param("messages", messages).param("contacts", contacts).param("logs", logs)
                .param("by", TenantContext.actor().name()).param("at", Sql.ts(clock.instant())).update();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("before", describe(before));
        details.put("after", describe(after));
        audit.record(AuditEntry.of("privacy.retention_changed").details(details));
        return after;
    }

    private static Map<String, Object> describe(Periods periods) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("messageDays", periods.messageDays() == null ? "keep" : periods.messageDays());
        values.put("contactInactiveDays", periods.contactInactiveDays() == null ? "keep" : periods.contactInactiveDays());
        values.put("logDays", periods.logDays());
        return values;
    }

    private static Integer days(String value, int min, String errorKey, boolean mayKeep) {
        String text = value == null ? "" : value.strip();
        if (mayKeep && (text.isEmpty() || text.equalsIgnoreCase("keep"))) {
            return null;
        }
        int days;
        try {
            days = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw UserError.invalid(errorKey, min, MAX_DAYS);
        }
        if (days < min || days > MAX_DAYS) {
            throw UserError.invalid(errorKey, min, MAX_DAYS);
        }
        return days;
    }
}
