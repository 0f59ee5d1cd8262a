package hexa.identity;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The options of the time zone and country pickers. */
public final class Choices {

    public record Country(String code, String name, int callingCode) {
    }

    private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/"))
            .sorted().toList();

    private static final List<Country> COUNTRIES = PhoneNumberUtil.getInstance().getSupportedRegions().stream()
            .map(code -> new Country(code, new Locale("", code).getDisplayCountry(Locale.ENGLISH),
                    PhoneNumberUtil.getInstance().getCountryCodeForRegion(code)))
            .sorted(Comparator.comparing(Country::name))
            .toList();

    private Choices() {
    }

    public static List<String> timeZones() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of("UTC"), ZONES.stream()).toList();
    }

    public static List<Country> countries() {
        return COUNTRIES;
    }
}
