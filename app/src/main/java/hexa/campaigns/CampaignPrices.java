package hexa.campaigns;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Meta's price of one delivered template message by category and the recipient's country, from a price table: the one
 * shipped in {@code campaigns/prices.csv}, or the file named by {@code hexa.campaigns.prices-file}
 * ({@code HEXA_CAMPAIGN_PRICES}) when a business keeps its own (another currency, its negotiated or newer rates). A
 * country not in the table has the price of the row whose countries are {@code *}.
 */
@Component
public class CampaignPrices {

    static final String SHIPPED = "campaigns/prices.csv";
    /** Where a country is unknown (no number, or one libphonenumber could not place). */
    public static final String UNKNOWN_COUNTRY = "ZZ";

    private final Map<String, Market> byCountry;
    private final Market other;
    private final String currency;

    /** The prices of one market, per category. */
    public record Market(String name, BigDecimal marketing, BigDecimal utility, BigDecimal authentication, BigDecimal authenticationInternational) {
    }

    CampaignPrices(@Value("${hexa.campaigns.prices-file:}") String file, @Value("${hexa.campaigns.currency:USD}") String currency) {
        this.currency = currency;
        Map<String, Market> countries = new HashMap<>();
        Market fallback = null;
        try (Reader reader = open(file)) {
            CSVFormat format = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true).setTrim(true).get();
            for (CSVRecord row : format.parse(reader)) {
                Market market = new Market(row.get("market"), price(row, "marketing"), price(row, "utility"), price(row, "authentication"),
                        row.isMapped("authentication_international") && !row.get("authentication_international").isBlank()
                                ? price(row, "authentication_international") : null);
                for (String country : row.get("countries").split("\\s+")) {
                    if (country.equals("*")) {
                        fallback = market;
                    } else if (!country.isBlank()) {
                        countries.put(country.toUpperCase(Locale.ROOT), market);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the campaign price table " + (file.isBlank() ? SHIPPED : file), e);
        }
        if (fallback == null) {
            throw new IllegalStateException("The campaign price table " + (file.isBlank() ? SHIPPED : file)
                    + " has no row for every other country (countries \"*\")");
        }
        this.byCountry = Map.copyOf(countries);
        this.other = fallback;
    }

    private static Reader open(String file) throws IOException {
        if (file != null && !file.isBlank()) {
            return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
        }
        InputStream in = CampaignPrices.class.getClassLoader().getResourceAsStream(SHIPPED);
        if (in == null) {
            throw new IOException(SHIPPED + " is missing from the application");
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    private static BigDecimal price(CSVRecord row, String column) {
        try {
            BigDecimal price = new BigDecimal(row.get(column));
            if (price.signum() < 0) {
                throw new IllegalStateException("A negative price in the campaign price table, line " + row.getRecordNumber());
            }
            return price;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Not a price in the campaign price table, line " + row.getRecordNumber() + ", " + column
                    + ": " + row.get(column), e);
        }
    }

    /** The currency of the table's prices. */
    public String currency() {
        return currency;
    }

    /** The market a country (ISO 3166 code; null or unknown: the "other" row) is priced as. */
    public Market market(String country) {
        return country == null ? other : byCountry.getOrDefault(country.toUpperCase(Locale.ROOT), other);
    }

    /**
     * The price of one delivered message of a category ({@code MARKETING}, {@code UTILITY}, {@code AUTHENTICATION},
     * {@code AUTHENTICATION_INTERNATIONAL}, {@code MARKETING_LITE}; Meta's spelling in lower case is taken too) to a
     * recipient in the country. Service messages, referral conversions and unknown categories are free.
     */
    public BigDecimal price(String category, String country) {
        Market market = market(country);
        if (category == null) {
            return BigDecimal.ZERO;
        }
        return switch (category.strip().toUpperCase(Locale.ROOT).replace('-', '_')) {
            case "MARKETING", "MARKETING_LITE" -> market.marketing();
            case "UTILITY" -> market.utility();
            case "AUTHENTICATION" -> market.authentication();
            case "AUTHENTICATION_INTERNATIONAL" -> market.authenticationInternational() != null ? market.authenticationInternational()
                    : market.authentication();
            default -> BigDecimal.ZERO;
        };
    }

    /** Every country named in the table and its market, for a page that shows the table. */
    public Map<String, Market> countries() {
        return new LinkedHashMap<>(byCountry);
    }
}
