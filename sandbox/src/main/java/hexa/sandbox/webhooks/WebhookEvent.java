package hexa.sandbox.webhooks;

import tools.jackson.databind.node.ObjectNode;

/**
 * One update Meta reports: an inbound message (with the contact who sent it), a status, or a
 * template status change. Several events are assembled into one POST under load.
 *
 * @param wabaId         the entry they belong to
 * @param field          "messages", "user_preferences", "smb_message_echoes", "smb_app_state_sync" or
 *                       "message_template_status_update"
 * @param phoneNumberId  the number whose metadata the change carries (null for template events)
 * @param displayPhoneNumber its digits, for metadata
 * @param listName       the array the item goes into: "messages", "statuses", "user_preferences", "message_echoes" or
 *                       "state_sync"; null for template events
 * @param item           the message, the status, or the whole template change value
 * @param contact        the sender's contact card for inbound messages; null when Meta sends none (system messages)
 */
public record WebhookEvent(String wabaId, String field, String phoneNumberId, String displayPhoneNumber,
        String listName, ObjectNode item, ObjectNode contact) {

    public static WebhookEvent message(String wabaId, String phoneNumberId, String displayPhoneNumber,
            ObjectNode message, ObjectNode contact) {
        return new WebhookEvent(wabaId, "messages", phoneNumberId, displayPhoneNumber, "messages", message, contact);
    }

    public static WebhookEvent status(String wabaId, String phoneNumberId, String displayPhoneNumber, ObjectNode status) {
        return new WebhookEvent(wabaId, "messages", phoneNumberId, displayPhoneNumber, "statuses", status, null);
    }

    /** A customer stopped or resumed marketing messages; its contact carries only the wa_id. */
    public static WebhookEvent userPreference(String wabaId, String phoneNumberId, String displayPhoneNumber, ObjectNode preference,
            ObjectNode contact) {
        return new WebhookEvent(wabaId, "user_preferences", phoneNumberId, displayPhoneNumber, "user_preferences", preference, contact);
    }

    /** A message the business sent (or edited, or deleted) in the WhatsApp Business app on the same number. */
    public static WebhookEvent echo(String wabaId, String phoneNumberId, String displayPhoneNumber, ObjectNode echo) {
        return new WebhookEvent(wabaId, "smb_message_echoes", phoneNumberId, displayPhoneNumber, "message_echoes", echo, null);
    }

    /** A contact added to, changed in or removed from the WhatsApp Business app's address book. */
    public static WebhookEvent stateSync(String wabaId, String phoneNumberId, String displayPhoneNumber, ObjectNode sync) {
        return new WebhookEvent(wabaId, "smb_app_state_sync", phoneNumberId, displayPhoneNumber, "state_sync", sync, null);
    }

    public static WebhookEvent templateStatus(String wabaId, ObjectNode value) {
        return new WebhookEvent(wabaId, "message_template_status_update", null, null, null, value, null);
    }

    /** A template's quality score changed: {@code message_template_quality_update}. */
    public static WebhookEvent templateQuality(String wabaId, ObjectNode value) {
        return new WebhookEvent(wabaId, "message_template_quality_update", null, null, null, value, null);
    }

    /** Meta moved a template to another category: {@code template_category_update}. */
    public static WebhookEvent templateCategory(String wabaId, ObjectNode value) {
        return new WebhookEvent(wabaId, "template_category_update", null, null, null, value, null);
    }

    /** Events with the same key share one {@code changes[]} item. */
    String changeKey() {
        if (listName == null) {
            return null;
        }
        // System messages carry no contacts, so they cannot share a value with ordinary messages.
        String contactless = "messages".equals(listName) && contact == null ? "-system" : "";
        return phoneNumberId + "/" + listName + contactless;
    }
}
