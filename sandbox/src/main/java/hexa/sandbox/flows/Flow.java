package hexa.sandbox.flows;

import java.util.List;
import java.util.Set;

import hexa.sandbox.SandboxJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A WhatsApp Flow of a WABA: its name, categories, status and Flow JSON. The phone simulator shows one screen of it as
 * a simple form: the screen's input components ({@code TextInput}, {@code TextArea}, {@code Dropdown},
 * {@code RadioButtonsGroup}, {@code CheckboxGroup}, {@code OptIn}, {@code DatePicker}) with their labels and options,
 * and its {@code Footer}'s {@code complete} action, whose payload is what the answer's {@code response_json} carries.
 */
public record Flow(String id, String wabaId, String name, List<String> categories, String status, JsonNode flowJson) {

    /** The input components the simulator can show. */
    static final Set<String> INPUTS = Set.of("TextInput", "TextArea", "Dropdown", "RadioButtonsGroup", "CheckboxGroup", "OptIn",
            "DatePicker");

    public boolean published() {
        return "PUBLISHED".equals(status);
    }

    /** Whether the Flow JSON has a screen of this id. */
    public boolean hasScreen(String screenId) {
        return screen(screenId) != null;
    }

    /** The id of the screen a message opens when it names none: the first one. */
    public String firstScreen() {
        return SandboxJson.text(flowJson.path("screens").path(0), "id");
    }

    /** Meta's list entry: {@code {"id","name","status","categories","validation_errors"}}. */
    public ObjectNode toJson() {
        ObjectNode node = SandboxJson.object();
        node.put("id", id);
        node.put("name", name);
        node.put("status", status);
        ArrayNode list = node.putArray("categories");
        categories.forEach(list::add);
        node.putArray("validation_errors");
        return node;
    }

    /**
     * What the phone simulator shows for a message that opens this Flow on {@code screenId} with {@code data} (the
     * message's {@code flow_action_payload.data}, or null): {@code {"flowId","flowName","flowToken","screen","title",
     * "fields":[{"name","label","kind","required","inputType"?,"options"?,"value"?}], "submit", "response"?}}.
     * {@code response} is the {@code complete} action's payload, whose {@code ${form.x}} and {@code ${data.x}} the
     * simulator fills in; without it the answer carries each field under its name.
     */
    public ObjectNode form(String screenId, String flowToken, JsonNode data) {
        JsonNode screen = screen(screenId);
        ObjectNode form = SandboxJson.object();
        form.put("flowId", id);
        form.put("flowName", name);
        form.put("flowToken", flowToken == null ? "unused" : flowToken);
        form.put("screen", screenId);
        form.put("title", SandboxJson.text(screen, "title"));
        ArrayNode fields = form.putArray("fields");
        ObjectNode[] footer = new ObjectNode[1];
        collect(screen.path("layout").path("children"), data, fields, footer);
        form.put("submit", footer[0] != null && SandboxJson.text(footer[0], "label") != null ? SandboxJson.text(footer[0], "label") : "Submit");
        JsonNode action = footer[0] == null ? null : footer[0].path("on-click-action");
        if (action != null && "complete".equals(SandboxJson.text(action, "name")) && action.path("payload").isObject()) {
            form.set("response", action.path("payload").deepCopy());
        }
        if (data != null && data.isObject()) {
            form.set("data", data.deepCopy());
        }
        return form;
    }

    private JsonNode screen(String screenId) {
        for (JsonNode screen : flowJson.path("screens")) {
            if (screenId != null && screenId.equals(SandboxJson.text(screen, "id"))) {
                return screen;
            }
        }
        return null;
    }

    private static void collect(JsonNode children, JsonNode data, ArrayNode fields, ObjectNode[] footer) {
        for (JsonNode child : children) {
            String type = SandboxJson.text(child, "type");
            if ("Footer".equals(type) && child instanceof ObjectNode found) {
                footer[0] = found;
            } else if (INPUTS.contains(type) && SandboxJson.text(child, "name") != null) {
                fields.add(field(type, child, data));
            } else if (child.path("children").isArray()) {
                // a Form (before Flow JSON 4.0 inputs sat inside one) or another container
                collect(child.path("children"), data, fields, footer);
            }
        }
    }

    private static ObjectNode field(String type, JsonNode component, JsonNode data) {
        ObjectNode field = SandboxJson.object();
        field.put("name", SandboxJson.text(component, "name"));
        String label = SandboxJson.text(component, "label");
        field.put("label", label == null ? SandboxJson.text(component, "name") : resolve(label, data));
        field.put("kind", type);
        field.put("required", component.path("required").asBoolean(false));
        if (SandboxJson.text(component, "input-type") != null) {
            field.put("inputType", SandboxJson.text(component, "input-type"));
        }
        JsonNode options = component.get("data-source");
        if (options != null && options.isString()) {
            options = reference(options.asString(), data);
        }
        if (options != null && options.isArray()) {
            ArrayNode list = field.putArray("options");
            for (JsonNode option : options) {
                list.addObject().put("id", SandboxJson.text(option, "id")).put("title", SandboxJson.text(option, "title"));
            }
        }
        JsonNode initial = component.get("init-value");
        if (initial != null && initial.isString()) {
            initial = initial.asString().startsWith("${") ? reference(initial.asString(), data) : initial;
        }
        if (initial != null && initial.isValueNode() && !initial.isNull()) {
            field.put("value", initial.asString());
        }
        return field;
    }

    /** A dynamic value ({@code ${data.x}}) taken from the message's data; null when it is not there. */
    private static JsonNode reference(String expression, JsonNode data) {
        if (data != null && expression.startsWith("${data.") && expression.endsWith("}")) {
            return data.get(expression.substring(7, expression.length() - 1));
        }
        return null;
    }

    private static String resolve(String text, JsonNode data) {
        JsonNode value = text.startsWith("${") ? reference(text, data) : null;
        return value != null && value.isValueNode() ? value.asString() : text;
    }
}
