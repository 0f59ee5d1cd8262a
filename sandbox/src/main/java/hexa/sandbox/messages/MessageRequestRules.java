package hexa.sandbox.messages;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.graph.GraphError;
import hexa.sandbox.media.MediaKind;
import hexa.sandbox.media.MediaStore;
import hexa.sandbox.media.StoredMedia;
import hexa.sandbox.numbers.BusinessNumber;
import tools.jackson.databind.JsonNode;

/**
 * The synchronous checks of {@code POST /{phone-number-id}/messages}: a missing top-level parameter
 * is 100, a missing field of the message object is 131008, a value out of Meta's limits is 131009
 * (each naming the field), and unusable media is 131053.
 */
@Component
public class MessageRequestRules {

    public static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "document", "sticker",
            "location", "contacts", "interactive", "template", "reaction");
    private static final Set<String> INTERACTIVE_TYPES = Set.of("button", "list", "cta_url", "product",
            "product_list", "catalog_message", "flow", "location_request_message", "address_message");
    private static final Pattern PHONE = Pattern.compile("[0-9]{6,15}");
    private static final Pattern URL = Pattern.compile("https?://\\S+");

    private final MediaStore media;

    public MessageRequestRules(MediaStore media) {
        this.media = media;
    }

    /** The recipient's wa_id: the input without +, -, (, ) and spaces. */
    public static String waIdOf(String to) {
        return to.replaceAll("[+\\-() ]", "");
    }

    /** Checks the envelope and returns the message type (Meta defaults to text when it is absent). */
    public String checkEnvelope(JsonNode request) {
        String product = SandboxJson.text(request, "messaging_product");
        if (product == null) {
            throw GraphError.requiredParameter("messaging_product");
        }
        if (!"whatsapp".equals(product)) {
            throw GraphError.invalidParameter("Param messaging_product must be one of {WHATSAPP} - got \"" + product + "\".");
        }
        String recipientType = SandboxJson.text(request, "recipient_type");
        if (recipientType != null && !"individual".equals(recipientType)) {
            throw GraphError.invalidParameter("Param recipient_type must be individual; groups are not simulated.");
        }
        String to = SandboxJson.text(request, "to");
        if (to == null || to.isBlank()) {
            throw GraphError.requiredParameter("to");
        }
        String waId = waIdOf(to);
        if (!PHONE.matcher(waId).matches() && !hexa.sandbox.customers.Customer.isBusinessScopedUserId(to)) {
            throw GraphError.invalidValue("to", "\"" + to + "\" is not a phone number");
        }
        String type = SandboxJson.text(request, "type");
        if (type == null) {
            type = "text";
        }
        if (!TYPES.contains(type)) {
            throw GraphError.invalidParameter("Param type must be one of " + new java.util.TreeSet<>(TYPES) + " - got \"" + type + "\".");
        }
        JsonNode object = request.get(type);
        if (object == null || object.isNull()) {
            throw GraphError.missingParameter(type);
        }
        if ("contacts".equals(type) ? !object.isArray() : !object.isObject()) {
            throw GraphError.invalidValue(type, "must be " + ("contacts".equals(type) ? "an array" : "an object"));
        }
        String opaque = SandboxJson.text(request, "biz_opaque_callback_data");
        if (opaque != null && opaque.length() > 512) {
            throw GraphError.invalidValue("biz_opaque_callback_data", "longer than 512 characters");
        }
        JsonNode context = request.get("context");
        if (context != null && SandboxJson.text(context, "message_id") == null) {
            throw GraphError.missingParameter("context.message_id");
        }
        return type;
    }

    /** Checks the type object; for templates only the shape, the template itself is checked by its owner. */
    public void checkContent(BusinessNumber number, String type, JsonNode object) {
        switch (type) {
            case "text":
                text(object, "text.body", 4096, true);
                JsonNode preview = object.get("preview_url");
                if (preview != null && !preview.isBoolean()) {
                    throw GraphError.invalidValue("text.preview_url", "must be true or false");
                }
                break;
            case "image":
            case "audio":
            case "video":
            case "document":
            case "sticker":
                media(number, type, object);
                break;
            case "location":
                coordinate(object, "latitude", 90);
                coordinate(object, "longitude", 180);
                break;
            case "contacts":
                contacts(object);
                break;
            case "interactive":
                interactive(object);
                break;
            case "template":
                text(object, "template.name", 512, true);
                if (SandboxJson.text(object.path("language"), "code") == null) {
                    throw GraphError.missingParameter("template.language.code");
                }
                break;
            case "reaction":
                if (SandboxJson.text(object, "message_id") == null) {
                    throw GraphError.missingParameter("reaction.message_id");
                }
                if (object.get("emoji") == null) {
                    throw GraphError.missingParameter("reaction.emoji");
                }
                break;
            default:
                throw GraphError.invalidParameter("Unsupported message type " + type);
        }
    }

    private void media(BusinessNumber number, String type, JsonNode object) {
        String id = SandboxJson.text(object, "id");
        String link = SandboxJson.text(object, "link");
        if (id == null && link == null) {
            throw GraphError.missingParameter(type + ".id or " + type + ".link");
        }
        if (id != null && link != null) {
            throw GraphError.invalidValue(type, "give either id or link, not both");
        }
        if (link != null && !URL.matcher(link).matches()) {
            throw GraphError.invalidValue(type + ".link", "\"" + link + "\" is not an http(s) URL");
        }
        if (id != null) {
            StoredMedia stored = media.find(id).orElseThrow(() -> GraphError.mediaProblem("Media id " + id + " does not exist or was deleted."));
            if (!stored.phoneNumberId().equals(number.phoneNumberId())) {
                throw GraphError.mediaProblem("Media id " + id + " belongs to another phone number.");
            }
            MediaKind kind = MediaKind.ofMessageType(type);
            if (!kind.accepts(stored.mimeType())) {
                throw GraphError.mediaProblem("Media " + id + " has type " + stored.mimeType() + ", which a " + type + " message cannot carry.");
            }
        }
        if (object.has("caption")) {
            if ("audio".equals(type) || "sticker".equals(type)) {
                throw GraphError.invalidValue(type + ".caption", "a " + type + " message has no caption");
            }
            text(object, type + ".caption", 1024, false);
        }
    }

    private static void coordinate(JsonNode object, String field, double bound) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw GraphError.missingParameter("location." + field);
        }
        double number;
        try {
            number = value.isNumber() ? value.asDouble() : Double.parseDouble(value.asString());
        } catch (RuntimeException e) {
            throw GraphError.invalidValue("location." + field, "not a number");
        }
        if (number < -bound || number > bound) {
            throw GraphError.invalidValue("location." + field, "out of range");
        }
    }

    private static void contacts(JsonNode contacts) {
        if (contacts.isEmpty()) {
            throw GraphError.missingParameter("contacts[0]");
        }
        int i = 0;
        for (JsonNode contact : contacts) {
            if (SandboxJson.text(contact.path("name"), "formatted_name") == null) {
                throw GraphError.missingParameter("contacts[" + i + "].name.formatted_name");
            }
            i++;
        }
    }

    private static void interactive(JsonNode interactive) {
        String type = SandboxJson.text(interactive, "type");
        if (type == null) {
            throw GraphError.missingParameter("interactive.type");
        }
        if (!INTERACTIVE_TYPES.contains(type)) {
            throw GraphError.invalidValue("interactive.type", "\"" + type + "\" is not an interactive type");
        }
        JsonNode header = interactive.get("header");
        if (header != null && "text".equals(SandboxJson.text(header, "type"))) {
            text(header, "interactive.header.text", 60, true);
        }
        if (interactive.has("footer")) {
            text(interactive.path("footer"), "interactive.footer.text", 60, true);
        }
        JsonNode action = interactive.get("action");
        switch (type) {
            case "button":
                text(interactive.path("body"), "interactive.body.text", 1024, true);
                buttons(action);
                break;
            case "list":
                text(interactive.path("body"), "interactive.body.text", 4096, true);
                list(action);
                break;
            case "cta_url":
                text(interactive.path("body"), "interactive.body.text", 1024, true);
                if (action == null) {
                    throw GraphError.missingParameter("interactive.action");
                }
                if (!"cta_url".equals(SandboxJson.text(action, "name"))) {
                    throw GraphError.invalidValue("interactive.action.name", "must be cta_url");
                }
                text(action.path("parameters"), "interactive.action.parameters.display_text", 20, true);
                String url = SandboxJson.text(action.path("parameters"), "url");
                if (url == null) {
                    throw GraphError.missingParameter("interactive.action.parameters.url");
                }
                if (!URL.matcher(url).matches()) {
                    throw GraphError.invalidValue("interactive.action.parameters.url", "not an http(s) URL");
                }
                break;
            case "flow":
                text(interactive.path("body"), "interactive.body.text", 1024, true);
                flow(action);
                break;
            default:
                if (action == null) {
                    throw GraphError.missingParameter("interactive.action");
                }
        }
    }

    /**
     * A WhatsApp Flow message's action: {@code name} flow, {@code parameters} with {@code flow_message_version} "3",
     * {@code flow_id} or {@code flow_name} (one of them), {@code flow_cta} (Meta advises 30 characters at most; the
     * sandbox holds to it), and optionally {@code mode}, {@code flow_token}, {@code flow_action} and, for
     * {@code navigate} only, {@code flow_action_payload} ({@code screen}, and {@code data}: a non-empty object).
     * Whether the Flow exists is checked by its owner ({@code Flows}).
     */
    private static void flow(JsonNode action) {
        if (action == null || !action.isObject()) {
            throw GraphError.missingParameter("interactive.action");
        }
        if (!"flow".equals(SandboxJson.text(action, "name"))) {
            throw GraphError.invalidValue("interactive.action.name", "must be flow");
        }
        JsonNode parameters = action.get("parameters");
        if (parameters == null || !parameters.isObject()) {
            throw GraphError.missingParameter("interactive.action.parameters");
        }
        String version = text(parameters, "interactive.action.parameters.flow_message_version", 8, true);
        if (!"3".equals(version)) {
            throw GraphError.invalidValue("interactive.action.parameters.flow_message_version", "must be \"3\"");
        }
        String flowId = text(parameters, "interactive.action.parameters.flow_id", 64, false);
        String flowName = text(parameters, "interactive.action.parameters.flow_name", 200, false);
        if (flowId == null && flowName == null) {
            throw GraphError.missingParameter("interactive.action.parameters.flow_id");
        }
        if (flowId != null && flowName != null) {
            throw GraphError.invalidValue("interactive.action.parameters.flow_name", "give flow_id or flow_name, not both");
        }
        text(parameters, "interactive.action.parameters.flow_cta", 30, true);
        String mode = text(parameters, "interactive.action.parameters.mode", 16, false);
        if (mode != null && !"draft".equals(mode) && !"published".equals(mode)) {
            throw GraphError.invalidValue("interactive.action.parameters.mode", "must be draft or published");
        }
        text(parameters, "interactive.action.parameters.flow_token", 4096, false);
        String flowAction = text(parameters, "interactive.action.parameters.flow_action", 16, false);
        if (flowAction != null && !"navigate".equals(flowAction) && !"data_exchange".equals(flowAction)) {
            throw GraphError.invalidValue("interactive.action.parameters.flow_action", "must be navigate or data_exchange");
        }
        JsonNode payload = parameters.get("flow_action_payload");
        if (payload != null && !payload.isNull()) {
            if ("data_exchange".equals(flowAction)) {
                throw GraphError.invalidValue("interactive.action.parameters.flow_action_payload", "only a navigate Flow takes a payload");
            }
            if (!payload.isObject()) {
                throw GraphError.invalidValue("interactive.action.parameters.flow_action_payload", "must be an object");
            }
            text(payload, "interactive.action.parameters.flow_action_payload.screen", 200, false);
            JsonNode data = payload.get("data");
            if (data != null && (!data.isObject() || data.isEmpty())) {
                throw GraphError.invalidValue("interactive.action.parameters.flow_action_payload.data", "must be a non-empty object");
            }
        }
    }

    private static void buttons(JsonNode action) {
        JsonNode buttons = action == null ? null : action.get("buttons");
        if (buttons == null || !buttons.isArray() || buttons.isEmpty()) {
            throw GraphError.missingParameter("interactive.action.buttons");
        }
        if (buttons.size() > 3) {
            throw GraphError.invalidValue("interactive.action.buttons", "at most 3 reply buttons");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < buttons.size(); i++) {
            JsonNode reply = buttons.get(i).path("reply");
            String field = "interactive.action.buttons[" + i + "].reply";
            String id = text(reply, field + ".id", 256, true);
            text(reply, field + ".title", 20, true);
            if (!ids.add(id)) {
                throw GraphError.invalidValue(field + ".id", "button ids must be unique");
            }
        }
    }

    private static void list(JsonNode action) {
        if (action == null) {
            throw GraphError.missingParameter("interactive.action");
        }
        text(action, "interactive.action.button", 20, true);
        JsonNode sections = action.get("sections");
        if (sections == null || !sections.isArray() || sections.isEmpty()) {
            throw GraphError.missingParameter("interactive.action.sections");
        }
        if (sections.size() > 10) {
            throw GraphError.invalidValue("interactive.action.sections", "at most 10 sections");
        }
        int rows = 0;
        Set<String> ids = new HashSet<>();
        for (int s = 0; s < sections.size(); s++) {
            JsonNode section = sections.get(s);
            String field = "interactive.action.sections[" + s + "]";
            if (sections.size() > 1) {
                text(section, field + ".title", 24, true);
            }
            JsonNode sectionRows = section.get("rows");
            if (sectionRows == null || !sectionRows.isArray() || sectionRows.isEmpty()) {
                throw GraphError.missingParameter(field + ".rows");
            }
            for (int r = 0; r < sectionRows.size(); r++) {
                JsonNode row = sectionRows.get(r);
                String rowField = field + ".rows[" + r + "]";
                String id = text(row, rowField + ".id", 200, true);
                text(row, rowField + ".title", 24, true);
                if (row.has("description")) {
                    text(row, rowField + ".description", 72, false);
                }
                if (!ids.add(id)) {
                    throw GraphError.invalidValue(rowField + ".id", "row ids must be unique");
                }
                rows++;
            }
        }
        if (rows > 10) {
            throw GraphError.invalidValue("interactive.action.sections", "at most 10 rows in total");
        }
    }

    /** A string field: required or not, at most max characters. Returns its value. */
    private static String text(JsonNode object, String field, int max, boolean required) {
        String name = field.substring(field.lastIndexOf('.') + 1);
        JsonNode value = object == null ? null : object.get(name);
        if (value == null || value.isNull() || (value.isString() && value.asString().isEmpty() && required)) {
            if (required) {
                throw GraphError.missingParameter(field);
            }
            return null;
        }
        if (!value.isString()) {
            throw GraphError.invalidValue(field, "must be a string");
        }
        String text = value.asString();
        if (text.codePointCount(0, text.length()) > max) {
            throw GraphError.invalidValue(field, "longer than " + max + " characters");
        }
        return text;
    }
}
