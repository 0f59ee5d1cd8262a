package hexa.contacts;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/**
 * Phone numbers as people write them (+91 98…, 098…, 91-98…, (0)98…) turned into E.164, the one
 * spelling contacts are stored and matched in. A number written without its country code is read in
 * the workspace's default country. A number that cannot be one says why, as a message key
 * ({@code contacts.phone.*}) with the number as its argument.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** The outcome of reading one written number: its E.164 form, or the reason it is not a number. */
    public record Reading(String e164, String problemKey) {
        public boolean valid() {
            return e164 != null;
        }

        /** WhatsApp's wa_id for this number: its E.164 digits without the plus. */
        public String waId() {
            return e164 == null ? null : e164.substring(1);
        }
    }

    public static Reading read(String written, String defaultCountry) {
        if (written == null || written.isBlank()) {
            return new Reading(null, "contacts.phone.empty");
        }
        String candidate = written.strip();
        String digits = candidate.replaceAll("[^0-9]", "");
        if (digits.isEmpty() || !candidate.matches("[0-9+\\-().\\s/]+")) {
            return new Reading(null, "contacts.phone.not-a-number");
        }
        if (candidate.startsWith("00")) {
            candidate = "+" + digits.substring(2);
        } else if (!candidate.startsWith("+") && !candidate.startsWith("0") && digits.length() > 10) {
            // 91-98… or 4915…: long enough to carry its country code, and written without the plus.
            candidate = "+" + digits;
        }
        try {
            Phonenumber.PhoneNumber number = PHONES.parse(candidate, defaultCountry);
            switch (PHONES.isPossibleNumberWithReason(number)) {
                case IS_POSSIBLE:
                    break;
                case IS_POSSIBLE_LOCAL_ONLY:
                    // Dialable only inside its area (no area code): WhatsApp cannot reach it.
                    return new Reading(null, "contacts.phone.too-short");
                case TOO_SHORT:
                    return new Reading(null, "contacts.phone.too-short");
                case TOO_LONG:
                    return new Reading(null, "contacts.phone.too-long");
                case INVALID_COUNTRY_CODE:
                    return new Reading(null, "contacts.phone.country-unknown");
                default:
                    return new Reading(null, "contacts.phone.wrong-length");
            }
            return new Reading(PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), null);
        } catch (NumberParseException e) {
            switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE:
                    return new Reading(null, "contacts.phone.country-unknown");
                case TOO_SHORT_NSN:
                case TOO_SHORT_AFTER_IDD:
                    return new Reading(null, "contacts.phone.too-short");
                case TOO_LONG:
                    return new Reading(null, "contacts.phone.too-long");
                default:
                    return new Reading(null, "contacts.phone.not-a-number");
            }
        }
    }
}
