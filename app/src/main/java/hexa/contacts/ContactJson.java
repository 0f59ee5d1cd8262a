package hexa.contacts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A contact as the REST API shows it (`/api/v1/contacts`), and as exports and imports name its fields. */
record ContactJson(UUID id, String name, String profileName, String phone, String whatsappUserId, String email,
                          String company, UUID ownerId, List<String> tags, Map<String, Object> attributes,
                          ConsentJson consent, boolean blocked, Instant createdAt, Instant lastActivityAt, SourceJson source) {

    public record ConsentJson(String marketing, String source, Instant at) {
    }

    /**
     * Where the contact came from: the click-to-WhatsApp ad (or post) that first brought them to a chat; null when none did.
     */
    public record SourceJson(String sourceType, String sourceId, String headline, String sourceUrl, String ctwaClid, Instant at) {
        static SourceJson of(ContactSources.Referral first) {
            return first == null ? null : new SourceJson(first.sourceType(), first.sourceId(), first.headline(), first.sourceUrl(),
                    first.ctwaClid(), first.at());
        }
    }

    public static ContactJson of(Contact contact, List<String> tags, ContactSources.Referral source) {
        Contact.Consent consent = contact.consent();
        return new ContactJson(contact.id(), contact.name(), contact.profileName(), contact.phoneE164(), contact.whatsappUserId(),
                contact.email(), contact.company(), contact.ownerId(), List.copyOf(tags), contact.attributes(),
                new ConsentJson(consent.marketing(), consent.source(), consent.at()), contact.blocked(), contact.createdAt(),
                contact.lastActivityAt(), SourceJson.of(source));
    }
}
