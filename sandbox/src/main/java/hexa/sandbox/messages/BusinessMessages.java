package hexa.sandbox.messages;

import java.time.Duration;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxJson;
import hexa.sandbox.SandboxStats;
import hexa.sandbox.SandboxSwitches;
import hexa.sandbox.WhatsAppIds;
import hexa.sandbox.customers.Chat;
import hexa.sandbox.customers.ChatLine;
import hexa.sandbox.customers.Chats;
import hexa.sandbox.customers.Customer;
import hexa.sandbox.customers.Customers;
import hexa.sandbox.flows.Flows;
import hexa.sandbox.graph.GraphError;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.templates.Template;
import hexa.sandbox.templates.TemplateMessage;
import hexa.sandbox.templates.Templates;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The business sends a message, or marks a customer's message as read. Accepting a message only
 * means Meta took it: whether it reaches the customer is told later by status webhooks.
 */
@Component
public class BusinessMessages {

    /** Meta dismisses the typing indicator after 25 seconds at the latest. */
    private static final Duration TYPING_INDICATOR = Duration.ofSeconds(25);

    private final MessageRequestRules rules;
    private final Throughput throughput;
    private final PairRateLimiter pairLimit;
    private final DeliveryLimits limits;
    private final Templates templates;
    private final Flows flows;
    private final Customers customers;
    private final Chats chats;
    private final StatusProgression statuses;
    private final SandboxClock clock;
    private final SandboxSwitches switches;
    private final SandboxStats stats;
    private final WhatsAppIds ids;

    public BusinessMessages(MessageRequestRules rules, Throughput throughput, PairRateLimiter pairLimit, DeliveryLimits limits, Templates templates,
            Flows flows, Customers customers, Chats chats, StatusProgression statuses, SandboxClock clock, SandboxSwitches switches,
            SandboxStats stats, WhatsAppIds ids) {
        this.rules = rules;
        this.throughput = throughput;
        this.pairLimit = pairLimit;
        this.limits = limits;
        this.templates = templates;
        this.flows = flows;
        this.customers = customers;
        this.chats = chats;
        this.statuses = statuses;
        this.clock = clock;
        this.switches = switches;
        this.stats = stats;
        this.ids = ids;
    }

    /** Handles a POST to /messages: a send, or a read receipt (with optional typing indicator). */
    public ObjectNode handle(BusinessNumber number, JsonNode request) {
        if (!request.isObject()) {
            throw GraphError.invalidParameter("The request body must be a JSON object.");
        }
        if ("read".equals(SandboxJson.text(request, "status"))) {
            return markAsRead(number, request);
        }
        return send(number, request);
    }

    private ObjectNode send(BusinessNumber number, JsonNode request) {
        stats.sendStarted(number.phoneNumberId());
        try {
            ObjectNode response = accept(number, request);
            latency();
            return response;
        } catch (GraphError e) {
            stats.sendRefused(number.phoneNumberId(), e.code());
            latency();
            throw e;
        } finally {
            stats.sendEnded(number.phoneNumberId());
        }
    }

    /** Meta's answer takes its time to come back ({@link SandboxSwitches#graphLatencyMs}, with jitter). */
    private void latency() {
        long latency = switches.graphLatencyMs;
        long jitter = switches.graphLatencyJitterMs;
        if (latency <= 0) {
            return;
        }
        long ms = jitter > 0 ? latency - jitter + java.util.concurrent.ThreadLocalRandom.current().nextLong(2 * jitter + 1) : latency;
        try {
            Thread.sleep(Math.max(0, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ObjectNode accept(BusinessNumber number, JsonNode request) {
        // The second the send arrived in: the throughput limit and the per-second count both use it.
        long second = System.currentTimeMillis() / 1000;
        if (!throughput.tryTake(number, second)) {
            throw GraphError.throughputReached();
        }
        int injected = switches.takeSendFailure(number.phoneNumberId());
        if (injected != 0) {
            throw GraphError.injected(injected);
        }
        String type = rules.checkEnvelope(request);
        JsonNode object = request.get(type);
        rules.checkContent(number, type, object);
        Template template = null;
        if ("template".equals(type)) {
            String name = SandboxJson.text(object, "name");
            String language = SandboxJson.text(object.path("language"), "code");
            template = templates.find(number.wabaId(), name, language).filter(Template::isApproved)
                    .orElseThrow(() -> GraphError.templateNotFound(name, language));
            TemplateMessage.checkParameters(template, object);
        }
        ObjectNode flowForm = null;
        if ("interactive".equals(type) && "flow".equals(SandboxJson.text(object, "type"))) {
            flowForm = flows.formFor(number.wabaId(), object.path("action").path("parameters"));
        }
        String to = SandboxJson.text(request, "to");
        String recipientId = Customer.isBusinessScopedUserId(to) ? to : MessageRequestRules.waIdOf(to);
        if (!pairLimit.tryTake(number.phoneNumberId(), recipientId)) {
            throw GraphError.pairRateLimit();
        }
        Customer customer = customers.obtain(recipientId, null);
        Chat chat = chats.of(number.phoneNumberId(), customer);
        String wamid = ids.messageId();
        ChatLine line = new ChatLine(wamid, ChatLine.From.BUSINESS, type, ((ObjectNode) request).deepCopy(), clock.now(), "accepted");
        if (template != null) {
            line.render(TemplateMessage.render(template, object));
        }
        if (flowForm != null) {
            // the phone simulator opens this form when the customer taps the message's button
            line.render(flowForm);
        }
        chats.add(chat, line);
        if ("reaction".equals(type)) {
            chats.message(SandboxJson.text(object, "message_id"))
                    .ifPresent(target -> target.line().react(ChatLine.From.BUSINESS, SandboxJson.text(object, "emoji")));
        }
        Integer failure = null;
        boolean windowOpen = windowOpen(chat);
        if (customer.undeliverable() || (switches.undeliverableRate > 0 && ids.random().nextDouble() < switches.undeliverableRate)) {
            failure = 131026;
        } else if (template == null && !"reaction".equals(type) && !windowOpen) {
            failure = 131047;
        }
        int failedLater = failure == null ? switches.takeStatusFailure(number.phoneNumberId()) : 0;
        if (failedLater != 0) {
            failure = failedLater;
        }
        if (failure == null && !"reaction".equals(type)) {
            int limited = limits.check(number, customer, template == null ? null : template.category(), windowOpen);
            if (limited != 0) {
                failure = limited;
            }
        }
        OutboundMessage.Pricing pricing = OutboundMessage.Pricing.of(template == null ? null : template.category(), windowOpen);
        statuses.start(new OutboundMessage(number, chat, line, type, SandboxJson.text(request, "biz_opaque_callback_data"),
                pricing, failure));
        stats.accepted(number.phoneNumberId());
        if (template != null) {
            stats.templateAccepted(template.name(), recipientId);
        }
        stats.sendAccepted(number.phoneNumberId(), second, SandboxJson.text(request, "biz_opaque_callback_data"));

        ObjectNode response = SandboxJson.object();
        response.put("messaging_product", "whatsapp");
        ObjectNode contact = response.putArray("contacts").addObject();
        contact.put("input", to);
        contact.put("wa_id", recipientId);
        response.putArray("messages").addObject().put("id", wamid);
        holdAnswer(number);
        return response;
    }

    /** Accepted, but the answer waits ({@link SandboxSwitches#answerHoldMs}): the caller may die before it hears it. */
    private void holdAnswer(BusinessNumber number) {
        long hold = switches.answerHoldFor(number.phoneNumberId());
        if (hold > 0) {
            try {
                Thread.sleep(hold);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean windowOpen(Chat chat) {
        return chat.serviceWindowOpen(clock.now());
    }

    private ObjectNode markAsRead(BusinessNumber number, JsonNode request) {
        if (SandboxJson.text(request, "messaging_product") == null) {
            throw GraphError.requiredParameter("messaging_product");
        }
        String messageId = SandboxJson.text(request, "message_id");
        if (messageId == null) {
            throw GraphError.requiredParameter("message_id");
        }
        Chats.Located located = chats.message(messageId)
                .filter(l -> l.chat().phoneNumberId().equals(number.phoneNumberId()) && l.line().from() == ChatLine.From.CUSTOMER)
                .orElseThrow(() -> GraphError.invalidParameter("Invalid message_id: no message " + messageId + " was received by this number."));
        // A read receipt covers the message and everything the customer sent before it.
        for (ChatLine line : located.chat().lines()) {
            if (line.from() == ChatLine.From.CUSTOMER && !line.at().isAfter(located.line().at())) {
                line.changeStatus("read", null);
            }
        }
        JsonNode typing = request.get("typing_indicator");
        if (typing != null) {
            if (!"text".equals(SandboxJson.text(typing, "type"))) {
                throw GraphError.invalidValue("typing_indicator.type", "must be text");
            }
            located.chat().showTyping(clock.now().plus(TYPING_INDICATOR));
        }
        stats.readReceipt(number.phoneNumberId());
        ObjectNode response = SandboxJson.object();
        response.put("success", true);
        return response;
    }
}
