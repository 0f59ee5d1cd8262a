package hexa.sandbox;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The sandbox's own JSON mapper, so the host app's customisations never change Meta's shapes. */
public final class SandboxJson {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private SandboxJson() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The text of a scalar node, or null when absent or not a scalar. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asString() : null;
    }
}
