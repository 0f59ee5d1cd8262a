package hexa.sandbox.customers;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxJson;
import hexa.sandbox.SandboxStats;
import hexa.sandbox.WhatsAppIds;
import hexa.sandbox.media.MediaKind;
import hexa.sandbox.media.MediaStore;
import hexa.sandbox.media.PlaceholderMedia;
import hexa.sandbox.media.StoredMedia;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.webhooks.WebhookDeliveries;
import hexa.sandbox.webhooks.WebhookEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A simulated customer sends a message to a business number. The caller gives the message in Meta's
 * inbound shape ({@code {"type":"text","text":{"body":"hi"}}}); the sandbox adds what Meta adds
 * (sender, id, timestamp, media hashes, errors of unsupported types) and posts the webhook.
 */
@Component
public class CustomerMessages {

    public static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "document", "sticker",
            "location", "contacts", "interactive", "button", "reaction", "unsupported", "system", "order", "edit", "revoke");

    /** Meta lets a customer edit a message for 15 minutes after sending it, and delete it for two days. */
    static final Duration EDIT_WINDOW = Duration.ofMinutes(15);
    static final Duration REVOKE_WINDOW = Duration.ofDays(2);
    /** How far back a script may date a customer's message (the demo fills in a few days of conversation). */
    static final Duration PAST_LIMIT = Duration.ofDays(30);
    /** Types whose text or caption a customer can edit. */
    private static final Set<String> EDITABLE = Set.of("text", "image", "video", "document");

    private final Customers customers;
    private final Chats chats;
    private final MediaStore media;
    private final WebhookDeliveries deliveries;
    private final SandboxClock clock;
    private final SandboxStats stats;
    private final WhatsAppIds ids;

    public CustomerMessages(Customers customers, Chats chats, MediaStore media, WebhookDeliveries deliveries,
            SandboxClock clock, SandboxStats stats, WhatsAppIds ids) {
        this.customers = customers;
        this.chats = chats;
        this.media = media;
        this.deliveries = deliveries;
        this.clock = clock;
        this.stats = stats;
        this.ids = ids;
    }

    /** Thrown for a message the sandbox cannot make a customer send; the control API answers 400. */
    public static class UnsendableMessage extends RuntimeException {
        public UnsendableMessage(String message) {
            super(message);
        }
    }

    /**
     * Makes the customer send the message and returns the message object as it goes into the webhook.
     *
     * @param customerId  a wa_id, or a business-scoped user id for a customer without a phone number
     * @param profileName optional WhatsApp profile name
     * @param userId      optional business-scoped user id of a customer who also has a phone number
     */
    public ObjectNode send(BusinessNumber number, String customerId, String profileName, String userId, JsonNode given) {
        return send(number, customerId, profileName, userId, given, true);
    }

    /**
     * As {@link #send(BusinessNumber, String, String, String, JsonNode)}; with {@code keepInChat} false the message
     * goes out as a webhook but is not kept in the customer's chat. Load runs send hundreds of thousands of
     * messages nobody reads in the phone simulator; keeping them all would make every garbage collection of the
     * sandbox copy them again, pausing the sender that measures how fast the app acknowledges.
     */
    public ObjectNode send(BusinessNumber number, String customerId, String profileName, String userId, JsonNode given,
            boolean keepInChat) {
        if (given == null || !given.isObject()) {
            throw new UnsendableMessage("The message must be a JSON object in Meta's inbound shape.");
        }
        String type = SandboxJson.text(given, "type");
        if (type == null || !TYPES.contains(type)) {
            throw new UnsendableMessage("type must be one of " + new java.util.TreeSet<>(TYPES));
        }
        if (!"unsupported".equals(type) && !"system".equals(type) && !(given.get(type) instanceof ObjectNode)
                && !("contacts".equals(type) && given.path(type).isArray())) {
            throw new UnsendableMessage("The message needs a \"" + type + "\" object.");
        }
        Instant at = sentAt(given);
        ChatLine original = null;
        if ("edit".equals(type) || "revoke".equals(type)) {
            original = original(number, customerId, type, (ObjectNode) given.get(type), at);
        }
        if ("interactive".equals(type)) {
            interactive((ObjectNode) given.get(type));
        }
        JsonNode referral = given.get("referral");
        if (referral != null && !referral.isObject()) {
            throw new UnsendableMessage("referral must be an object, as in a click-to-WhatsApp ad's message (source_url, source_id, source_type, headline...).");
        }
        Customer customer = customers.obtain(customerId, profileName);
        if (userId != null && !userId.isBlank()) {
            customer.changeUserId(userId);
        }

        ObjectNode message = SandboxJson.object();
        JsonNode context = given.get("context");
        if (context instanceof ObjectNode) {
            ObjectNode copy = ((ObjectNode) context).deepCopy();
            if (copy.has("id") && !copy.has("from")) {
                // Replies and button taps refer to a business message, sent from the business number.
                copy.put("from", number.displayPhoneNumber());
            }
            message.set("context", copy);
        }
        if (customer.waId() != null) {
            message.put("from", customer.waId());
        }
        if (customer.userId() != null) {
            message.put("from_user_id", customer.userId());
        }
        if (referral != null) {
            message.set("referral", referral.deepCopy());
        }
        String messageId = ids.messageId();
        message.put("id", messageId);
        message.put("timestamp", Long.toString(at.getEpochSecond()));
        message.put("type", type);
        ObjectNode content = given.get(type) instanceof ObjectNode ? ((ObjectNode) given.get(type)).deepCopy() : null;
        switch (type) {
            case "image":
            case "audio":
            case "video":
            case "document":
            case "sticker":
                message.set(type, media(number, type, content));
                break;
            case "unsupported":
                unsupported(message, content);
                break;
            case "system":
                message.set("system", system(customer, content == null ? SandboxJson.object() : content, message));
                break;
            case "contacts":
                message.set("contacts", given.get("contacts").deepCopy());
                break;
            case "edit":
                message.set("edit", edit(original, content));
                break;
            case "revoke":
                message.putObject("revoke").put("original_message_id", original.id());
                break;
            default:
                message.set(type, content);
        }

        ObjectNode contact = null;
        // Meta sends no contacts with a changed number or user id, but does with an identity change.
        if (!"system".equals(type) || message.has("identity")) {
            contact = SandboxJson.object();
            contact.putObject("profile").put("name", customer.profileName());
            if (customer.waId() != null) {
                contact.put("wa_id", customer.waId());
            }
            if (customer.userId() != null) {
                contact.put("user_id", customer.userId());
            }
        }
        ChatLine line = new ChatLine(messageId, ChatLine.From.CUSTOMER, type, message, at, "delivered");
        if ("reaction".equals(type)) {
            chats.message(SandboxJson.text(content, "message_id"))
                    .ifPresent(target -> target.line().react(ChatLine.From.CUSTOMER, SandboxJson.text(content, "emoji")));
        }
        if ("edit".equals(type)) {
            original.edit((ObjectNode) message.at("/edit/message"));
        } else if ("revoke".equals(type)) {
            original.delete();
        }
        // An edit or a deletion changes the bubble it names; it is no bubble of its own.
        if (!"system".equals(type) && !"edit".equals(type) && !"revoke".equals(type) && keepInChat) {
            chats.add(chats.of(number.phoneNumberId(), customer), line, clock.now());
        }
        stats.inboundMessages.increment();
        deliveries.publish(number, WebhookEvent.message(number.wabaId(), number.phoneNumberId(),
                number.displayPhoneNumber(), message, contact));
        return message;
    }

    /**
     * When the message was sent: now, or the {@code timestamp} (Unix seconds) a script gives to fill in a conversation's
     * past, at most {@link #PAST_LIMIT} ago and never in the future.
     */
    private Instant sentAt(JsonNode given) {
        Instant now = clock.now();
        JsonNode timestamp = given.get("timestamp");
        if (timestamp == null || timestamp.isNull()) {
            return now;
        }
        long seconds;
        if (timestamp.isIntegralNumber()) {
            seconds = timestamp.asLong();
        } else if (timestamp.isString() && timestamp.asString().matches("[0-9]{1,12}")) {
            seconds = Long.parseLong(timestamp.asString());
        } else {
            throw new UnsendableMessage("timestamp must be Unix seconds (a number or a string of digits), e.g. " + now.getEpochSecond());
        }
        Instant at = Instant.ofEpochSecond(seconds);
        if (at.isAfter(now.plusSeconds(60))) {
            throw new UnsendableMessage("timestamp " + seconds + " is in the future; the sandbox's clock says " + now.getEpochSecond());
        }
        if (at.isBefore(now.minus(PAST_LIMIT))) {
            throw new UnsendableMessage("timestamp " + seconds + " is more than 30 days ago; a message can be dated at most 30 days back");
        }
        return at;
    }

    /** The customer's own earlier message that an edit or a deletion names, if it may still be edited or deleted. */
    private ChatLine original(BusinessNumber number, String customerId, String type, ObjectNode content, Instant at) {
        String originalId = SandboxJson.text(content, "original_message_id");
        if (originalId == null || originalId.isBlank()) {
            throw new UnsendableMessage(type + ".original_message_id must name the customer's earlier message");
        }
        Customer sender = customers.find(customerId).orElse(null);
        ChatLine line = chats.message(originalId)
                .filter(found -> found.chat().phoneNumberId().equals(number.phoneNumberId()) && found.chat().customer() == sender)
                .map(Chats.Located::line)
                .filter(found -> found.from() == ChatLine.From.CUSTOMER)
                .orElseThrow(() -> new UnsendableMessage("No message " + originalId + " of this customer to this number; a customer can "
                        + ("edit".equals(type) ? "edit" : "delete") + " only a message they sent"));
        if (line.deleted()) {
            throw new UnsendableMessage("The message " + originalId + " was deleted already");
        }
        Duration window = "edit".equals(type) ? EDIT_WINDOW : REVOKE_WINDOW;
        if (at.isAfter(line.at().plus(window))) {
            throw new UnsendableMessage("edit".equals(type)
                    ? "A message can be edited only within 15 minutes of sending it (WhatsApp's rule)"
                    : "A message can be deleted for everyone only within two days of sending it (WhatsApp's rule)");
        }
        if ("edit".equals(type)) {
            if (!EDITABLE.contains(line.type())) {
                throw new UnsendableMessage("Only a text or the caption of a photo, video or document can be edited, not a " + line.type());
            }
            JsonNode message = content.get("message");
            String editedType = SandboxJson.text(message, "type");
            if (!(message instanceof ObjectNode) || !line.type().equals(editedType) || !(message.get(editedType) instanceof ObjectNode)) {
                throw new UnsendableMessage("edit.message must be the new message, of the original's type " + line.type()
                        + ", e.g. {\"type\":\"" + line.type() + "\",\"" + line.type() + "\":{\""
                        + ("text".equals(line.type()) ? "body" : "caption") + "\":\"...\"}}");
            }
            String field = "text".equals(line.type()) ? "body" : "caption";
            if (SandboxJson.text(message.get(editedType), field) == null) {
                throw new UnsendableMessage("edit.message." + editedType + "." + field + " is missing: what does it say now?");
            }
        }
        return line;
    }

    /** Meta's {@code edit}: the original's id and the message as it reads now (media keep their file, with the new caption). */
    static ObjectNode edit(ChatLine original, ObjectNode content) {
        ObjectNode edit = SandboxJson.object();
        edit.put("original_message_id", original.id());
        ObjectNode message = edit.putObject("message");
        String type = original.type();
        message.put("type", type);
        JsonNode given = content.get("message").get(type);
        if ("text".equals(type)) {
            message.putObject("text").put("body", SandboxJson.text(given, "body"));
        } else {
            ObjectNode media = ((ObjectNode) original.content().get(type)).deepCopy();
            media.put("caption", SandboxJson.text(given, "caption"));
            message.set(type, media);
        }
        return edit;
    }

    /** A Flow's answer may be given as an object for convenience; Meta sends {@code response_json} as a string. */
    private static void interactive(ObjectNode interactive) {
        JsonNode flow = interactive.get("nfm_reply");
        if (flow instanceof ObjectNode reply) {
            JsonNode response = reply.get("response_json");
            if (response != null && response.isObject()) {
                reply.put("response_json", response.toString());
            } else if (response == null || !response.isString()) {
                throw new UnsendableMessage("interactive.nfm_reply.response_json must be the Flow's answers, a JSON object or its text");
            }
            if (!reply.has("name")) {
                reply.put("name", "flow");
            }
            if (!reply.has("body")) {
                reply.put("body", "Sent");
            }
        }
    }

    /**
     * The customer stops or resumes marketing messages in WhatsApp's settings: Meta sends a {@code user_preferences}
     * change (no profile in its contacts, an integer timestamp). Answers the preference as the webhook carries it.
     */
    public ObjectNode marketingPreference(BusinessNumber number, String customerId, String value) {
        if (!"stop".equals(value) && !"resume".equals(value)) {
            throw new UnsendableMessage("marketing must be \"stop\" or \"resume\"");
        }
        if (customerId == null || Customer.isBusinessScopedUserId(customerId)
                || customers.find(customerId).map(c -> c.waId() == null).orElse(!customerId.matches("[0-9]{6,15}"))) {
            throw new UnsendableMessage("Meta reports marketing preferences by phone number (wa_id); this customer has none");
        }
        Customer customer = customers.obtain(customerId, null);
        ObjectNode preference = SandboxJson.object();
        preference.put("wa_id", customer.waId());
        preference.put("detail", "stop".equals(value) ? "User requested to stop marketing messages" : "User requested to resume marketing messages");
        preference.put("category", "marketing_messages");
        preference.put("value", value);
        preference.put("timestamp", clock.now().getEpochSecond());
        ObjectNode contact = SandboxJson.object();
        contact.put("wa_id", customer.waId());
        chats.of(number.phoneNumberId(), customer);
        deliveries.publish(number, WebhookEvent.userPreference(number.wabaId(), number.phoneNumberId(), number.displayPhoneNumber(),
                preference, contact));
        return preference;
    }

    ObjectNode media(BusinessNumber number, String type, ObjectNode content) {
        MediaKind kind = MediaKind.ofMessageType(type);
        String mediaId = SandboxJson.text(content, "id");
        StoredMedia stored;
        if (mediaId != null) {
            stored = media.find(mediaId).orElseThrow(() -> new UnsendableMessage("No media with id " + mediaId));
            if (!kind.accepts(stored.mimeType())) {
                throw new UnsendableMessage("Media " + mediaId + " (" + stored.mimeType() + ") cannot be sent as " + type);
            }
        } else {
            PlaceholderMedia.File file = PlaceholderMedia.of(kind);
            stored = media.store(number.phoneNumberId(), file.mimeType(), file.filename(), file.bytes());
        }
        ObjectNode out = SandboxJson.object();
        String caption = SandboxJson.text(content, "caption");
        if (caption != null && ("image".equals(type) || "video".equals(type) || "document".equals(type))) {
            out.put("caption", caption);
        }
        if ("document".equals(type)) {
            String filename = SandboxJson.text(content, "filename");
            out.put("filename", filename != null ? filename : stored.filename() != null ? stored.filename() : "document");
        }
        out.put("mime_type", stored.mimeType());
        out.put("sha256", stored.sha256Base64());
        out.put("id", stored.id());
        if ("audio".equals(type)) {
            JsonNode voice = content == null ? null : content.get("voice");
            out.put("voice", voice != null ? voice.asBoolean() : stored.mimeType().startsWith("audio/ogg"));
        }
        if ("sticker".equals(type)) {
            JsonNode animated = content == null ? null : content.get("animated");
            out.put("animated", animated != null && animated.asBoolean());
        }
        return out;
    }

    private static void unsupported(ObjectNode message, ObjectNode content) {
        // Meta lists errors before the type; keep that order for faithful bytes.
        message.remove("type");
        ObjectNode error = message.putArray("errors").addObject();
        error.put("code", 131051);
        error.put("title", "Message type unknown");
        error.put("message", "Message type unknown");
        error.putObject("error_data").put("details", "Message type is currently not supported.");
        message.put("type", "unsupported");
        if (content != null) {
            message.set("unsupported", content);
        }
    }

    private ObjectNode system(Customer customer, ObjectNode content, ObjectNode message) {
        String kind = SandboxJson.text(content, "type");
        ObjectNode system = SandboxJson.object();
        if (kind == null || "user_changed_number".equals(kind)) {
            String newWaId = SandboxJson.text(content, "wa_id");
            if (newWaId == null || customer.waId() == null) {
                throw new UnsendableMessage("user_changed_number needs system.wa_id, the customer's new number");
            }
            system.put("body", "User " + customer.profileName() + " changed from " + customer.waId() + " to " + newWaId);
            system.put("wa_id", newWaId);
            system.put("type", "user_changed_number");
            customers.changeNumber(customer, newWaId);
        } else if ("user_changed_user_id".equals(kind)) {
            String newUserId = SandboxJson.text(content, "user_id");
            if (newUserId == null) {
                throw new UnsendableMessage("user_changed_user_id needs system.user_id");
            }
            system.put("body", "User " + customer.profileName() + " changed their user id");
            system.put("user_id", newUserId);
            system.put("type", "user_changed_user_id");
            customer.changeUserId(newUserId);
        } else if ("customer_identity_changed".equals(kind)) {
            ObjectNode identity = SandboxJson.object();
            identity.put("acknowledged", true);
            identity.put("created_timestamp", clock.unixSeconds());
            identity.put("hash", Long.toHexString(ids.random().nextLong()));
            message.remove("type");
            message.set("identity", identity);
            system.put("body", "User identity changed");
            system.put("type", "customer_identity_changed");
            message.set("system", system);
            message.put("type", "system");
        } else {
            throw new UnsendableMessage("system.type must be user_changed_number, user_changed_user_id or customer_identity_changed");
        }
        return system;
    }
}
