package hexa.whatsapp;

import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * What Meta says about a WhatsApp Business Account through {@code account_update} webhooks, kept for the workspace's
 * Admins to see on Settings → WhatsApp beside the account's numbers: a restriction (what is restricted, until when), a
 * policy violation, an account disabled, scheduled to be disabled, deleted or offboarded. The latest notice of each
 * kind is kept per account; a restriction shows until it expires; {@code ACCOUNT_RECONNECTED} and a reinstatement
 * clear what they answer. Notices about accounts none of the workspace's numbers belong to are not kept.
 */
@Service
public class AccountNotices {

    private static final Logger log = LoggerFactory.getLogger(AccountNotices.class);
    /** Events that only inform (verification, pricing, partner access…): acknowledged, not shown. */
    private static final Set<String> SHOWN = Set.of("ACCOUNT_RESTRICTION", "ACCOUNT_VIOLATION", "DISABLED_UPDATE", "ACCOUNT_DELETED",
            "ACCOUNT_OFFBOARDED", "PARTNER_REMOVED");

    private final JdbcClient jdbc;
    private final Clock clock;

    AccountNotices(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * One notice to show.
     *
     * @param kind what it is about: a restriction's type ({@code RESTRICTED_BIZ_INITIATED_MESSAGING}) or the event
     * @param detail Meta's words beyond the kind (a violation's type, a ban's state), or null
     * @param expiresAt when a restriction ends, or null
     */
    public record Notice(String wabaId, String kind, String event, String detail, Instant receivedAt, Instant expiresAt) {

        /** The message key of what it says, for the page ({@code whatsapp.notice.*}). */
        public String messageKey() {
            String key = kind.toLowerCase(Locale.ROOT).replace('_', '-');
            return KNOWN.contains(kind) ? "whatsapp.notice." + key : "whatsapp.notice.other";
        }

        private static final Set<String> KNOWN = Set.of("RESTRICTED_BIZ_INITIATED_MESSAGING", "RESTRICTED_CUSTOMER_INITIATED_MESSAGING",
                "RESTRICTED_ADD_PHONE_NUMBER_ACTION", "ACCOUNT_VIOLATION", "DISABLED_UPDATE", "ACCOUNT_DELETED", "ACCOUNT_OFFBOARDED",
                "PARTNER_REMOVED");
    }

    /** Applies one {@code account_update} change for the account {@code wabaId}, in the current workspace. */
    void apply(String wabaId, JsonNode value, Instant at) {
        String event = JsonFields.text(value, "event");
        if (wabaId.isEmpty() || event.isEmpty()) {
            return;
        }
        if (!ownsAccount(wabaId)) {
            log.info("An account update ({}) for WhatsApp Business Account {}, which none of this workspace's numbers belong to; not kept", event, wabaId);
            return;
        }
        if ("ACCOUNT_RECONNECTED".equals(event)) {
            clear(wabaId, null);
            return;
        }
        if ("DISABLED_UPDATE".equals(event) && banState(value).contains("REINSTATE")) {
            clear(wabaId, "DISABLED_UPDATE");
            return;
        }
        if (!SHOWN.contains(event)) {
            return;
        }
        if ("ACCOUNT_RESTRICTION".equals(event)) {
            for (JsonNode restriction : value.path("restriction_info")) {
                String type = JsonFields.text(restriction, "restriction_type");
                if (!type.isEmpty()) {
                    keep(wabaId, type, event, restriction, at, expiration(restriction));
                }
            }
            return;
        }
        keep(wabaId, event, event, value, at, null);
    }

    /** The notices still in force for the workspace's accounts: account id → notices, most recent first. */
    public Map<String, List<Notice>> current() {
        Map<String, List<Notice>> byAccount = new LinkedHashMap<>();
        jdbc.sql("""
                select waba_id, kind, event, detail::text as detail, received_at, expires_at from whatsapp_account_notices
                 where tenant_id = :tenant and (expires_at is null or expires_at > :now)
                 order by received_at desc, kind
                """)
                .param("tenant", TenantContext.tenantId()).param("now", Sql.ts(clock.instant()))
                .query((rs, n) -> new Notice(rs.getString("waba_id"), rs.getString("kind"), rs.getString("event"),
                        detail(rs.getString("event"), rs.getString("detail")), Sql.instant(rs, "received_at"), Sql.instant(rs, "expires_at")))
                .list().forEach(notice -> byAccount.computeIfAbsent(notice.wabaId(), k -> new ArrayList<>()).add(notice));
        return byAccount;
    }

    private boolean ownsAccount(String wabaId) {
        return jdbc.sql("select exists (select 1 from whatsapp_connections where tenant_id = :tenant and waba_id = :waba)")
                .param("tenant", TenantContext.tenantId()).param("waba", wabaId).query(Boolean.class).single();
    }

    private void keep(String wabaId, String kind, String event, JsonNode detail, Instant at, Instant expiresAt) {
        jdbc.sql("""
                insert into whatsapp_account_notices (tenant_id, waba_id, kind, event, detail, received_at, expires_at)
                values (:tenant, :waba, :kind, :event, cast(:detail as jsonb), :at, :expires)
                on conflict (tenant_id, waba_id, kind) do update
                   set event = excluded.event, detail = excluded.detail, received_at = excluded.received_at, expires_at = excluded.expires_at
                 where whatsapp_account_notices.received_at <= excluded.received_at
                """)
                .param("tenant", TenantContext.tenantId()).param("waba", wabaId).param("kind", kind).param("event", event)
                .param("detail", detail.toString()).param("at", Sql.ts(at))
                .param("expires", expiresAt == null ? null : Sql.ts(expiresAt)).update();
    }

    private void clear(String wabaId, String kind) {
        jdbc.sql("delete from whatsapp_account_notices where tenant_id = :tenant and waba_id = :waba and (cast(:kind as text) is null or kind = :kind)")
                .param("tenant", TenantContext.tenantId()).param("waba", wabaId).param("kind", kind).update();
    }

    private static Instant expiration(JsonNode restriction) {
        String seconds = JsonFields.text(restriction, "expiration");
        try {
            return seconds.isEmpty() ? null : Instant.ofEpochSecond(Long.parseLong(seconds));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static String banState(JsonNode value) {
        JsonNode state = value.path("ban_info").path("waba_ban_state");
        return state.isArray() ? state.toString() : JsonFields.text(value.path("ban_info"), "waba_ban_state");
    }

    /** Meta's words beyond the kind: a violation's type, a ban's state and date. */
    private static String detail(String event, String json) {
        JsonNode value = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
        String detail = switch (event) {
            case "ACCOUNT_VIOLATION" -> JsonFields.text(value.path("violation_info"), "violation_type");
            case "DISABLED_UPDATE" -> String.join(" ", banState(value).replaceAll("[\\[\\]\"]", "").replace(',', ' '),
                    JsonFields.text(value.path("ban_info"), "waba_ban_date")).strip();
            default -> "";
        };
        return detail.isBlank() ? null : detail;
    }
}
