package hexa.identity;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import hexa.platform.web.UserError;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;

/** A workspace's name, time zone and default country for phone numbers, checked. */
record WorkspaceDetails(String name, ZoneId timeZone, String defaultCountry) {

    public static WorkspaceDetails of(String name, String timeZone, String country) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 120) {
            throw UserError.invalid("workspace.name.invalid");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone == null ? "" : timeZone.trim());
        } catch (DateTimeException e) {
            throw UserError.invalid("workspace.time-zone.invalid");
        }
        String region = country == null ? "" : country.trim().toUpperCase(Locale.ROOT);
        if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
            throw UserError.invalid("workspace.country.invalid");
        }
        return new WorkspaceDetails(trimmed, zone, region);
    }
}
