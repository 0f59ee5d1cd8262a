package hexa.sandbox.graph;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import hexa.sandbox.SandboxJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** JSON in and out of the Graph API with the sandbox's own mapper, so key order and shapes stay Meta's. */
final class GraphResponses {

    private GraphResponses() {
    }

    static ResponseEntity<String> ok(JsonNode body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(SandboxJson.MAPPER.writeValueAsString(body));
    }

    static ResponseEntity<String> success() {
        return ok(SandboxJson.object().put("success", true));
    }

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw GraphError.invalidParameter("The request body is empty.");
        }
        try {
            return SandboxJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw GraphError.invalidParameter("The request body is not valid JSON.");
        }
    }
}
