package hexa.sandbox.customers;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxJson;
import hexa.sandbox.WhatsAppIds;
import hexa.sandbox.customers.CustomerMessages.UnsendableMessage;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.webhooks.WebhookDeliveries;
import hexa.sandbox.webhooks.WebhookEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The WhatsApp Business app on the business's own phone, using the same number as the Cloud API ("coexistence"). What
 * someone does in it reaches the app as Meta reports it: a message typed on the phone (and its later edit or deletion)
 * as an {@code smb_message_echoes} change, a contact added to or removed from the phone's address book as an
 * {@code smb_app_state_sync} change.
 */
@Component
public class BusinessApp {

    /** What the business app can send, as Meta's echo webhook lists it. */
    public static final Set<String> ECHO_TYPES = Set.of("text", "image", "video", "document", "edit", "revoke");

    private final Customers customers;
    private final Chats chats;
    private final CustomerMessages customerMessages;
    private final WebhookDeliveries deliveries;
    private final SandboxClock clock;
    private final WhatsAppIds ids;
    /** Ids of messages typed in the business app: only these may be edited or deleted from it. */
    private final Map<String, Boolean> echoed = new ConcurrentHashMap<>();

    public BusinessApp(Customers customers, Chats chats, CustomerMessages customerMessages, WebhookDeliveries deliveries,
            SandboxClock clock, WhatsAppIds ids) {
        this.customers = customers;
        this.chats = chats;
        this.customerMessages = customerMessages;
        this.deliveries = deliveries;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Someone at the business writes to the customer from the WhatsApp Business app: {@code {"type":"text","text":{...}}},
     * an image, video or document (a placeholder file unless an uploaded {@code id} is given), or an edit
     * ({@code {"type":"edit","edit":{"original_message_id":..,"message":{"type":"text","text":{"body":..}}}}}) or a
     * deletion ({@code {"type":"revoke","revoke":{"original_message_id":..}}}) of an earlier such message. Answers the
     * echo as the webhook carries it.
     */
    public ObjectNode echo(BusinessNumber number, String customerId, JsonNode given) {
        if (given == null || !given.isObject()) {
            throw new UnsendableMessage("The message must be a JSON object in Meta's shape, e.g. {\"type\":\"text\",\"text\":{\"body\":\"Hi\"}}.");
        }
        String type = SandboxJson.text(given, "type");
        if (type == null || !ECHO_TYPES.contains(type)) {
            throw new UnsendableMessage("type must be one of " + new java.util.TreeSet<>(ECHO_TYPES) + " (what the WhatsApp Business app echoes)");
        }
        if (!(given.get(type) instanceof ObjectNode content)) {
            throw new UnsendableMessage("The message needs a \"" + type + "\" object.");
        }
        Customer customer = customers.find(customerId).orElse(null);
        if (customerId == null || (customer == null ? !customerId.matches("[0-9]{6,15}") : customer.waId() == null)) {
            throw new UnsendableMessage("The business app writes to a phone number (wa_id); " + customerId + " is none");
        }
        ChatLine original = null;
        if ("edit".equals(type) || "revoke".equals(type)) {
            original = original(number, customer, type, content);
        }
        if ("text".equals(type) && SandboxJson.text(content, "body") == null) {
            throw new UnsendableMessage("text.body is missing");
        }
        Instant now = clock.now();
        ObjectNode echo = SandboxJson.object();
        echo.put("from", number.displayPhoneNumber());
        echo.put("to", customer == null ? customerId : customer.waId());
        String id = ids.messageId();
        echo.put("id", id);
        echo.put("timestamp", Long.toString(now.getEpochSecond()));
        echo.put("type", type);
        switch (type) {
            case "text" -> echo.putObject("text").put("body", SandboxJson.text(content, "body"));
            case "edit" -> echo.set("edit", CustomerMessages.edit(original, content));
            case "revoke" -> echo.putObject("revoke").put("original_message_id", original.id());
            default -> echo.set(type, customerMessages.media(number, type, content.deepCopy()));
        }
        if (customer == null) {
            customer = customers.obtain(customerId, null);
        }
        Chat chat = chats.of(number.phoneNumberId(), customer);
        if ("edit".equals(type)) {
            original.edit((ObjectNode) echo.at("/edit/message"));
        } else if ("revoke".equals(type)) {
            original.delete();
        } else {
            ChatLine line = new ChatLine(id, ChatLine.From.BUSINESS, type, echo, now, "delivered");
            chats.add(chat, line);
            echoed.put(id, Boolean.TRUE);
        }
        deliveries.publish(number, WebhookEvent.echo(number.wabaId(), number.phoneNumberId(), number.displayPhoneNumber(), echo));
        return echo;
    }

    private ChatLine original(BusinessNumber number, Customer customer, String type, ObjectNode content) {
        String originalId = SandboxJson.text(content, "original_message_id");
        if (originalId == null || originalId.isBlank()) {
            throw new UnsendableMessage(type + ".original_message_id must name an earlier message from the business app");
        }
        ChatLine line = chats.message(originalId)
                .filter(found -> found.chat().phoneNumberId().equals(number.phoneNumberId()) && found.chat().customer() == customer)
                .map(Chats.Located::line)
                .filter(found -> echoed.containsKey(found.id()))
                .orElseThrow(() -> new UnsendableMessage("No message " + originalId + " sent to this customer from the business app; the"
                        + " app can " + ("edit".equals(type) ? "edit" : "delete") + " only what was typed in it"));
        if (line.deleted()) {
            throw new UnsendableMessage("The message " + originalId + " was deleted already");
        }
        if ("edit".equals(type)) {
            JsonNode message = content.get("message");
            String editedType = SandboxJson.text(message, "type");
            String field = "text".equals(line.type()) ? "body" : "caption";
            if (!line.type().equals(editedType) || SandboxJson.text(message.get(editedType), field) == null) {
                throw new UnsendableMessage("edit.message must be the new message, of the original's type " + line.type()
                        + " with its " + field);
            }
        }
        return line;
    }

    /**
     * A contact is added to (or changed in: {@code add}) or removed from ({@code remove}) the business app's address
     * book. Names go only with {@code add}, as Meta sends them. Answers the sync item as the webhook carries it.
     */
    public ObjectNode syncContact(BusinessNumber number, String action, String phoneNumber, String fullName, String firstName) {
        if (!"add".equals(action) && !"remove".equals(action)) {
            throw new UnsendableMessage("action must be \"add\" (added or edited) or \"remove\"");
        }
        String digits = phoneNumber == null ? "" : phoneNumber.replaceAll("[+\\-() ]", "");
        if (!digits.matches("[0-9]{6,15}")) {
            throw new UnsendableMessage("phoneNumber must be a phone number in international format, e.g. 16505551234");
        }
        if ("add".equals(action) && (fullName == null || fullName.isBlank())) {
            throw new UnsendableMessage("fullName is needed to add a contact");
        }
        ObjectNode sync = SandboxJson.object();
        sync.put("type", "contact");
        ObjectNode contact = sync.putObject("contact");
        if ("add".equals(action)) {
            contact.put("full_name", fullName.strip());
            contact.put("first_name", firstName == null || firstName.isBlank() ? fullName.strip().split("\\s+")[0] : firstName.strip());
        }
        contact.put("phone_number", digits);
        sync.put("action", action);
        sync.putObject("metadata").put("timestamp", clock.unixSeconds());
        deliveries.publish(number, WebhookEvent.stateSync(number.wabaId(), number.phoneNumberId(), number.displayPhoneNumber(), sync));
        return sync;
    }
}
