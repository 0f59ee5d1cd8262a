package hexa.sandbox.control;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.customers.CustomerMessages;
import hexa.sandbox.graph.GraphError;
import tools.jackson.databind.node.ObjectNode;

/** Control API errors in the project's REST shape: {@code {"code": "...", "message": "..."}}. */
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(basePackageClasses = ControlErrorResponses.class)
public class ControlErrorResponses {

    @ExceptionHandler(ControlError.class)
    public ResponseEntity<String> controlError(ControlError error) {
        return body(error.status(), error.code(), error.getMessage());
    }

    @ExceptionHandler(CustomerMessages.UnsendableMessage.class)
    public ResponseEntity<String> unsendable(CustomerMessages.UnsendableMessage error) {
        return body(400, "unsendable_message", error.getMessage());
    }

    @ExceptionHandler(GraphError.class)
    public ResponseEntity<String> mediaRefused(GraphError error) {
        return body(400, "whatsapp_" + error.code(), error.details());
    }

    private static ResponseEntity<String> body(int status, String code, String message) {
        ObjectNode node = SandboxJson.object();
        node.put("code", code);
        node.put("message", message);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(SandboxJson.MAPPER.writeValueAsString(node));
    }
}
