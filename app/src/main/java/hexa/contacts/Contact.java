package hexa.contacts;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A person the workspace talks to on WhatsApp, with what the business keeps about them. Custom
 * attribute values are keyed by the attribute's key (see {@code contact_attributes}); tags and notes
 * are read separately.
 */
public record Contact(UUID id, String name, String profileName, String phoneE164, String waId, String whatsappUserId,
                      String email, String company, UUID ownerId, Map<String, Object> attributes,
                      Instant blockedAt, Consent consent, Instant createdAt, Instant lastActivityAt) {

    public Contact {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        consent = consent == null ? Consent.UNKNOWN : consent;
    }

    /** What people see: the name the business gave, else the WhatsApp profile name, else the number. */
    public String displayName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        if (profileName != null && !profileName.isBlank()) {
            return profileName;
        }
        return phoneE164 != null ? phoneE164 : whatsappUserId;
    }

    public boolean blocked() {
        return blockedAt != null;
    }

    /**
     * The person's current marketing consent: {@code opted_in}, {@code opted_out} or {@code unknown}, with
     * the source ({@code import}, {@code agent}, {@code form}, {@code keyword}, {@code api}) and time of the
     * change that set it. The whole history is in {@code contact_consent_events}.
     */
    public record Consent(String marketing, String source, Instant at) {
        public static final Consent UNKNOWN = new Consent("unknown", null, null);

        public boolean optedOut() {
            return "opted_out".equals(marketing);
        }
    }
}
