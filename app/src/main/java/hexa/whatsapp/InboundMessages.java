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
                JsonNode reply = object.has("button_reply") ? object.path("button_reply") : object.path("list_reply");
                return join(" — ", text(reply, "title"), text(reply, "description"));
            case "button":
                return text(object, "text");
            case "order":
                return text(object, "text");
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
