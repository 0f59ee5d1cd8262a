package hexa.campaigns;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides A/B tests: a sending campaign with {@code ab} and no winner yet, once {@code decideAfterMinutes} (60 if not
 * given) have passed since it started, gets as winner the variant with the higher rate on its metric ({@code READ}: read
 * by those whose message was handed over; {@code REPLIED}: replied), A on a tie. Looked at every half minute on the
 * application's clock; each campaign is decided in a transaction of its own, once even with several nodes (the winner
 * is set only where none is), with an audit entry and {@link CampaignAbDecided}.
 */
@Component
class CampaignAbWinners {

    private static final Logger log = LoggerFactory.getLogger(CampaignAbWinners.class);
    static final int DEFAULT_DECIDE_AFTER_MINUTES = 60;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final AuditTrail audit;
    private final ApplicationEventPublisher events;
    private final CampaignLive live;
    private final Clock clock;

    CampaignAbWinners(JdbcClient jdbc, TransactionTemplate transaction, AuditTrail audit, ApplicationEventPublisher events, CampaignLive live,
                      Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.audit = audit;
        this.events = events;
        this.live = live;
        this.clock = clock;
    }

    private record Due(UUID tenantId, UUID campaignId, String name, String metric) {
    }

    @Scheduled(fixedDelayString = "${hexa.campaigns.ab-sweep:30s}", initialDelayString = "${hexa.campaigns.ab-sweep:30s}")
    void sweep() {
        try {
            decideDue();
        } catch (RuntimeException e) {
            log.warn("Could not decide the A/B tests that are due; trying again at the next sweep", e);
        }
    }

    /** Decides every A/B test that is due; answers how many were decided. */
    int decideDue() {
        Instant now = clock.instant();
        List<Due> due = jdbc.sql("""
                select tenant_id, id, name, upper(coalesce(ab ->> 'metric', 'READ')) as metric from campaigns
                 where status = 'SENDING' and ab is not null and ab_winner is null and started_at is not null
                   and started_at + make_interval(mins => coalesce((ab ->> 'decideAfterMinutes')::int, :fallback)) <= :now
                 order by started_at
                """)
                .param("fallback", DEFAULT_DECIDE_AFTER_MINUTES).param("now", Sql.ts(now))
                .query((rs, n) -> new Due(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), rs.getString("name"), rs.getString("metric"))).list();
        int decided = 0;
        for (Due campaign : due) {
            try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(campaign.tenantId(), "Campaigns"))) {
                Boolean done = transaction.execute(status -> decide(campaign, now));
                decided += Boolean.TRUE.equals(done) ? 1 : 0;
            } catch (RuntimeException e) {
                log.warn("Could not decide the A/B test of campaign {}", campaign.campaignId(), e);
            }
        }
        return decided;
    }

    private boolean decide(Due campaign, Instant now) {
        String measured = "REPLIED".equals(campaign.metric()) ? "replied_at is not null" : "(read_at is not null or state = 'READ')";
        Map<String, long[]> byVariant = new LinkedHashMap<>();
        byVariant.put("A", new long[2]);
        byVariant.put("B", new long[2]);
        jdbc.sql("""
                select variant,
                       count(*) filter (where state in ('QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED')) as handed_over,
                       count(*) filter (where state in ('QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED') and %s) as reached
                  from campaign_recipients
                 where tenant_id = :tenant and campaign_id = :campaign and variant in ('A', 'B')
                 group by variant
                """.formatted(measured))
                .param("tenant", campaign.tenantId()).param("campaign", campaign.campaignId())
                .query(rs -> {
                    long[] counts = byVariant.get(rs.getString("variant").strip());
                    counts[0] = rs.getLong("handed_over");
                    counts[1] = rs.getLong("reached");
                });
        long[] a = byVariant.get("A");
        long[] b = byVariant.get("B");
        // B wins only with a strictly higher rate: reachedB / handedB > reachedA / handedA, compared without division.
        boolean bWins = b[0] > 0 && (a[0] == 0 ? b[1] > 0 : b[1] * a[0] > a[1] * b[0]);
        String winner = bWins ? "B" : "A";
        double rateA = a[0] == 0 ? 0 : (double) a[1] / a[0];
        double rateB = b[0] == 0 ? 0 : (double) b[1] / b[0];
        int set = jdbc.sql("""
                update campaigns set ab_winner = :winner, ab_decided_at = :now, updated_at = :now
                 where tenant_id = :tenant and id = :campaign and ab_winner is null and status = 'SENDING'
                """)
                .param("winner", winner).param("now", Sql.ts(now)).param("tenant", campaign.tenantId()).param("campaign", campaign.campaignId())
                .update();
        if (set == 0) {
            return false;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("winner", winner);
        details.put("metric", "REPLIED".equals(campaign.metric()) ? "REPLIED" : "READ");
        details.put("a", Map.of("recipients", a[0], "reached", a[1]));
        details.put("b", Map.of("recipients", b[0], "reached", b[1]));
        audit.record(AuditEntry.of("campaign.ab_winner_decided").target("campaign", campaign.campaignId(), campaign.name()).details(details));
        events.publishEvent(new CampaignAbDecided(campaign.tenantId(), campaign.campaignId(), winner, rateA, rateB, now));
        live.changed(campaign.tenantId(), campaign.campaignId());
        log.info("Campaign {}: variant {} won the A/B test ({} rate A {} B {})", campaign.campaignId(), winner, campaign.metric(), rateA, rateB);
        return true;
    }
}
