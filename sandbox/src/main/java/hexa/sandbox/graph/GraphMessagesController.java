package hexa.sandbox.graph;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import hexa.sandbox.messages.BusinessMessages;
import hexa.sandbox.numbers.BusinessNumber;

/** {@code POST /{version}/{phone-number-id}/messages}: sends, read receipts and typing indicators. */
@RestController
@RequestMapping("${hexa.sandbox.graph-path:}/{version:v\\d+\\.0}")
public class GraphMessagesController {

    private final GraphAuthentication authentication;
    private final BusinessMessages messages;

    public GraphMessagesController(GraphAuthentication authentication, BusinessMessages messages) {
        this.authentication = authentication;
        this.messages = messages;
    }

    @PostMapping("/{phoneNumberId}/messages")
    public ResponseEntity<String> send(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String phoneNumberId, @RequestBody(required = false) byte[] body) {
        BusinessNumber number = authentication.number(authorization, phoneNumberId, "post");
        return GraphResponses.ok(messages.handle(number, GraphResponses.parse(body)));
    }
}
