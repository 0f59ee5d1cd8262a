package hexa.whatsapp;

import static hexa.whatsapp.JsonFields.text;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WhatsApp Flow the customer completed ({@code interactive.nfm_reply}): the answered fields, read out of Meta's
 * {@code response_json} string, so that automation can map them to contact attributes and branch on them.
 *
 * @param name the reply's name ({@code flow}, or {@code address_message} for an address Flow)
 * @param flowToken the token the business sent the Flow with, naming what it was sent for
 * @param answers each answered field (not the flow token) with its value as the Flow gave it: text, number,
 *                true/false, a list of values or an object; in the order the Flow wrote them
 * @param raw Meta's {@code response_json} as it came, when it is no JSON object (and no answers could be read); else null
 */
public record FlowAnswers(String name, String flowToken, Map<String, Object> answers, String raw) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public FlowAnswers {
        answers = answers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }

    /** The answers of one of Meta's message objects, or null when it is no Flow reply. */
    static FlowAnswers of(JsonNode message) {
        JsonNode interactive = message.path("interactive");
        if (!"interactive".equals(text(message, "type")) || !interactive.path("nfm_reply").isObject()) {
            return null;
        }
        JsonNode reply = interactive.path("nfm_reply");
        String name = blankToNull(text(reply, "name"));
        String response = text(reply, "response_json");
        JsonNode fields = null;
        try {
            fields = response.isEmpty() ? null : JSON.readTree(response);
        } catch (RuntimeException notJson) {
            // kept as it came, in raw
        }
        if (fields == null || !fields.isObject()) {
            return new FlowAnswers(name, null, Map.of(), response.isEmpty() ? null : response);
        }
        Map<String, Object> answers = new LinkedHashMap<>();
        for (String field : fields.propertyNames()) {
            JsonNode value = fields.get(field);
            if (!"flow_token".equals(field) && value != null && !value.isNull()) {
                answers.put(field, JSON.treeToValue(value, Object.class));
            }
        }
        return new FlowAnswers(name, blankToNull(text(fields, "flow_token")), answers, null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
