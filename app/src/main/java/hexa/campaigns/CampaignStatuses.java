package hexa.campaigns;

import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import hexa.whatsapp.MessageStatusesChanged;
import hexa.whatsapp.OutboundMessageFailed;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * The funnel after a recipient's message was queued: Meta's statuses move the recipient from QUEUED to SENT, DELIVERED
 * and READ, or to FAILED with Meta's code, a batch of webhooks at a time in one statement. States only move forward;
 * a status that comes late (delivered after read) still fills in its time. FAILED is final, but for Meta's per-user
 * marketing limit (131049), after which the channel sends the message once more a day later: its statuses then move the
 * recipient on. The status's pricing says whether Meta bills the message and in which category; the cost is that
 * category's price in the recipient's country ({@link CampaignPrices}).
 */
@Component
class CampaignStatuses {

    /** Meta's per-user marketing limit: the channel tries again after 24 hours, so the failure is not the end. */
    static final int MARKETING_LIMIT = 131049;

    private final JdbcClient jdbc;
    private final CampaignPrices prices;
    private final CampaignLive live;

    CampaignStatuses(JdbcClient jdbc, CampaignPrices prices, CampaignLive live) {
        this.jdbc = jdbc;
        this.prices = prices;
        this.live = live;
    }

    @ApplicationModuleListener(id = "campaigns.statuses")
    void on(MessageStatusesChanged changed) {
        apply(changed.tenantId(), changed.statuses());
    }

    /** A queued message Meta refused for good when it was sent: its recipient failed, with Meta's code. */
    @ApplicationModuleListener(id = "campaigns.send-failures")
    void on(OutboundMessageFailed failed) {
        jdbc.sql("""
                update campaign_recipients set state = 'FAILED', failed_at = :at, error_code = :code, error_title = :title
                 where tenant_id = :tenant and message_id = :message and state = 'QUEUED'
                returning campaign_id
                """)
                .param("tenant", failed.tenantId()).param("message", failed.messageId()).param("at", Sql.ts(failed.failedAt()))
                .param("code", failed.errorCode()).param("title", failed.errorTitle())
                .query(UUID.class).list().forEach(campaign -> live.changed(failed.tenantId(), campaign));
    }

    void apply(UUID tenant, List<MessageStatusesChanged.Item> statuses) {
        if (statuses.isEmpty()) {
            return;
        }
        JsonRows rows = new JsonRows();
        for (MessageStatusesChanged.Item s : statuses) {
            rows.add().put("message_id", s.messageId()).put("status", s.status().name()).put("at", s.occurredAt())
                    .put("code", s.errorCode() == null ? null : s.errorCode().toString()).put("title", s.errorTitle())
                    .put("billable", s.billable() == null ? null : s.billable().toString()).put("category", s.pricingCategory());
        }
        record Billed(UUID campaign, UUID contact, String country, String category, boolean priced) {
        }
        List<Billed> changed = jdbc.sql("""
                with s as (
                    select * from json_to_recordset(cast(:rows as json))
                           as s(message_id uuid, status text, at timestamptz, code int, title text, billable boolean, category text)
                ), g as (
                    select message_id,
                           min(at) filter (where status = 'SENT') as sent_at,
                           min(at) filter (where status = 'DELIVERED') as delivered_at,
                           min(at) filter (where status in ('READ', 'PLAYED')) as read_at,
                           max(at) filter (where status = 'FAILED') as failed_at,
                           (array_agg(code order by at desc) filter (where status = 'FAILED'))[1] as code,
                           (array_agg(title order by at desc) filter (where status = 'FAILED'))[1] as title,
                           bool_or(billable) as billable,
                           (array_agg(category order by at) filter (where category is not null))[1] as category,
                           max(case status when 'SENT' then 1 when 'DELIVERED' then 2 when 'READ' then 3 when 'PLAYED' then 3 else 0 end) as reached
                      from s group by message_id
                ), x as (
                    select r.campaign_id, r.contact_id, g.*,
                           case
                               -- failed for good stays failed; a failure at the marketing limit is tried again by the channel
                               when r.state = 'FAILED' and (r.error_code is distinct from :limit or g.reached = 0) then 'FAILED'
                               when g.failed_at is not null
                                    and greatest(g.reached, case r.state when 'SENT' then 1 when 'DELIVERED' then 2 when 'READ' then 3 else 0 end) < 3
                                    then 'FAILED'
                               else case greatest(g.reached, case r.state when 'SENT' then 1 when 'DELIVERED' then 2 when 'READ' then 3 else 0 end)
                                        when 3 then 'READ' when 2 then 'DELIVERED' when 1 then 'SENT' else r.state end
                           end as next_state,
                           r.state as was
                      from campaign_recipients r
                      join g on r.tenant_id = :tenant and r.message_id = g.message_id
                     where r.state in ('QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED')
                )
                update campaign_recipients r
                   set state = x.next_state,
                       sent_at = coalesce(r.sent_at, x.sent_at),
                       delivered_at = coalesce(r.delivered_at, x.delivered_at),
                       read_at = coalesce(r.read_at, x.read_at),
                       failed_at = case when x.next_state = 'FAILED' then coalesce(x.failed_at, r.failed_at) end,
                       error_code = case when x.next_state = 'FAILED' then coalesce(x.code, r.error_code) end,
                       error_title = case when x.next_state = 'FAILED' then coalesce(x.title, r.error_title) end,
                       billable = coalesce(x.billable, r.billable),
                       pricing_category = coalesce(x.category, r.pricing_category)
                  from x
                 where r.tenant_id = :tenant and r.campaign_id = x.campaign_id and r.contact_id = x.contact_id
                returning r.campaign_id, r.contact_id, r.country, r.pricing_category, r.billable is true and r.cost is null as unpriced
                """)
                .param("tenant", tenant).param("rows", rows.json()).param("limit", MARKETING_LIMIT)
                .query((rs, n) -> new Billed(Sql.uuid(rs, "campaign_id"), Sql.uuid(rs, "contact_id"), rs.getString("country"),
                        rs.getString("pricing_category"), !rs.getBoolean("unpriced")))
                .list();
        // What a billed message costs, from the price table (one statement for the batch's newly billed recipients).
        JsonRows costs = new JsonRows();
        Set<UUID> campaigns = new LinkedHashSet<>();
        for (Billed b : changed) {
            campaigns.add(b.campaign());
            if (!b.priced()) {
                BigDecimal price = prices.price(b.category(), b.country());
                costs.add().put("campaign", b.campaign()).put("contact", b.contact()).put("cost", price.toPlainString());
            }
        }
        if (!costs.isEmpty()) {
            jdbc.sql("""
                    update campaign_recipients r set cost = c.cost
                      from json_to_recordset(cast(:costs as json)) as c(campaign uuid, contact uuid, cost numeric)
                     where r.tenant_id = :tenant and r.campaign_id = c.campaign and r.contact_id = c.contact
                    """)
                    .param("tenant", tenant).param("costs", costs.json()).update();
        }
        campaigns.forEach(campaign -> live.changed(tenant, campaign));
    }
}
