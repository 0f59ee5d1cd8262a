package hexa.campaigns;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/**
 * Where a recipient's number is, and so which time zone "10:00 in their own day" means. The country comes from the number
 * (libphonenumber's region). Meta's per-number time-zone data (libphonenumber's geocoder artifact) is not among the
 * build's libraries, so the zone is the country's: its only zone, or for a country spanning several the zone where most
 * of its people live (the United States: New York; Brazil: São Paulo; Russia: Moscow; Australia: Sydney; Canada:
 * Toronto; Mexico: Mexico City; Indonesia: Jakarta). A country not listed, or a number without one, takes the workspace's
 * zone.
 */
final class RecipientZones {

    private static final Map<String, String> ZONES = Map.ofEntries(
            Map.entry("IN", "Asia/Kolkata"), Map.entry("US", "America/New_York"), Map.entry("CA", "America/Toronto"),
            Map.entry("MX", "America/Mexico_City"), Map.entry("BR", "America/Sao_Paulo"), Map.entry("AR", "America/Argentina/Buenos_Aires"),
            Map.entry("CL", "America/Santiago"), Map.entry("CO", "America/Bogota"), Map.entry("PE", "America/Lima"),
            Map.entry("VE", "America/Caracas"), Map.entry("EC", "America/Guayaquil"), Map.entry("GB", "Europe/London"),
            Map.entry("IE", "Europe/Dublin"), Map.entry("PT", "Europe/Lisbon"), Map.entry("ES", "Europe/Madrid"),
            Map.entry("FR", "Europe/Paris"), Map.entry("DE", "Europe/Berlin"), Map.entry("IT", "Europe/Rome"),
            Map.entry("NL", "Europe/Amsterdam"), Map.entry("BE", "Europe/Brussels"), Map.entry("CH", "Europe/Zurich"),
            Map.entry("AT", "Europe/Vienna"), Map.entry("PL", "Europe/Warsaw"), Map.entry("SE", "Europe/Stockholm"),
            Map.entry("NO", "Europe/Oslo"), Map.entry("DK", "Europe/Copenhagen"), Map.entry("FI", "Europe/Helsinki"),
            Map.entry("GR", "Europe/Athens"), Map.entry("TR", "Europe/Istanbul"), Map.entry("RU", "Europe/Moscow"),
            Map.entry("UA", "Europe/Kyiv"), Map.entry("RO", "Europe/Bucharest"), Map.entry("CZ", "Europe/Prague"),
            Map.entry("HU", "Europe/Budapest"), Map.entry("IL", "Asia/Jerusalem"), Map.entry("AE", "Asia/Dubai"),
            Map.entry("SA", "Asia/Riyadh"), Map.entry("QA", "Asia/Qatar"), Map.entry("KW", "Asia/Kuwait"), Map.entry("EG", "Africa/Cairo"),
            Map.entry("NG", "Africa/Lagos"), Map.entry("KE", "Africa/Nairobi"), Map.entry("ZA", "Africa/Johannesburg"),
            Map.entry("MA", "Africa/Casablanca"), Map.entry("GH", "Africa/Accra"), Map.entry("PK", "Asia/Karachi"),
            Map.entry("BD", "Asia/Dhaka"), Map.entry("LK", "Asia/Colombo"), Map.entry("NP", "Asia/Kathmandu"),
            Map.entry("ID", "Asia/Jakarta"), Map.entry("MY", "Asia/Kuala_Lumpur"), Map.entry("SG", "Asia/Singapore"),
            Map.entry("TH", "Asia/Bangkok"), Map.entry("VN", "Asia/Ho_Chi_Minh"), Map.entry("PH", "Asia/Manila"),
            Map.entry("CN", "Asia/Shanghai"), Map.entry("HK", "Asia/Hong_Kong"), Map.entry("TW", "Asia/Taipei"),
            Map.entry("JP", "Asia/Tokyo"), Map.entry("KR", "Asia/Seoul"), Map.entry("AU", "Australia/Sydney"),
            Map.entry("NZ", "Pacific/Auckland"));

    private RecipientZones() {
    }

    /** The country (ISO 3166 two letters) of a WhatsApp number's digits, or null. */
    static String country(String waId) {
        if (waId == null || waId.isBlank()) {
            return null;
        }
        try {
            String region = PhoneNumberUtil.getInstance().getRegionCodeForNumber(PhoneNumberUtil.getInstance().parse("+" + waId, "ZZ"));
            return region == null || region.equals("ZZ") || region.length() != 2 ? null : region;
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** The zone of a country, or {@code otherwise}. */
    static ZoneId zone(String country, ZoneId otherwise) {
        String zone = country == null ? null : ZONES.get(country);
        return zone == null ? otherwise : ZoneId.of(zone);
    }

    /** When {@code date} at {@code hour} comes in the recipient's zone; a time already past is now. */
    static Instant due(LocalDate date, int hour, ZoneId zone, Instant now) {
        Instant at = date.atTime(hour, 0).atZone(zone).toInstant();
        return at.isBefore(now) ? now : at;
    }

    /** The first moment any zone reaches {@code date} at {@code hour} (UTC+14 is the earliest). */
    static Instant earliest(LocalDate date, int hour) {
        return date.atTime(hour, 0).atZone(ZoneId.of("+14:00")).toInstant();
    }
}
