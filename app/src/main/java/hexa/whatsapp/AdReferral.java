package hexa.whatsapp;

import static hexa.whatsapp.JsonFields.text;

import tools.jackson.databind.JsonNode;

/**
 * Where a customer's message came from when they tapped a click-to-WhatsApp ad or a post's button: Meta's
 * {@code referral} object, read into plain text. Every field is Meta's or the advertiser's text and is shown as text.
 *
 * @param sourceType {@code ad} or {@code post}
 * @param sourceId the ad's (or post's) id at Meta
 * @param sourceUrl the ad or post the customer saw
 * @param headline the ad's headline
 * @param body the ad's text
 * @param mediaType {@code image} or {@code video}, when the ad had one
 * @param ctwaClid Meta's click id, for conversions reported back to Meta
 * @param welcomeMessage the greeting the ad showed in the chat, if it had one
 */
public record AdReferral(String sourceType, String sourceId, String sourceUrl, String headline, String body, String mediaType,
                         String imageUrl, String videoUrl, String thumbnailUrl, String ctwaClid, String welcomeMessage) {

    /** The referral of one of Meta's message objects, or null when it has none (or one naming nothing). */
    static AdReferral of(JsonNode message) {
        JsonNode referral = message == null ? null : message.get("referral");
        if (referral == null || !referral.isObject()) {
            return null;
        }
        AdReferral read = new AdReferral(blankToNull(text(referral, "source_type")), blankToNull(text(referral, "source_id")),
                blankToNull(text(referral, "source_url")), blankToNull(text(referral, "headline")), blankToNull(text(referral, "body")),
                blankToNull(text(referral, "media_type")), blankToNull(text(referral, "image_url")), blankToNull(text(referral, "video_url")),
                blankToNull(text(referral, "thumbnail_url")), blankToNull(text(referral, "ctwa_clid")),
                blankToNull(text(referral.path("welcome_message"), "text")));
        return read.sourceId() == null && read.sourceUrl() == null && read.headline() == null && read.ctwaClid() == null ? null : read;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
