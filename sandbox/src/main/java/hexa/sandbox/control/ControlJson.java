package hexa.sandbox.control;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import hexa.sandbox.SandboxJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Reading and writing control API bodies. */
final class ControlJson {

    private ControlJson() {
    }

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return SandboxJson.object();
        }
        try {
            JsonNode node = SandboxJson.MAPPER.readTree(body);
            if (!node.isObject()) {
                throw ControlError.badRequest("The body must be a JSON object.");
            }
            return node;
        } catch (JacksonException e) {
            throw ControlError.badRequest("The body is not valid JSON.");
        }
    }

    static ResponseEntity<String> ok(Object body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(SandboxJson.MAPPER.writeValueAsString(body));
    }

    static ResponseEntity<String> created(Object body) {
        return ResponseEntity.status(201).contentType(MediaType.APPLICATION_JSON).body(SandboxJson.MAPPER.writeValueAsString(body));
    }
}
