package hexa.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Meta's prices by category and country: the table shipped with the app, and a business's own file in its place. */
class CampaignPricesTest {

    @Test
    void the_shipped_table_prices_each_category_in_the_recipients_market_and_every_other_country_as_other() {
        CampaignPrices prices = new CampaignPrices("", "USD");
        assertThat(prices.price("MARKETING", "DE")).isEqualByComparingTo("0.1365");
        assertThat(prices.price("marketing", "de")).as("Meta's spelling, any case").isEqualByComparingTo("0.1365");
        assertThat(prices.price("UTILITY", "IN")).isEqualByComparingTo("0.0014");
        assertThat(prices.price("AUTHENTICATION", "US")).isEqualByComparingTo("0.0034");
        assertThat(prices.price("authentication-international", "IN")).isEqualByComparingTo("0.0280");
        assertThat(prices.price("AUTHENTICATION_INTERNATIONAL", "DE")).as("no international rate there: the authentication rate")
                .isEqualByComparingTo("0.0550");
        assertThat(prices.price("MARKETING_LITE", "BR")).isEqualByComparingTo("0.0625");
        assertThat(prices.price("MARKETING", "AT")).as("Rest of Western Europe").isEqualByComparingTo("0.0592");
        assertThat(prices.market("KE").name()).isEqualTo("Rest of Africa");
        assertThat(prices.price("MARKETING", "AQ")).as("a country in no row").isEqualByComparingTo("0.0604");
        assertThat(prices.price("MARKETING", null)).as("no country known").isEqualByComparingTo("0.0604");
        assertThat(prices.price("SERVICE", "DE")).as("service messages are free").isZero();
        assertThat(prices.currency()).isEqualTo("USD");
    }

    @Test
    void a_file_named_in_the_configuration_replaces_the_table(@TempDir Path dir) throws Exception {
        Path own = dir.resolve("prices.csv");
        Files.writeString(own, """
                # our negotiated rates, in euros
                market,countries,marketing,utility,authentication
                Germany,DE,0.11,0.04,0.04
                Everywhere else,*,0.05,0.01,0.01
                """);
        CampaignPrices prices = new CampaignPrices(own.toString(), "EUR");
        assertThat(prices.price("MARKETING", "DE")).isEqualByComparingTo("0.11");
        assertThat(prices.price("MARKETING", "IN")).isEqualByComparingTo("0.05");
        assertThat(prices.price("AUTHENTICATION_INTERNATIONAL", "DE")).isEqualByComparingTo("0.04");
        assertThat(prices.currency()).isEqualTo("EUR");
    }

    @Test
    void a_table_without_a_row_for_every_other_country_or_with_a_price_that_is_not_one_is_refused_at_start(@TempDir Path dir) throws Exception {
        Path noDefault = dir.resolve("no-default.csv");
        Files.writeString(noDefault, "market,countries,marketing,utility,authentication\nGermany,DE,0.11,0.04,0.04\n");
        assertThatThrownBy(() -> new CampaignPrices(noDefault.toString(), "EUR")).hasMessageContaining("\"*\"");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "market,countries,marketing,utility,authentication\nOther,*,cheap,0.01,0.01\n");
        assertThatThrownBy(() -> new CampaignPrices(bad.toString(), "EUR")).hasMessageContaining("cheap");
        assertThatThrownBy(() -> new CampaignPrices(dir.resolve("missing.csv").toString(), "EUR")).hasMessageContaining("missing.csv");
    }
}
