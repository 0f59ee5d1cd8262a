package hexa.privacy;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.crypto.Tokens;
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
 * The workspace's public privacy page, as Settings → Privacy → Public page sets it: its unguessable address key, the
 * business's own text (with placeholders for the retention periods), the rule requests follow and the days a request
 * is due in. A workspace gets its page (and key) the first time it is read.
 */
@Service
public class PublicPages {

    public static final int MAX_TEXT = 20_000;
    public static final int DEFAULT_DUE_DAYS = 30;
    public static final int MAX_DUE_DAYS = 90;

    /** How requests from the page (and Meta's callback) are decided. */
    public enum Rule {
        /** An Owner or Admin approves or rejects each one. */
        APPROVAL,
        /** Approved as soon as the person proved their number. */
        AUTOMATIC;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Rule parse(String value) {
            for (Rule rule : values()) {
                if (rule.value().equals(value)) {
                    return rule;
                }
            }
            throw UserError.invalid("privacy.public-page.rule-invalid");
        }
    }

    /** The page's settings. */
    public record Settings(UUID tenantId, String key, String text, Rule rule, int dueDays, Instant updatedAt) {
        public String path() {
            return "/privacy/" + key;
        }
    }

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final Clock clock;

    PublicPages(JdbcClient jdbc, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** The current workspace's page, made with a new key and the defaults the first time. */
    @Transactional
    public Settings settings() {
        UUID tenant = TenantContext.tenantId();
        jdbc.sql("""
                insert into privacy_public_pages (tenant_id, page_key, updated_at) values (:tenant, :key, :now)
                on conflict (tenant_id) do nothing
                """).param("tenant", tenant).param("key", Tokens.random(16)).param("now", Sql.ts(clock.instant())).update();
        return of(tenant).orElseThrow();
    }

    /** The workspace whose page has this address key. */
    public Optional<Settings> byKey(String key) {
        if (key == null || key.isBlank() || key.length() > 100) {
            return Optional.empty();
        }
        return jdbc.sql("select * from privacy_public_pages where page_key = :key").param("key", key).query(PublicPages::map).optional();
    }

    /** The days a new request of the current workspace is due in. */
    public int dueDays() {
        return of(TenantContext.tenantId()).map(Settings::dueDays).orElse(DEFAULT_DUE_DAYS);
    }

    /** Saves the text, the rule and the due period; audited with what changed (the text only as changed or not). */
    @Transactional
    public Settings save(String text, String rule, String dueDays) {
        Settings before = settings();
        String body = text == null ? "" : text.replace("\r\n", "\n").strip();
        if (body.length() > MAX_TEXT) {
            throw UserError.invalid("privacy.public-page.text-too-long", MAX_TEXT);
        }
        Rule chosen = Rule.parse(rule == null ? "" : rule.strip());
        int days;
        try {
            days = Integer.parseInt(dueDays == null ? "" : dueDays.strip());
        } catch (NumberFormatException e) {
            throw UserError.invalid("privacy.public-page.due-days-invalid", MAX_DUE_DAYS);
        }
        if (days < 1 || days > MAX_DUE_DAYS) {
            throw UserError.invalid("privacy.public-page.due-days-invalid", MAX_DUE_DAYS);
        }
        jdbc.sql("update privacy_public_pages set body = :body, rule = :rule, due_days = :days, updated_at = :now where tenant_id = :tenant")
                .param("tenant", before.tenantId()).param("body", body).param("rule", chosen.value()).param("days", days)
                .param("now", Sql.ts(clock.instant())).update();
        Map<String, Object> changes = new LinkedHashMap<>();
        if (!before.text().equals(body)) {
            changes.put("text", "changed");
        }
        if (before.rule() != chosen) {
            changes.put("rule", Map.of("from", before.rule().value(), "to", chosen.value()));
        }
        if (before.dueDays() != days) {
            changes.put("dueDays", Map.of("from", before.dueDays(), "to", days));
        }
        if (!changes.isEmpty()) {
            audit.record(AuditEntry.of("privacy.public_page_changed").details(changes));
        }
        return of(before.tenantId()).orElseThrow();
    }

    private Optional<Settings> of(UUID tenant) {
        return jdbc.sql("select * from privacy_public_pages where tenant_id = :tenant").param("tenant", tenant).query(PublicPages::map).optional();
    }

    private static Settings map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Settings(Sql.uuid(rs, "tenant_id"), rs.getString("page_key"), rs.getString("body"), Rule.parse(rs.getString("rule")),
                rs.getInt("due_days"), Sql.instant(rs, "updated_at"));
    }
}
