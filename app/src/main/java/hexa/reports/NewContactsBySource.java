package hexa.reports;

import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * New contacts of a period by where they came from: brought by a click-to-WhatsApp ad, by a post, or otherwise (they
 * wrote on their own, were imported or added), and the ads that brought the most. Read from what contacts publish
 * ({@code published_contacts}, {@code published_contact_sources}); a contact counts for an ad when the ad brought it,
 * that is when the contact did not exist before the message that carried the ad.
 */
@Component
class NewContactsBySource {

    /** The periods the report offers, in days. */
    static final List<Integer> PERIODS = List.of(7, 30, 90, 365);
    static final int TOP_ADS = 20;

    /**
     * @param total new contacts in the period
     * @param fromAds new contacts an ad brought
     * @param fromPosts new contacts a post brought
     */
    record Report(int days, Instant since, int total, int fromAds, int fromPosts, List<Ad> ads) {
        int other() {
            return total - fromAds - fromPosts;
        }

        /** The share of new contacts an ad or a post brought, in whole percent. */
        int fromAdsPercent() {
            return total == 0 ? 0 : Math.round(100f * (fromAds + fromPosts) / total);
        }
    }

    /** One ad (or post) and how many new contacts it brought in the period; {@code headline} is the latest the ad had. */
    record Ad(String sourceId, String headline, String sourceType, int contacts) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    NewContactsBySource(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Report of(int days) {
        UUID tenant = TenantContext.tenantId();
        Instant since = clock.instant().minus(Duration.ofDays(days));
        int total = jdbc.sql("select count(*) from published_contacts where tenant_id = :tenant and created_at >= :since")
                .param("tenant", tenant).param("since", Sql.ts(since)).query(Integer.class).single();
        int[] bySource = new int[2];
        jdbc.sql("""
                select coalesce(source_type, 'ad') = 'post' as post, count(*) as contacts
                  from published_contact_sources
                 where tenant_id = :tenant and contact_created_at >= :since and brought_contact
                 group by 1
                """)
                .param("tenant", tenant).param("since", Sql.ts(since))
                .query((rs, n) -> bySource[rs.getBoolean("post") ? 1 : 0] = rs.getInt("contacts")).list();
        List<Ad> ads = jdbc.sql("""
                select source_id, (array_agg(headline order by referred_at desc) filter (where headline is not null))[1] as headline,
                       min(coalesce(source_type, 'ad')) as source_type, count(*) as contacts
                  from published_contact_sources
                 where tenant_id = :tenant and contact_created_at >= :since and brought_contact
                 group by source_id
                 order by count(*) desc, source_id nulls last
                 limit :top
                """)
                .param("tenant", tenant).param("since", Sql.ts(since)).param("top", TOP_ADS)
                .query((rs, n) -> new Ad(rs.getString("source_id"), rs.getString("headline"), rs.getString("source_type"), rs.getInt("contacts")))
                .list();
        return new Report(days, since, total, bySource[0], bySource[1], ads);
    }
}
