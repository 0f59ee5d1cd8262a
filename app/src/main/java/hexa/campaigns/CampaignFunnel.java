package hexa.campaigns;

import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A campaign's funnel in numbers, for its page and the API: how many recipients it has, why some were excluded, where
 * the others are, who replied or clicked, why messages failed, and what it costs. One pass over the campaign's recipients.
 */
@Service
public class CampaignFunnel {

    private final JdbcClient jdbc;
    private final CampaignPrices prices;

    CampaignFunnel(JdbcClient jdbc, CampaignPrices prices) {
        this.jdbc = jdbc;
        this.prices = prices;
    }

    /**
     * The funnel. {@code sent}, {@code delivered} and {@code read} count every recipient who got at least that far
     * (a read message was delivered and sent); {@code failed} counts by Meta's error code ({@code "none"}: never
     * confirmed by Meta), {@code excluded} by reason.
     *
     * @param recipients every contact of the audience, the excluded ones included
     * @param cancelled recipients not handed over because the campaign was cancelled
     */
    public record Counts(long recipients, Map<String, Long> excluded, long waiting, long queued, long sent, long delivered, long read,
                         long replied, long clicked, Map<String, Long> failed, long cancelled, Cost cost) {
    }

    /**
     * What the campaign costs in {@code currency}: the estimate made before sending (null if none was made) and the
     * actual cost so far, Meta's price for each delivered message Meta bills.
     */
    public record Cost(String currency, BigDecimal estimate, BigDecimal actual) {
    }

    /** The campaign's funnel; a campaign of another workspace is not found. */
    public Counts counts(UUID campaignId) {
        UUID tenant = TenantContext.tenantId();
        BigDecimal estimate = jdbc.sql("""
                select (estimate ->> 'total')::numeric as total from campaigns where tenant_id = :tenant and id = :id
                """)
                .param("tenant", tenant).param("id", campaignId)
                .query((rs, n) -> java.util.Optional.ofNullable(rs.getBigDecimal("total"))).optional()
                .orElseThrow(NotFoundException::new).orElse(null);
        Map<String, Long> excluded = new TreeMap<>();
        Map<String, Long> failed = new TreeMap<>();
        long[] totals = new long[9];
        BigDecimal[] actual = {BigDecimal.ZERO};
        jdbc.sql("""
                select state, exclusion, error_code,
                       count(*) as n,
                       count(*) filter (where replied_at is not null) as replied,
                       count(*) filter (where clicked_at is not null) as clicked,
                       coalesce(sum(cost) filter (where billable and (delivered_at is not null or read_at is not null or state in ('DELIVERED', 'READ'))), 0) as cost
                  from campaign_recipients
                 where tenant_id = :tenant and campaign_id = :id
                 group by state, exclusion, error_code
                """)
                .param("tenant", tenant).param("id", campaignId)
                .query(rs -> {
                    String state = rs.getString("state");
                    long n = rs.getLong("n");
                    totals[0] += n;
                    totals[6] += rs.getLong("replied");
                    totals[7] += rs.getLong("clicked");
                    actual[0] = actual[0].add(rs.getBigDecimal("cost"));
                    switch (state) {
                        case "EXCLUDED" -> excluded.merge(rs.getString("exclusion") == null ? "OTHER" : rs.getString("exclusion"), n, Long::sum);
                        case "WAITING" -> totals[1] += n;
                        case "QUEUED" -> totals[2] += n;
                        case "SENT" -> totals[3] += n;
                        case "DELIVERED" -> totals[4] += n;
                        case "READ" -> totals[5] += n;
                        case "CANCELLED" -> totals[8] += n;
                        case "FAILED" -> {
                            int code = rs.getInt("error_code");
                            failed.merge(rs.wasNull() ? "none" : Integer.toString(code), n, Long::sum);
                        }
                        default -> {
                        }
                    }
                });
        long read = totals[5];
        long delivered = totals[4] + read;
        long sent = totals[3] + delivered;
        return new Counts(totals[0], excluded, totals[1], totals[2], sent, delivered, read, totals[6], totals[7], failed, totals[8],
                new Cost(prices.currency(), estimate, actual[0].setScale(4, RoundingMode.HALF_UP)));
    }
}
