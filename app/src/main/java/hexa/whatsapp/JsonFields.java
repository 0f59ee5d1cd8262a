package hexa.whatsapp;

import tools.jackson.databind.JsonNode;

/** Reading Meta's JSON, where a field may be missing, null or of another type. */
final class JsonFields {

    private JsonFields() {
    }

    /**
     * The field as text; empty when it is missing or null, and when it is an object or an array where Meta writes a
     * value (a malformed or unknown payload): it is read as absent, never as an error.
     */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? "" : value.asString();
    }
}
