package hexa.campaigns;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Send again to those who did not read": a follow-up is a new draft campaign with the same template, variables and
 * numbers whose audience is {@code {"followUpOf": id, "rule": "NOT_READ"}}: the first campaign's recipients whose
 * message reached them (sent or delivered) but who did not read it, or ({@code NOT_REPLIED}) who did not reply. Those
 * whose message failed or was never sent are not in it: sending again would fail again or reach them for the first time.
 */
@Service
public class CampaignFollowUps {

    /** Whom a follow-up goes to. */
    public enum Rule {
        NOT_READ, NOT_REPLIED;

        /** The rule written as the API writes it; a clear error for anything else. */
        public static Rule of(String rule) {
            try {
                return Rule.valueOf(rule == null ? "" : rule.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw UserError.invalid("campaigns.follow-up.rule-invalid", String.valueOf(rule));
            }
        }
    }

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final Clock clock;

    CampaignFollowUps(JdbcClient jdbc, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Creates the follow-up of a campaign that started (sending, paused or finished) as a DRAFT; answers its id. A campaign
     * of another workspace is not found; one not sent yet, a blank or too long name, are refused and nothing is created.
     */
    @Transactional
    public UUID create(UUID campaignId, Rule rule, String name) {
        if (rule == null) {
            throw UserError.invalid("campaigns.follow-up.rule-invalid", "null");
        }
        String named = name == null ? "" : name.strip();
        if (named.isEmpty() || named.length() > 200) {
            throw UserError.invalid("campaigns.follow-up.name-invalid");
        }
        UUID tenant = TenantContext.tenantId();
        record Original(String name, String status, Instant startedAt) {
        }
        Original original = jdbc.sql("select name, status, started_at from campaigns where tenant_id = :tenant and id = :id")
                .param("tenant", tenant).param("id", campaignId)
                .query((rs, n) -> new Original(rs.getString("name"), rs.getString("status"), Sql.instant(rs, "started_at"))).optional()
                .orElseThrow(NotFoundException::new);
        if (original.startedAt() == null || !List.of("SENDING", "PAUSED", "FINISHED").contains(original.status())) {
            throw UserError.conflict("campaigns.follow-up.not-sent");
        }
        UUID id = Ids.newId();
        Instant now = clock.instant();
        jdbc.sql("""
                insert into campaigns (tenant_id, id, name, status, template_name, template_language, template_category, variables,
                                       audience, connection_ids, follow_up_of, follow_up_rule, created_by, created_at, updated_at)
                select tenant_id, :id, :name, 'DRAFT', template_name, template_language, template_category, variables,
                       jsonb_build_object('followUpOf', id, 'rule', :rule), connection_ids, id, :rule, :by, :now, :now
                  from campaigns where tenant_id = :tenant and id = :original
                """)
                .param("id", id).param("name", named).param("rule", rule.name()).param("by", TenantContext.actor().userId())
                .param("now", Sql.ts(now)).param("tenant", tenant).param("original", campaignId).update();
        audit.record(AuditEntry.of("campaign.follow_up_created").target("campaign", id, named)
                .details(Map.of("followUpOf", campaignId.toString(), "followUpOfName", original.name(), "rule", rule.name())));
        return id;
    }

    /**
     * The contacts a follow-up of the campaign goes to under the rule (for the audience of a campaign whose audience is
     * {@code {"followUpOf": …}}), in the order of their ids.
     */
    public List<UUID> recipients(UUID originalCampaignId, Rule rule) {
        return jdbc.sql("""
                select contact_id from campaign_recipients
                 where tenant_id = :tenant and campaign_id = :campaign
                   and (:rule = 'NOT_READ' and state in ('SENT', 'DELIVERED') and read_at is null
                        or :rule = 'NOT_REPLIED' and state in ('SENT', 'DELIVERED', 'READ') and replied_at is null)
                 order by contact_id
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", originalCampaignId).param("rule", rule.name())
                .query(UUID.class).list();
    }
}
