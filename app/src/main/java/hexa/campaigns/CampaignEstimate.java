package hexa.campaigns;

import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a campaign will cost before it is sent: its recipients to be sent (all but the excluded and cancelled) by country
 * and template category, each at Meta's price there ({@link CampaignPrices}). Variant B's recipients are priced at B's
 * category; those waiting for the A/B winner, and a template whose category is not known, at A's (marketing if unknown).
 * Written to {@code campaigns.estimate} for the campaign's page and the API.
 */
@Service
public class CampaignEstimate {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final CampaignPrices prices;
    private final Clock clock;

    CampaignEstimate(JdbcClient jdbc, CampaignPrices prices, Clock clock) {
        this.jdbc = jdbc;
        this.prices = prices;
        this.clock = clock;
    }

    /** One country's part: recipients, the price of one message (their average if categories differ) and the cost. */
    public record Country(long n, BigDecimal price, BigDecimal cost) {
    }

    /** The estimate: its currency, total, recipients and each country's part ({@link CampaignPrices#UNKNOWN_COUNTRY} for none). */
    public record Estimate(String currency, BigDecimal total, long recipients, Map<String, Country> byCountry) {
    }

    /** Estimates the campaign's cost and writes it to the campaign; a campaign of another workspace is not found. */
    @Transactional
    public Estimate estimate(UUID campaignId) {
        UUID tenant = TenantContext.tenantId();
        record Categories(String a, String b) {
        }
        Categories categories = jdbc.sql("select template_category, ab ->> 'templateCategory' as b from campaigns where tenant_id = :tenant and id = :id")
                .param("tenant", tenant).param("id", campaignId)
                .query((rs, n) -> new Categories(rs.getString("template_category"), rs.getString("b"))).optional()
                .orElseThrow(NotFoundException::new);
        String a = categories.a() == null || categories.a().isBlank() ? "MARKETING" : categories.a();
        String b = categories.b() == null || categories.b().isBlank() ? a : categories.b();
        record Group(String country, String variant, long n) {
        }
        List<Group> groups = jdbc.sql("""
                select country, variant, count(*) as n from campaign_recipients
                 where tenant_id = :tenant and campaign_id = :id and state not in ('EXCLUDED', 'CANCELLED')
                 group by country, variant
                """)
                .param("tenant", tenant).param("id", campaignId)
                .query((rs, n) -> new Group(rs.getString("country"), rs.getString("variant"), rs.getLong("n"))).list();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, BigDecimal> costs = new LinkedHashMap<>();
        long recipients = 0;
        for (Group g : groups) {
            String country = g.country() == null ? CampaignPrices.UNKNOWN_COUNTRY : g.country().strip();
            BigDecimal price = prices.price("B".equals(g.variant()) ? b : a, g.country());
            counts.computeIfAbsent(country, c -> new long[1])[0] += g.n();
            costs.merge(country, price.multiply(BigDecimal.valueOf(g.n())), BigDecimal::add);
            recipients += g.n();
        }
        Map<String, Country> byCountry = new LinkedHashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long n = e.getValue()[0];
            BigDecimal cost = costs.get(e.getKey());
            byCountry.put(e.getKey(), new Country(n, cost.divide(BigDecimal.valueOf(n), 6, RoundingMode.HALF_UP).stripTrailingZeros(),
                    cost.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros()));
            total = total.add(cost);
        }
        Estimate estimate = new Estimate(prices.currency(), total.setScale(4, RoundingMode.HALF_UP), recipients, byCountry);
        ObjectNode json = JSON.createObjectNode();
        json.put("currency", estimate.currency());
        json.put("total", estimate.total());
        json.put("recipients", recipients);
        json.put("estimatedAt", clock.instant().toString());
        ObjectNode countries = json.putObject("byCountry");
        byCountry.forEach((country, part) -> countries.putObject(country).put("n", part.n()).put("price", part.price()).put("cost", part.cost()));
        jdbc.sql("update campaigns set estimate = cast(:estimate as jsonb) where tenant_id = :tenant and id = :id")
                .param("estimate", JSON.writeValueAsString(json)).param("tenant", tenant).param("id", campaignId).update();
        return estimate;
    }
}
