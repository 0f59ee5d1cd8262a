package hexa.sandbox.control;

import java.io.IOException;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.beans.factory.ObjectProvider;

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
import hexa.sandbox.SandboxProperties;
import hexa.sandbox.access.CallbackPolicy;
import hexa.sandbox.access.SandboxCaller;
import hexa.sandbox.access.SandboxCallers;
import hexa.sandbox.customers.BusinessApp;
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
 * they send, and the conversations the phone simulator shows. Each request acts as its {@link SandboxCaller}: a
 * person sees only their workspace's numbers, and what another workspace has is "not found".
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
    private final SandboxProperties properties;
    private final ObjectProvider<CallbackPolicy> callbackPolicy;
    private final ObjectProvider<SandboxCallers> callers;
    private final BusinessApp businessApp;

    public ControlApiController(SandboxNumbers numbers, Customers customers, CustomerMessages customerMessages, Chats chats,
            MediaStore media, Templates templates, SandboxClock clock, SandboxProperties properties,
            ObjectProvider<CallbackPolicy> callbackPolicy, ObjectProvider<SandboxCallers> callers, BusinessApp businessApp) {
        this.businessApp = businessApp;
        this.properties = properties;
        this.callbackPolicy = callbackPolicy;
        this.callers = callers;
        this.numbers = numbers;
        this.customers = customers;
        this.customerMessages = customerMessages;
        this.chats = chats;
        this.media = media;
        this.templates = templates;
        this.clock = clock;
    }

    /** Who the caller is to the sandbox, and the headers the simulator's script must send with every request. */
    @GetMapping("/me")
    public ResponseEntity<String> me() {
        SandboxCaller caller = SandboxCaller.current();
        ObjectNode out = SandboxJson.object();
        out.put("control", caller.control());
        out.put("operator", caller.operator());
        ObjectNode headers = out.putObject("headers");
        caller.headers().forEach(headers::put);
        return ControlJson.ok(out);
    }

    @GetMapping("/numbers")
    public ResponseEntity<String> numbers() {
        SandboxCaller caller = SandboxCaller.current();
        ArrayNode out = SandboxJson.MAPPER.createArrayNode();
        numbers.all().stream().filter(n -> caller.sees(n.phoneNumberId()))
                .sorted(Comparator.comparing(BusinessNumber::phoneNumberId)).forEach(n -> out.add(number(n, caller)));
        return ControlJson.ok(out);
    }

    /**
     * Registers a number or changes one. A person (Owner or Admin) may change only their workspace's numbers; the
     * callback must be one the host allows (its own webhook path), checked before anything changes.
     */
    @PostMapping("/numbers")
    public ResponseEntity<String> register(@RequestBody(required = false) byte[] body) {
        SandboxCaller caller = SandboxCaller.current();
        caller.requireOperator();
        JsonNode request = ControlJson.parse(body);
        String phoneNumberId = SandboxJson.text(request, "phoneNumberId");
        if (!caller.control() && (phoneNumberId == null || !caller.sees(phoneNumberId) || numbers.find(phoneNumberId).isEmpty())) {
            throw ControlError.notFound("No sandbox number " + (phoneNumberId == null ? "" : phoneNumberId)
                    + " of this workspace. Connect a sandbox number under Settings → WhatsApp.");
        }
        String callbackUrl = SandboxJson.text(request, "callbackUrl");
        checkCallback(callbackUrl);
        JsonNode mps = request.get("messagesPerSecond");
        BusinessNumber number = numbers.register(phoneNumberId, SandboxJson.text(request, "wabaId"),
                SandboxJson.text(request, "displayPhoneNumber"), SandboxJson.text(request, "accessToken"),
                SandboxJson.text(request, "appSecret"), callbackUrl,
                SandboxJson.text(request, "verifyToken"), mps == null ? SandboxNumbers.DEFAULT_MESSAGES_PER_SECOND : mps.asInt());
        changed(caller, "sandbox.number_registered", number.phoneNumberId());
        return ControlJson.created(number(number, caller));
    }

    /**
     * Changes a number's limits as Meta would: {@code {"messagesPerSecond": 80..1000, "messagingLimit": 250|2000|10000|100000|0}}
     * (0: unlimited). The Graph API's phone number object shows them ({@code throughput},
     * {@code whatsapp_business_manager_messaging_limit}); sends beyond the rate are refused with 130429.
     */
    @PatchMapping("/numbers/{phoneNumberId}")
    public ResponseEntity<String> changeLimits(@PathVariable String phoneNumberId, @RequestBody(required = false) byte[] body) {
        SandboxCaller caller = SandboxCaller.current();
        caller.requireOperator();
        BusinessNumber number = numbers.find(phoneNumberId).filter(n -> caller.sees(n.phoneNumberId()))
                .orElseThrow(() -> ControlError.notFound("No sandbox number " + phoneNumberId));
        JsonNode request = ControlJson.parse(body);
        JsonNode mps = request.get("messagesPerSecond");
        JsonNode limit = request.get("messagingLimit");
        if (mps != null && (!mps.isNumber() || mps.asInt() < 1 || mps.asInt() > 1000)) {
            throw ControlError.badRequest("messagesPerSecond must be between 1 and 1000.");
        }
        if (limit != null && (!limit.isNumber() || !java.util.Set.of(0, 250, 2000, 10000, 100000).contains(limit.asInt()))) {
            throw ControlError.badRequest("messagingLimit must be 250, 2000, 10000, 100000 or 0 (unlimited).");
        }
        if (mps != null) {
            number.changeMessagesPerSecond(mps.asInt());
        }
        if (limit != null) {
            number.changeMessagingLimit(limit.asInt());
        }
        changed(caller, "sandbox.number_limits_changed", number.phoneNumberId() + " " + request);
        return ControlJson.ok(number(number, caller));
    }

    private void checkCallback(String callbackUrl) {
        if (callbackUrl == null || callbackUrl.isBlank()) {
            return;
        }
        CallbackPolicy policy = callbackPolicy.getIfAvailable();
        if (policy != null) {
            policy.refusal(callbackUrl).ifPresent(reason -> {
                throw ControlError.badRequest(reason);
            });
            return;
        }
        try {
            URI uri = URI.create(callbackUrl.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw ControlError.badRequest("The callback URL must be an http or https address: " + callbackUrl);
    }

    private void changed(SandboxCaller caller, String action, String detail) {
        SandboxCallers host = callers.getIfAvailable();
        if (host != null && !caller.control()) {
            host.changed(caller, action, detail);
        }
    }

    /** The simulated customers; a person sees those who have a chat with one of their workspace's numbers. */
    @GetMapping("/customers")
    public ResponseEntity<String> customers() {
        SandboxCaller caller = SandboxCaller.current();
        ArrayNode out = SandboxJson.MAPPER.createArrayNode();
        customers.all().stream().filter(c -> visible(caller, c))
                .sorted(Comparator.comparing(Customer::key)).forEach(c -> out.add(ChatViews.customer(c)));
        return ControlJson.ok(out);
    }

    private boolean visible(SandboxCaller caller, Customer customer) {
        return caller.control() || caller.phoneNumberIds().stream().anyMatch(n -> chats.has(n, customer));
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
        SandboxCaller caller = SandboxCaller.current();
        String key = id.replaceAll("[+\\-() ]", "");
        if (caller.control()) {
            Customer customer = customers.obtain(key, SandboxJson.text(request, "profileName"));
            update(customer, request);
            return ControlJson.created(ChatViews.customer(customer));
        }
        // A person adds the customer to a chat with their workspace's number; someone another workspace already
        // talks to is joined as they are, without changing anything of theirs.
        BusinessNumber number = number(SandboxJson.text(request, "phoneNumberId"));
        boolean theirs = customers.find(key).map(c -> visible(caller, c)).orElse(true);
        Customer customer = customers.obtain(key, theirs ? SandboxJson.text(request, "profileName") : null);
        chats.of(number.phoneNumberId(), customer);
        if (theirs) {
            update(customer, request);
        }
        return ControlJson.created(ChatViews.customer(customer));
    }

    @PatchMapping("/customers/{customerId}")
    public ResponseEntity<String> updateCustomer(@PathVariable String customerId, @RequestBody(required = false) byte[] body) {
        SandboxCaller caller = SandboxCaller.current();
        Customer customer = customers.find(customerId).filter(c -> visible(caller, c))
                .orElseThrow(() -> ControlError.notFound("No customer " + customerId));
        update(customer, ControlJson.parse(body));
        return ControlJson.ok(ChatViews.customer(customer));
    }

    private static void update(Customer customer, JsonNode request) {
        customer.rename(SandboxJson.text(request, "profileName"));
        if (request.has("undeliverable")) {
            customer.markUndeliverable(request.get("undeliverable").asBoolean());
        }
        if (request.has("marketingExperiment")) {
            customer.markInMarketingExperiment(request.get("marketingExperiment").asBoolean());
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

    /** The customer stops or resumes marketing messages in WhatsApp's settings: {@code {"marketing":"stop"|"resume"}}. */
    @PostMapping("/customers/{customerId}/preferences")
    public ResponseEntity<String> customerPreferences(@PathVariable String customerId, @RequestBody(required = false) byte[] body) {
        JsonNode request = ControlJson.parse(body);
        BusinessNumber number = number(SandboxJson.text(request, "phoneNumberId"));
        return ControlJson.created(customerMessages.marketingPreference(number, customerId.replaceAll("[+\\-() ]", ""),
                SandboxJson.text(request, "marketing")));
    }

    /**
     * Someone at the business writes to the customer from the WhatsApp Business app on the same number (or edits or
     * deletes such a message): {@code {"to":"<wa_id>","type":"text","text":{"body":"..."}}}. Answers the echo.
     */
    @PostMapping("/numbers/{phoneNumberId}/echoes")
    public ResponseEntity<String> businessAppSends(@PathVariable String phoneNumberId, @RequestBody(required = false) byte[] body) {
        BusinessNumber number = number(phoneNumberId);
        JsonNode request = ControlJson.parse(body);
        String to = SandboxJson.text(request, "to");
        if (to == null || to.isBlank()) {
            throw ControlError.badRequest("to must be the customer's phone number (wa_id).");
        }
        return ControlJson.created(businessApp.echo(number, to.replaceAll("[+\\-() ]", ""), request));
    }

    /**
     * A contact is added to or removed from the WhatsApp Business app's address book:
     * {@code {"action":"add"|"remove","phoneNumber":"...","fullName":"...","firstName":"..."}}. Answers the sync item.
     */
    @PostMapping("/numbers/{phoneNumberId}/contact-sync")
    public ResponseEntity<String> businessAppContact(@PathVariable String phoneNumberId, @RequestBody(required = false) byte[] body) {
        BusinessNumber number = number(phoneNumberId);
        JsonNode request = ControlJson.parse(body);
        return ControlJson.created(businessApp.syncContact(number, SandboxJson.text(request, "action"), SandboxJson.text(request, "phoneNumber"),
                SandboxJson.text(request, "fullName"), SandboxJson.text(request, "firstName")));
    }

    /** A customer attaches a file (photo, document, voice note); answers its media id for a following message. */
    @PostMapping("/customers/{customerId}/media")
    public ResponseEntity<String> customerUploads(@PathVariable String customerId,
            @RequestParam(value = "phoneNumberId", required = false) String phoneNumberId,
            @RequestParam("file") MultipartFile file) throws IOException {
        BusinessNumber number = number(phoneNumberId);
        long limit = properties.getMaxCustomerUploadBytes();
        if (file.getSize() > limit) {
            throw ControlError.badRequest("The file is " + megabytes(file.getSize()) + "; a customer may attach files of up to "
                    + megabytes(limit) + " in the sandbox. Nothing was kept.");
        }
        StoredMedia stored = media.store(number.phoneNumberId(), file.getContentType(), file.getOriginalFilename(), file.getBytes());
        ObjectNode out = SandboxJson.object();
        out.put("id", stored.id());
        out.put("mimeType", stored.mimeType());
        return ControlJson.created(out);
    }

    @GetMapping("/media/{mediaId}")
    public ResponseEntity<byte[]> mediaForPhone(@PathVariable String mediaId) {
        SandboxCaller caller = SandboxCaller.current();
        StoredMedia stored = media.find(mediaId).filter(m -> caller.sees(m.phoneNumberId()))
                .orElseThrow(() -> ControlError.notFound("No media " + mediaId));
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

    /**
     * Meta's review decided now instead of after the delay: {@code {"decision":"approve"|"reject"|"auto","reason":"PROMOTIONAL"}}
     * ("auto", the default, rejects what breaks a rule the sandbox knows). Answers the template.
     */
    @PostMapping("/templates/{templateId}/review")
    public ResponseEntity<String> reviewTemplate(@PathVariable String templateId, @RequestBody(required = false) byte[] body) {
        JsonNode request = ControlJson.parse(body);
        hexa.sandbox.templates.Template template = template(templateId);
        templates.reviewNow(template, SandboxJson.text(request, "decision"), SandboxJson.text(request, "reason"));
        return ControlJson.ok(template.toJson());
    }

    /** Meta's later word on a template: {@code {"event":"PAUSED"|"DISABLED"|"FLAGGED"|"REINSTATED","reason":"..."}}, as a status webhook. */
    @PostMapping("/templates/{templateId}/status")
    public ResponseEntity<String> templateStatus(@PathVariable String templateId, @RequestBody(required = false) byte[] body) {
        JsonNode request = ControlJson.parse(body);
        String event = java.util.Objects.requireNonNullElse(SandboxJson.text(request, "event"), "").toUpperCase(Locale.ROOT);
        if (!java.util.Set.of("PAUSED", "DISABLED", "FLAGGED", "REINSTATED", "UNFLAGGED", "APPROVED", "REJECTED").contains(event)) {
            throw ControlError.badRequest("event must be PAUSED, DISABLED, FLAGGED, REINSTATED, UNFLAGGED, APPROVED or REJECTED.");
        }
        hexa.sandbox.templates.Template template = template(templateId);
        templates.changeStatus(template, event, SandboxJson.text(request, "reason"));
        return ControlJson.ok(template.toJson());
    }

    /** A new quality score: {@code {"score":"GREEN"|"YELLOW"|"RED"|"UNKNOWN"}}, as a quality webhook. */
    @PostMapping("/templates/{templateId}/quality")
    public ResponseEntity<String> templateQuality(@PathVariable String templateId, @RequestBody(required = false) byte[] body) {
        String score = java.util.Objects.requireNonNullElse(SandboxJson.text(ControlJson.parse(body), "score"), "").toUpperCase(Locale.ROOT);
        if (!java.util.Set.of("GREEN", "YELLOW", "RED", "UNKNOWN").contains(score)) {
            throw ControlError.badRequest("score must be GREEN, YELLOW, RED or UNKNOWN.");
        }
        hexa.sandbox.templates.Template template = template(templateId);
        templates.changeQuality(template, score);
        return ControlJson.ok(template.toJson());
    }

    /** Meta moves a template to another category: {@code {"category":"MARKETING"}}, as a {@code template_category_update} webhook. */
    @PostMapping("/templates/{templateId}/category")
    public ResponseEntity<String> templateCategory(@PathVariable String templateId, @RequestBody(required = false) byte[] body) {
        String category = java.util.Objects.requireNonNullElse(SandboxJson.text(ControlJson.parse(body), "category"), "").toUpperCase(Locale.ROOT);
        if (!java.util.Set.of("MARKETING", "UTILITY", "AUTHENTICATION").contains(category)) {
            throw ControlError.badRequest("category must be MARKETING, UTILITY or AUTHENTICATION.");
        }
        hexa.sandbox.templates.Template template = template(templateId);
        templates.changeCategory(template, category);
        return ControlJson.ok(template.toJson());
    }

    /** A template of a WABA one of the caller's numbers belongs to. */
    private hexa.sandbox.templates.Template template(String templateId) {
        SandboxCaller caller = SandboxCaller.current();
        return templates.byId(templateId)
                .filter(t -> numbers.ofWaba(t.wabaId()).stream().anyMatch(n -> caller.sees(n.phoneNumberId())))
                .orElseThrow(() -> ControlError.notFound("No template " + templateId));
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** The number a request names, or the only one when it names none; among those the caller may see. */
    private BusinessNumber number(String phoneNumberId) {
        return number(SandboxCaller.current(), numbers, phoneNumberId);
    }

    static BusinessNumber number(SandboxCaller caller, SandboxNumbers numbers, String phoneNumberId) {
        if (phoneNumberId != null && !phoneNumberId.isBlank()) {
            return numbers.find(phoneNumberId).filter(n -> caller.sees(n.phoneNumberId()))
                    .orElseThrow(() -> ControlError.notFound("No sandbox number " + phoneNumberId));
        }
        List<BusinessNumber> all = numbers.all().stream().filter(n -> caller.sees(n.phoneNumberId())).collect(Collectors.toList());
        if (all.size() == 1) {
            return all.iterator().next();
        }
        throw ControlError.badRequest(all.isEmpty() ? "No sandbox number is registered yet."
                : "Several sandbox numbers exist; say which with phoneNumberId: "
                        + all.stream().map(BusinessNumber::phoneNumberId).collect(Collectors.joining(", ")));
    }

    /** A number as the control API shows it; its access token only to the holder of the control token. */
    private ObjectNode number(BusinessNumber n, SandboxCaller caller) {
        ObjectNode node = SandboxJson.object();
        node.put("phoneNumberId", n.phoneNumberId());
        node.put("wabaId", n.wabaId());
        node.put("displayPhoneNumber", n.displayPhoneNumber());
        node.put("verifiedName", n.verifiedName());
        if (caller.control()) {
            node.put("accessToken", n.accessToken());
        }
        node.put("messagesPerSecond", n.messagesPerSecond());
        node.put("messagingLimit", n.messagingLimit());
        node.put("callbackUrl", n.webhookTarget().callbackUrl());
        node.put("webhookVerification", numbers.webhookVerification(n));
        node.put("webhookProblem", numbers.webhookProblem(n));
        return node;
    }
}
