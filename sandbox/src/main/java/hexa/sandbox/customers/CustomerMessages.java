package hexa.sandbox.customers;

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
            "location", "contacts", "interactive", "button", "reaction", "unsupported", "system", "order");

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
        String messageId = ids.messageId();
        message.put("id", messageId);
        message.put("timestamp", clock.unixSeconds());
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
        ChatLine line = new ChatLine(messageId, ChatLine.From.CUSTOMER, type, message, clock.now(), "delivered");
        if ("reaction".equals(type)) {
            chats.message(SandboxJson.text(content, "message_id"))
                    .ifPresent(target -> target.line().react(ChatLine.From.CUSTOMER, SandboxJson.text(content, "emoji")));
        }
        if (!"system".equals(type) && keepInChat) {
            chats.add(chats.of(number.phoneNumberId(), customer), line);
        }
        stats.inboundMessages.increment();
        deliveries.publish(number, WebhookEvent.message(number.wabaId(), number.phoneNumberId(),
                number.displayPhoneNumber(), message, contact));
        return message;
    }

    private ObjectNode media(BusinessNumber number, String type, ObjectNode content) {
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
