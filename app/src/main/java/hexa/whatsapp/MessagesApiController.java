package hexa.whatsapp;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import static hexa.whatsapp.JsonFields.text;

/**
 * {@code /api/v1/messages}: send Meta's own message object ({@code {"type":"text","text":{...}}})
 * to {@code to} or {@code contactId}; read messages by id, by WhatsApp id, or by conversation.
 */
@RestController
class MessagesApiController {


    private final SendService sending;
    private final MessageHistory messages;
    private final ReadReceipts readReceipts;
    private final IdempotencyKeys idempotencyKeys;
    private final JsonMapper json;

    MessagesApiController(SendService sending, MessageHistory messages, ReadReceipts readReceipts, IdempotencyKeys idempotencyKeys,
                          JsonMapper json) {
        this.idempotencyKeys = idempotencyKeys;
        this.json = json;
        this.sending = sending;
        this.messages = messages;
        this.readReceipts = readReceipts;
    }

    public record Items<T>(List<T> items, String nextCursor) {
    }

    /** Says that an answer is the one given to the first request with the same {@code Idempotency-Key}. */
    static final String REPLAYED = "Idempotent-Replayed";

    /**
     * Queues a message. With an {@code Idempotency-Key} header the same key (per token, for {@value IdempotencyKeys#HOURS}
     * hours) answers the first request's answer again, with {@value #REPLAYED}{@code : true}, and sends nothing more
     * ({@link IdempotencyKeys}).
     */
    @Requires(Permission.USE_INBOX)
    @PostMapping("/api/v1/messages")
    ResponseEntity<String> send(@RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
                                @RequestBody JsonNode request) {
        if (request == null || !request.isObject()) {
            throw UserError.invalid("error.bad-request");
        }
        IdempotencyKeys.Answer answer = idempotencyKey == null ? queue(request)
                : idempotencyKeys.once(idempotencyKey, request.toString(), () -> queue(request));
        ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON);
        if (answer.replayed()) {
            response.header(REPLAYED, "true");
        }
        return response.body(answer.body());
    }

    private IdempotencyKeys.Answer queue(JsonNode request) {
        UUID id = sending.send(request);
        return new IdempotencyKeys.Answer(202, json.writeValueAsString(messages.json(messages.byId(id).orElseThrow())), false);
    }

    /**
     * Several uploads to one recipient: {@code {"attachments": ["<upload id>", …], "caption": "…",
     * "to" | "contactId", "phoneNumberId"}}; all checked first, then queued in order.
     */
    @Requires(Permission.USE_INBOX)
    @PostMapping("/api/v1/messages/attachments")
    ResponseEntity<Items<MessageJson>> sendAttachments(@RequestBody JsonNode request) {
        if (request == null || !request.isObject()) {
            throw UserError.invalid("error.bad-request");
        }
        JsonNode list = request.get("attachments");
        if (list == null || !list.isArray()) {
            throw UserError.invalid("whatsapp.send.attachments-missing", SendService.MAX_ATTACHMENTS);
        }
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode item : list) {
            JsonNode id = item.isObject() ? item.get("id") : item;
            ids.add(id == null || !id.isString() ? String.valueOf(id) : id.asString());
        }
        List<UUID> queued = sending.sendAttachments(new SendService.Attachments(text(request, "to"), text(request, "contactId"),
                text(request, "phoneNumberId"), ids, text(request, "caption")));
        return ResponseEntity.status(202).body(new Items<>(queued.stream()
                .map(id -> messages.json(messages.byId(id).orElseThrow())).toList(), null));
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/api/v1/messages/{id}")
    MessageJson get(@PathVariable String id) {
        return messages.json(messages.visible(Ids.parseOrNotFound(id)).orElseThrow(NotFoundException::new));
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/api/v1/messages/{id}/retry")
    MessageJson retry(@PathVariable String id) {
        UUID messageId = Ids.parseOrNotFound(id);
        messages.visible(messageId).orElseThrow(NotFoundException::new);
        sending.retry(messageId);
        return messages.json(messages.byId(messageId).orElseThrow(NotFoundException::new));
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/api/v1/messages")
    Items<MessageJson> byWhatsAppId(@RequestParam(defaultValue = "") String whatsappId) {
        if (whatsappId.isBlank()) {
            throw UserError.invalid("whatsapp.send.whatsapp-id-missing");
        }
        return new Items<>(messages.json(messages.byWamid(whatsappId).filter(m -> messages.visible(m.id()).isPresent()).stream().toList()), null);
    }
}
