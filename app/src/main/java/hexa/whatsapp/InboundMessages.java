package hexa.whatsapp;

import java.util.ArrayList;
import java.util.List;
import static hexa.whatsapp.JsonFields.text;

import tools.jackson.databind.JsonNode;

/**
 * Reads Meta's inbound message objects: the text people read and search for each type, whom a
 * reply answers, and the forwarded flags. Everything else stays in the stored JSON.
 */
final class InboundMessages {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();


    private InboundMessages() {
    }

    static String body(JsonNode message) {
        String type = text(message, "type");
        JsonNode object = message.path(type);
        switch (type) {
            case "text":
                return text(object, "body");
            case "image":
            case "video":
            case "audio":
            case "sticker":
                return text(object, "caption");
            case "document":
                return firstNonBlank(text(object, "caption"), text(object, "filename"));
            case "location":
                return firstNonBlank(join(", ", text(object, "name"), text(object, "address")),
                        text(object, "latitude") + ", " + text(object, "longitude"));
            case "contacts":
                List<String> names = new ArrayList<>();
                for (JsonNode contact : message.path("contacts")) {
                    names.add(text(contact.path("name"), "formatted_name"));
                }
                return String.join(", ", names);
            case "interactive":
                if (object.has("button_reply") || object.has("list_reply")) {
                    JsonNode reply = object.has("button_reply") ? object.path("button_reply") : object.path("list_reply");
                    return join(" — ", text(reply, "title"), text(reply, "description"));
                }
                return interactiveLine(object);
            case "button":
                return text(object, "text");
            case "order":
                return join(" — ", text(object, "text"), orderLine(object));
            case "system":
                return text(object, "body");
            case "unsupported":
            case "unknown":
                JsonNode error = message.path("errors").path(0);
                return firstNonBlank(text(error.path("error_data"), "details"), text(error, "title"), text(error, "message"));
            default:
                return "";
        }
    }

    /**
     * A readable line for an interactive reply that is no button or list choice, never an empty bubble: a WhatsApp
     * Flow's answers ("Form answered — name: Asha, city: Pune"), a call permission ("Calls allowed"), or the reply's
     * kind for one not known here.
     */
    static String interactiveLine(JsonNode interactive) {
        String kind = text(interactive, "type");
        JsonNode reply = interactive.path(kind);
        switch (kind) {
            case "nfm_reply": {
                List<String> answers = new ArrayList<>();
                try {
                    JsonNode fields = JSON.readTree(text(reply, "response_json"));
                    for (String name : fields.propertyNames()) {
                        JsonNode value = fields.get(name);
                        if (!"flow_token".equals(name) && value != null && !value.isNull()) {
                            answers.add(name + ": " + (value.isValueNode() ? value.asString() : value.toString()));
                        }
                    }
                } catch (RuntimeException notJson) {
                    // answers we cannot read: the line says a form was answered
                }
                return join(" — ", "Form answered", String.join(", ", answers));
            }
            case "call_permission_reply": {
                boolean accepted = "accept".equals(text(reply, "response"));
                boolean permanent = reply.path("is_permanent").asBoolean(false);
                return accepted ? (permanent ? "Calls allowed" : "Calls allowed for now") : "Calls declined";
            }
            default:
                return kind.isEmpty() ? "Interactive reply" : "Interactive reply (" + kind + ")";
        }
    }

    /** An order as a line: each item with quantity, price and currency, then the total. */
    static String orderLine(JsonNode order) {
        List<String> items = new ArrayList<>();
        java.math.BigDecimal total = java.math.BigDecimal.ZERO;
        String currency = null;
        boolean oneCurrency = true;
        for (JsonNode item : order.path("product_items")) {
            String quantity = text(item, "quantity");
            String price = text(item, "item_price");
            String itemCurrency = text(item, "currency");
            items.add(quantity + " × " + text(item, "product_retailer_id") + " at " + price + " " + itemCurrency);
            try {
                total = total.add(new java.math.BigDecimal(price).multiply(new java.math.BigDecimal(quantity)));
            } catch (NumberFormatException notANumber) {
                oneCurrency = false;
            }
            oneCurrency &= currency == null || currency.equals(itemCurrency);
            currency = itemCurrency;
        }
        if (items.isEmpty()) {
            return "Order";
        }
        return "Order: " + String.join(", ", items) + (oneCurrency ? " — total " + total.stripTrailingZeros().toPlainString() + " " + currency : "");
    }

    /**
     * What the customer wrote or tapped, for words to match (consent keywords such as STOP, and rules): a text's
     * body; a template button's text and payload (Meta's "Stop promotions" button among them); an interactive
     * reply's title and id. Other messages (media, locations…) have none.
     */
    static List<String> texts(JsonNode message) {
        String type = text(message, "type");
        JsonNode object = message.path(type);
        switch (type) {
            case "text":
                return List.of(text(object, "body"));
            case "button":
                return List.of(text(object, "text"), text(object, "payload"));
            case "interactive":
                JsonNode reply = object.has("button_reply") ? object.path("button_reply") : object.path("list_reply");
                return List.of(text(reply, "title"), text(reply, "id"));
            default:
                return List.of();
        }
    }

    /** The message a reply or a button tap answers (not set for forwarded messages, whose context has no id). */
    static String replyTo(JsonNode message) {
        String id = text(message.path("context"), "id");
        return id.isEmpty() ? null : id;
    }

    static boolean forwarded(JsonNode message) {
        return message.path("context").path("forwarded").asBoolean(false);
    }

    static boolean frequentlyForwarded(JsonNode message) {
        return message.path("context").path("frequently_forwarded").asBoolean(false);
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }

    private static String join(String separator, String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                present.add(part);
            }
        }
        return String.join(separator, present);
    }
}
