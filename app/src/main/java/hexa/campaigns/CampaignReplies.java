package hexa.campaigns;

import hexa.platform.database.JsonRows;
import hexa.whatsapp.InboundMessagesReceived;
import java.time.Duration;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * "Replied" in the funnel: a customer's message that came after a campaign's message reached them (sent, delivered or
 * read), within {@link #WINDOW}, counts for the latest such campaign only: the one the customer most likely answers.
 * A batch of received messages is applied in one statement; the first reply is the one kept.
 */
@Component
class CampaignReplies {

    static final Duration WINDOW = Duration.ofDays(7);

    private final JdbcClient jdbc;
    private final CampaignLive live;

    CampaignReplies(JdbcClient jdbc, CampaignLive live) {
        this.jdbc = jdbc;
        this.live = live;
    }

    @ApplicationModuleListener(id = "campaigns.replies")
    void on(InboundMessagesReceived received) {
        JsonRows rows = new JsonRows();
        for (InboundMessagesReceived.Message m : received.messages()) {
            if (m.contactId() != null && m.sentAt() != null) {
                rows.add().put("contact", m.contactId()).put("at", m.sentAt());
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        UUID tenant = received.tenantId();
        jdbc.sql("""
                with m as (
                    select contact, min(at) as at
                      from json_to_recordset(cast(:rows as json)) as m(contact uuid, at timestamptz)
                     group by contact
                ), latest as (
                    select distinct on (r.contact_id) r.campaign_id, r.contact_id, r.replied_at, m.at
                      from m
                      join campaign_recipients r on r.tenant_id = :tenant and r.contact_id = m.contact
                     where coalesce(r.sent_at, r.delivered_at, r.read_at) <= m.at
                       and coalesce(r.sent_at, r.delivered_at, r.read_at) > m.at - cast(:window as interval)
                     order by r.contact_id, coalesce(r.sent_at, r.delivered_at, r.read_at) desc, r.queued_at desc nulls last
                )
                update campaign_recipients r set replied_at = latest.at
                  from latest
                 where r.tenant_id = :tenant and r.campaign_id = latest.campaign_id and r.contact_id = latest.contact_id
                   and latest.replied_at is null
                returning r.campaign_id
                """)
                .param("tenant", tenant).param("rows", rows.json()).param("window", WINDOW.toSeconds() + " seconds")
                .query(UUID.class).list().stream().distinct().forEach(campaign -> live.changed(tenant, campaign));
    }
}
