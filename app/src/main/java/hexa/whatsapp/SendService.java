package hexa.whatsapp;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.contacts.WhatsAppIdentity;
import hexa.identity.WorkspaceService;
import hexa.inbox.MessageLog;
import hexa.platform.Ids;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import static hexa.whatsapp.JsonFields.text;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What people, rules and integrators want to say, checked and queued for sending: Meta's own message
 * object, to a number in any common spelling or to a contact, inside the 24-hour window unless it
 * is a template.
 */
@Service
public class SendService {

    static final Duration SERVICE_WINDOW = Duration.ofHours(24);
    private static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "document", "sticker", "location",
            "contacts", "interactive", "template", "reaction");
    private static final int MAX_TEXT = 4096;

    private final ContactService contacts;
    private final MessageLog messages;
    private final ConnectionService connections;
    private final Connections connectionRows;
    private final WorkspaceService workspaces;
    private final MessageSender sender;
    private final TemplateService templates;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    SendService(ContactService contacts, MessageLog messages, ConnectionService connections, Connections connectionRows,
                WorkspaceService workspaces, MessageSender sender, TemplateService templates, Clock clock) {
        this.contacts = contacts;
        this.messages = messages;
        this.connections = connections;
        this.connectionRows = connectionRows;
        this.workspaces = workspaces;
        this.sender = sender;
        this.templates = templates;
        this.clock = clock;
    }

    /** Checks and queues a message; answers its id. The sender picks it up at once. */
    @Transactional
    public UUID send(JsonNode request) {
        String type = text(request, "type");
        if (!TYPES.contains(type)) {
            throw UserError.invalid("whatsapp.send.type-unsupported", type.isEmpty() ? "(none)" : type);
        }
        JsonNode object = request.get(type);
        if (object == null || !object.isObject()) {
            throw UserError.invalid("whatsapp.send.object-missing", type);
        }
        if ("text".equals(type)) {
            String body = text(object, "body");
            if (body.isBlank() || body.length() > MAX_TEXT) {
                throw UserError.invalid("whatsapp.send.text-invalid", MAX_TEXT);
            }
        }
        if ("reaction".equals(type) && text(object, "message_id").isEmpty()) {
            throw UserError.invalid("whatsapp.send.reaction-invalid");
        }
        Connection connection = connection(text(request, "phoneNumberId"));
        if ("template".equals(type)) {
            templates.check(connection.wabaId(), object);
        }
        Contact contact = recipient(request);
        if (!"template".equals(type)) {
            Optional<Instant> lastInbound = messages.lastInboundAt(contact.id(), connection.id());
            if (lastInbound.isEmpty() || lastInbound.get().plus(SERVICE_WINDOW).isBefore(clock.instant())) {
                throw new UserError(HttpStatus.UNPROCESSABLE_ENTITY, "outside_window", "whatsapp.send.outside-window");
            }
        }
        ObjectNode content = json.createObjectNode();
        content.put("type", type);
        content.set(type, object);
        String replyTo = text(request.path("context"), "message_id");
        if (!replyTo.isEmpty()) {
            content.putObject("context").put("message_id", replyTo);
        }
        Actor actor = TenantContext.actor();
        MessageLog.Sender by = actor.userId() != null ? new MessageLog.Sender("USER", actor.userId())
                : actor.tokenId() != null ? new MessageLog.Sender("API_TOKEN", actor.tokenId()) : new MessageLog.Sender("SYSTEM", null);
        UUID id = messages.queueOutbound(contact.id(), connection.id(), type, summary(type, object), content.toString(),
                replyTo.isEmpty() ? null : replyTo, by);
        afterCommit(sender::wake);
        return id;
    }

    /** Puts a failed message back in the queue. */
    @Transactional
    public void retry(UUID messageId) {
        if (!messages.retry(messageId)) {
            messages.byId(messageId).orElseThrow(NotFoundException::new);
            throw new UserError(HttpStatus.CONFLICT, "not_failed", "whatsapp.send.retry-not-failed");
        }
        afterCommit(sender::wake);
    }

    private Connection connection(String phoneNumberId) {
        List<Connection> live = connectionRows.all(TenantContext.tenantId());
        if (!phoneNumberId.isEmpty()) {
            return live.stream().filter(c -> c.phoneNumberId().equals(phoneNumberId)).findFirst()
                    .orElseThrow(() -> new UserError(HttpStatus.NOT_FOUND, "unknown_number", "whatsapp.send.unknown-number", phoneNumberId));
        }
        if (live.size() == 1) {
            return live.get(0);
        }
        throw UserError.invalid(live.isEmpty() ? "whatsapp.send.no-number" : "whatsapp.send.choose-number");
    }

    private Contact recipient(JsonNode request) {
        String contactId = text(request, "contactId");
        if (!contactId.isEmpty()) {
            return contacts.byId(Ids.parseOrNotFound(contactId)).orElseThrow(NotFoundException::new);
        }
        String to = text(request, "to");
        if (to.isEmpty()) {
            throw UserError.invalid("whatsapp.send.recipient-missing");
        }
        return contacts.identify(new WhatsAppIdentity(waId(to), null, null));
    }

    /** A phone number in any common spelling (+91 98…, 098…, 91-98…) as WhatsApp's digits. */
    String waId(String to) {
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        String region = workspaces.current().defaultCountry();
        String candidate = to.strip();
        if (!candidate.startsWith("+") && candidate.replaceAll("[^0-9]", "").length() > 10 && !candidate.startsWith("0")) {
            candidate = "+" + candidate.replaceAll("[^0-9]", "");
        }
        try {
            Phonenumber.PhoneNumber number = phones.parse(candidate, region);
            if (!phones.isPossibleNumber(number)) {
                throw UserError.invalid("whatsapp.send.number-invalid", to);
            }
            return phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1);
        } catch (NumberParseException e) {
            throw UserError.invalid("whatsapp.send.number-invalid", to);
        }
    }

    private static String summary(String type, JsonNode object) {
        switch (type) {
            case "text":
                return text(object, "body");
            case "template":
                return text(object, "name");
            case "interactive":
                return text(object.path("body"), "text");
            case "location":
                return text(object, "name");
            default:
                return text(object, "caption");
        }
    }

    private static void afterCommit(Runnable action) {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            action.run();
                        }
                    });
        } else {
            action.run();
        }
    }

}
