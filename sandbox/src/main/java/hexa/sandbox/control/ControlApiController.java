package hexa.sandbox.control;

import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxJson;
import hexa.sandbox.customers.Chat;
import hexa.sandbox.customers.Chats;
import hexa.sandbox.customers.Customer;
import hexa.sandbox.customers.CustomerMessages;
import hexa.sandbox.customers.Customers;
import hexa.sandbox.media.MediaStore;
import hexa.sandbox.media.StoredMedia;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.sandbox.templates.Templates;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The control API that scripts Meta's other side: business numbers, simulated customers and what
 * they send, and the conversations the phone simulator shows.
 */
@RestController
@RequestMapping("/sandbox/api")
public class ControlApiController {

    private final SandboxNumbers numbers;
    private final Customers customers;
    private final CustomerMessages customerMessages;
    private final Chats chats;
    private final MediaStore media;
    private final Templates templates;
    private final SandboxClock clock;

    public ControlApiController(SandboxNumbers numbers, Customers customers, CustomerMessages customerMessages, Chats chats,
            MediaStore media, Templates templates, SandboxClock clock) {
        this.numbers = numbers;
        this.customers = customers;
        this.customerMessages = customerMessages;
        this.chats = chats;
        this.media = media;
        this.templates = templates;
        this.clock = clock;
    }

    @GetMapping("/numbers")
    public ResponseEntity<String> numbers() {
        ArrayNode out = SandboxJson.MAPPER.createArrayNode();
        numbers.all().stream().sorted(Comparator.comparing(BusinessNumber::phoneNumberId)).forEach(n -> out.add(number(n)));
        return ControlJson.ok(out);
    }

    @PostMapping("/numbers")
    public ResponseEntity<String> register(@RequestBody(required = false) byte[] body) {
        JsonNode request = ControlJson.parse(body);
        JsonNode mps = request.get("messagesPerSecond");
        BusinessNumber number = numbers.register(SandboxJson.text(request, "phoneNumberId"), SandboxJson.text(request, "wabaId"),
                SandboxJson.text(request, "displayPhoneNumber"), SandboxJson.text(request, "accessToken"),
                SandboxJson.text(request, "appSecret"), SandboxJson.text(request, "callbackUrl"),
                SandboxJson.text(request, "verifyToken"), mps == null ? SandboxNumbers.DEFAULT_MESSAGES_PER_SECOND : mps.asInt());
        return ControlJson.created(number(number));
    }

    @GetMapping("/customers")
    public ResponseEntity<String> customers() {
        ArrayNode out = SandboxJson.MAPPER.createArrayNode();
        customers.all().stream().sorted(Comparator.comparing(Customer::key)).forEach(c -> out.add(ChatViews.customer(c)));
        return ControlJson.ok(out);
    }

    @PostMapping("/customers")
    public ResponseEntity<String> createCustomer(@RequestBody(required = false) byte[] body) {
        JsonNode request = ControlJson.parse(body);
        String id = SandboxJson.text(request, "waId");
        if (id == null) {
            id = SandboxJson.text(request, "userId");
        }
        if (id == null || id.isBlank()) {
            throw ControlError.badRequest("A customer needs a waId (phone number digits) or a userId (business-scoped user id).");
        }
        Customer customer = customers.obtain(id.replaceAll("[+\\-() ]", ""), SandboxJson.text(request, "profileName"));
        update(customer, request);
        return ControlJson.created(ChatViews.customer(customer));
    }

    @PatchMapping("/customers/{customerId}")
    public ResponseEntity<String> updateCustomer(@PathVariable String customerId, @RequestBody(required = false) byte[] body) {
        Customer customer = customers.find(customerId).orElseThrow(() -> ControlError.notFound("No customer " + customerId));
        update(customer, ControlJson.parse(body));
        return ControlJson.ok(ChatViews.customer(customer));
    }

    private static void update(Customer customer, JsonNode request) {
        customer.rename(SandboxJson.text(request, "profileName"));
        if (request.has("undeliverable")) {
            customer.markUndeliverable(request.get("undeliverable").asBoolean());
        }
        String userId = SandboxJson.text(request, "userId");
        if (userId != null && customer.waId() != null) {
            customer.changeUserId(userId);
        }
    }

    /** The customer sends a message in Meta's inbound shape; answers the message as the webhook carries it. */
    @PostMapping("/customers/{customerId}/messages")
    public ResponseEntity<String> customerSends(@PathVariable String customerId, @RequestBody(required = false) byte[] body) {
        JsonNode request = ControlJson.parse(body);
        BusinessNumber number = number(SandboxJson.text(request, "phoneNumberId"));
        ObjectNode message = customerMessages.send(number, customerId.replaceAll("[+\\-() ]", ""),
                SandboxJson.text(request, "profileName"), SandboxJson.text(request, "userId"), request);
        return ControlJson.created(message);
    }

    /** A customer attaches a file (photo, document, voice note); answers its media id for a following message. */
    @PostMapping("/customers/{customerId}/media")
    public ResponseEntity<String> customerUploads(@PathVariable String customerId,
            @RequestParam(value = "phoneNumberId", required = false) String phoneNumberId,
            @RequestParam("file") MultipartFile file) throws IOException {
        BusinessNumber number = number(phoneNumberId);
        StoredMedia stored = media.store(number.phoneNumberId(), file.getContentType(), file.getOriginalFilename(), file.getBytes());
        ObjectNode out = SandboxJson.object();
        out.put("id", stored.id());
        out.put("mimeType", stored.mimeType());
        return ControlJson.created(out);
    }

    @GetMapping("/media/{mediaId}")
    public ResponseEntity<byte[]> mediaForPhone(@PathVariable String mediaId) {
        StoredMedia stored = media.find(mediaId).orElseThrow(() -> ControlError.notFound("No media " + mediaId));
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, stored.mimeType()).body(stored.bytes());
    }

    @GetMapping("/numbers/{phoneNumberId}/chats")
    public ResponseEntity<String> chats(@PathVariable String phoneNumberId) {
        BusinessNumber number = number(phoneNumberId);
        ArrayNode out = SandboxJson.MAPPER.createArrayNode();
        List<Chat> list = chats.ofNumber(number.phoneNumberId());
        list.sort(Comparator.comparing(c -> c.customer().key()));
        for (Chat chat : list) {
            ObjectNode summary = ChatViews.customer(chat.customer());
            summary.put("messages", chat.size());
            out.add(summary);
        }
        return ControlJson.ok(out);
    }

    @GetMapping("/numbers/{phoneNumberId}/chats/{customerId}")
    public ResponseEntity<String> chat(@PathVariable String phoneNumberId, @PathVariable String customerId) {
        BusinessNumber number = number(phoneNumberId);
        Customer customer = customers.obtain(customerId, null);
        return ControlJson.ok(ChatViews.chat(chats.of(number.phoneNumberId(), customer), clock.now()));
    }

    @GetMapping("/numbers/{phoneNumberId}/templates")
    public ResponseEntity<String> templates(@PathVariable String phoneNumberId) {
        BusinessNumber number = number(phoneNumberId);
        ArrayNode out = SandboxJson.MAPPER.createArrayNode();
        templates.of(number.wabaId()).forEach(t -> out.add(t.toJson()));
        return ControlJson.ok(out);
    }

    /** The number a request names, or the only one when it names none. */
    private BusinessNumber number(String phoneNumberId) {
        if (phoneNumberId != null && !phoneNumberId.isBlank()) {
            return numbers.find(phoneNumberId).orElseThrow(() -> ControlError.notFound("No sandbox number " + phoneNumberId));
        }
        Collection<BusinessNumber> all = numbers.all();
        if (all.size() == 1) {
            return all.iterator().next();
        }
        throw ControlError.badRequest(all.isEmpty() ? "No sandbox number is registered yet."
                : "Several sandbox numbers exist; say which with phoneNumberId: "
                        + all.stream().map(BusinessNumber::phoneNumberId).collect(Collectors.joining(", ")));
    }

    private ObjectNode number(BusinessNumber n) {
        ObjectNode node = SandboxJson.object();
        node.put("phoneNumberId", n.phoneNumberId());
        node.put("wabaId", n.wabaId());
        node.put("displayPhoneNumber", n.displayPhoneNumber());
        node.put("verifiedName", n.verifiedName());
        node.put("accessToken", n.accessToken());
        node.put("messagesPerSecond", n.messagesPerSecond());
        node.put("callbackUrl", n.webhookTarget().callbackUrl());
        node.put("webhookVerification", numbers.webhookVerification(n));
        node.put("webhookProblem", numbers.webhookProblem(n));
        return node;
    }
}
