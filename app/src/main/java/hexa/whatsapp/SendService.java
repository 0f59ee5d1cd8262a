package hexa.whatsapp;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import hexa.contacts.ConsentService;
import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.contacts.WhatsAppIdentity;
import hexa.identity.WorkspaceService;
import hexa.platform.Ids;
import hexa.platform.database.AfterCommit;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphSettings;
import hexa.whatsapp.media.MediaKind;
import hexa.whatsapp.media.MediaUpload;
import hexa.whatsapp.media.MediaUploads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SendService.class);
    static final Duration SERVICE_WINDOW = Duration.ofHours(24);
    private static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "document", "sticker", "location",
            "contacts", "interactive", "template", "reaction");
    private static final int MAX_TEXT = 4096;
    /** Our upload ids are UUIDs; Meta's media ids are digits. */
    private static final Pattern OUR_UPLOAD = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern WEB_LINK = Pattern.compile("https?://\\S+");

    private final ContactService contacts;
    private final OutboundQueue outbound;
    private final MessageHistory messages;
    private final ConnectionService connections;
    private final Connections connectionRows;
    private final WorkspaceService workspaces;
    private final MessageSender sender;
    private final TemplateService templates;
    private final MediaUploads uploads;
    private final ConsentService consent;
    private final GraphSettings graphSettings;
    private final Clock clock;
    /** Campaigns asking for one file on one number wait for each other, so that the second reuses the first's copy at Meta. */
    private final java.util.concurrent.locks.Lock[] atMetaLocks = new java.util.concurrent.locks.Lock[64];
    private final JsonMapper json = JsonMapper.builder().build();

    SendService(ContactService contacts, OutboundQueue outbound, MessageHistory messages, ConnectionService connections, Connections connectionRows,
                WorkspaceService workspaces, MessageSender sender, TemplateService templates, MediaUploads uploads, ConsentService consent,
                GraphSettings graphSettings, Clock clock) {
        this.consent = consent;
        this.graphSettings = graphSettings;
        for (int i = 0; i < atMetaLocks.length; i++) {
            atMetaLocks[i] = new java.util.concurrent.locks.ReentrantLock();
        }
        this.contacts = contacts;
        this.outbound = outbound;
        this.messages = messages;
        this.connections = connections;
        this.connectionRows = connectionRows;
        this.workspaces = workspaces;
        this.sender = sender;
        this.templates = templates;
        this.uploads = uploads;
        this.clock = clock;
    }

    /** Checks and queues a message; answers its id. The sender picks it up at once. */
    @Transactional
    public UUID send(JsonNode request) {
        return send(request, WhenUncertain.RESEND);
    }

    /**
     * What happens to a message whose send's answer from Meta was lost and that WhatsApp never confirms
     * ({@link UncertainSends}): sent again once that is safe ({@code RESEND}, for conversations), or failed as
     * "not confirmed — not resent" ({@code NEVER_RESEND}: for bulk sends where a second copy after an outage longer than
     * the hold's cap is worse than a gap a person can see and retry; campaigns use {@code RESEND}, whose rule never sends
     * twice within the cap).
     */
    public enum WhenUncertain {
        RESEND, NEVER_RESEND
    }

    /** As {@link #send(JsonNode)}, choosing what happens when the send's outcome is lost. */
    @Transactional
    public UUID send(JsonNode request, WhenUncertain whenUncertain) {
        UUID id = queue(check(request), null, whenUncertain);
        AfterCommit.run(sender::wake);
        return id;
    }

    /**
     * Checks and queues a message another module describes ({@link MessageToSend}); the channel writes Meta's
     * object for it. Answers its id.
     */
    @Transactional
    public UUID send(Recipient to, MessageToSend message) {
        return send(to, message, WhenUncertain.RESEND);
    }

    /** As {@link #send(Recipient, MessageToSend)}, choosing what happens when the send's outcome is lost ({@link WhenUncertain}). */
    @Transactional
    public UUID send(Recipient to, MessageToSend message, WhenUncertain whenUncertain) {
        ObjectNode request = message.metaObject();
        request.put("contactId", to.contactId().toString());
        if (to.connectionId() != null) {
            request.put("phoneNumberId", connections.connection(to.connectionId()).phoneNumberId());
        }
        return send(request, whenUncertain);
    }

    /**
     * As {@link #send(Recipient, MessageToSend)}, on behalf of an automation rule or flow ({@code by}: its kind, id and
     * name): the message carries it as its sender, and the conversation shows "Sent by rule …" on it.
     */
    @Transactional
    public UUID sendAutomatic(Recipient to, MessageToSend message, OutboundQueue.Sender by) {
        ObjectNode request = message.metaObject();
        request.put("contactId", to.contactId().toString());
        if (to.connectionId() != null) {
            request.put("phoneNumberId", connections.connection(to.connectionId()).phoneNumberId());
        }
        UUID id = queue(check(request), null, WhenUncertain.RESEND, by);
        AfterCommit.run(sender::wake);
        return id;
    }

    /**
     * A reply the system sends on its own (a consent keyword's acknowledgement), queued like any message in
     * the caller's transaction (the listener's that decided it), with every check of a free-form text. It must
     * not fail that transaction: a number disconnected meanwhile sends nothing and answers false.
     */
    public boolean sendAutomaticReply(UUID contactId, UUID connectionId, String text) {
        Optional<Connection> connection = connectionRows.all(TenantContext.tenantId()).stream()
                .filter(c -> c.id().equals(connectionId)).findFirst();
        if (connection.isEmpty()) {
            log.warn("No automatic reply to contact {}: number {} is no longer connected", contactId, connectionId);
            return false;
        }
        ObjectNode request = new MessageToSend.Text(text).metaObject();
        request.put("contactId", contactId.toString());
        request.put("phoneNumberId", connection.get().phoneNumberId());
        queue(check(request), null, WhenUncertain.RESEND);
        AfterCommit.run(sender::wake);
        return true;
    }

    /**
     * A message automation sends on its own (a chatbot flow's step), typed, queued in the caller's transaction with
     * every check of {@link #send(Recipient, MessageToSend)}. It must not fail that transaction: a message the checks
     * refuse (the 24-hour window closed, a number disconnected, a template not approved) is not sent and the answer is
     * empty, with the reason logged. {@code by} is the flow (kind {@code FLOW}, its id and name): the conversation shows
     * "Sent by flow …" on it.
     */
    public Optional<UUID> sendAutomaticIfAllowed(Recipient to, MessageToSend message, OutboundQueue.Sender by) {
        try {
            ObjectNode request = message.metaObject();
            request.put("contactId", to.contactId().toString());
            if (to.connectionId() != null) {
                Optional<Connection> connection = connectionRows.all(TenantContext.tenantId()).stream()
                        .filter(c -> c.id().equals(to.connectionId())).findFirst();
                if (connection.isEmpty()) {
                    log.warn("No automatic message to contact {}: number {} is no longer connected", to.contactId(), to.connectionId());
                    return Optional.empty();
                }
                request.put("phoneNumberId", connection.get().phoneNumberId());
            }
            UUID id = queue(check(request), null, WhenUncertain.RESEND, by);
            AfterCommit.run(sender::wake);
            return Optional.of(id);
        } catch (UserError refused) {
            log.info("Automatic message to contact {} not sent: {}", to.contactId(), refused.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Several uploads to one recipient in one go, for the inbox composer and the API: all are checked
     * first (all or nothing), then one message per upload is queued, in the order given; each leaves
     * only after the one before it. An optional caption goes on the first attachment that can carry
     * one (an image, video or document). Answers the messages' ids in that order.
     *
     * @param to            a phone number in any common spelling, or null when {@code contactId} is given
     * @param contactId     the contact to send to, or null
     * @param phoneNumberId the connected number that sends; null when the workspace has only one
     * @param uploadIds     ids of uploads ({@code POST /api/v1/media}), at most {@value #MAX_ATTACHMENTS}
     */
    public record Attachments(String to, String contactId, String phoneNumberId, List<String> uploadIds, String caption) {
    }

    public static final int MAX_ATTACHMENTS = 10;

    @Transactional
    public List<UUID> sendAttachments(Attachments request) {
        List<String> ids = request.uploadIds() == null ? List.of() : request.uploadIds();
        if (ids.isEmpty()) {
            throw UserError.invalid("whatsapp.send.attachments-missing", MAX_ATTACHMENTS);
        }
        if (ids.size() > MAX_ATTACHMENTS) {
            throw UserError.invalid("whatsapp.send.attachments-too-many", MAX_ATTACHMENTS);
        }
        List<MediaUpload> files = new ArrayList<>();
        for (String id : ids) {
            if (id == null || !OUR_UPLOAD.matcher(id.strip()).matches()) {
                throw UserError.invalid("whatsapp.send.attachment-invalid", id == null ? "null" : id);
            }
            files.add(upload(id.strip()));
        }
        String caption = request.caption() == null ? "" : request.caption().strip();
        int captioned = -1;
        if (!caption.isEmpty()) {
            for (int i = 0; i < files.size() && captioned < 0; i++) {
                if (files.get(i).kind().takesCaption()) {
                    captioned = i;
                }
            }
            if (captioned < 0) {
                throw UserError.invalid("whatsapp.send.attachments-caption-nowhere");
            }
        }
        List<Outgoing> checked = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            MediaUpload file = files.get(i);
            String type = file.kind().messageType();
            ObjectNode message = json.createObjectNode();
            message.put("type", type);
            ObjectNode object = message.putObject(type);
            object.put("id", file.id().toString());
            if (i == captioned) {
                object.put("caption", caption);
            }
            putIfPresent(message, "to", request.to());
            putIfPresent(message, "contactId", request.contactId());
            putIfPresent(message, "phoneNumberId", request.phoneNumberId());
            checked.add(check(message));
        }
        List<UUID> queued = new ArrayList<>();
        UUID previous = null;
        for (Outgoing outgoing : checked) {
            previous = queue(outgoing, previous, WhenUncertain.RESEND);
            queued.add(previous);
        }
        AfterCommit.run(sender::wake);
        return queued;
    }

    /** A message that passed every check, ready to queue. */
    private record Outgoing(Contact contact, Connection connection, String type, JsonNode object, String replyTo, MediaUpload upload) {
    }

    private Outgoing check(JsonNode request) {
        String type = text(request, "type");
        if (!TYPES.contains(type)) {
            throw UserError.invalid("whatsapp.send.type-unsupported", type.isEmpty() ? "(none)" : type);
        }
        JsonNode object = request.get(type);
        // Meta's contacts message carries an array of cards; every other type an object.
        boolean shaped = "contacts".equals(type) ? object != null && object.isArray() && !object.isEmpty() : object != null && object.isObject();
        if (!shaped) {
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
        MediaUpload upload = null;
        Optional<MediaKind> media = MediaKind.ofMessageType(type);
        if (media.isPresent()) {
            object = object.deepCopy();
            upload = checkMedia(media.get(), (ObjectNode) object);
        }
        Connection connection = connection(text(request, "phoneNumberId"));
        if ("template".equals(type)) {
            templates.check(connection.wabaId(), object);
        }
        Contact contact = recipient(request);
        if ("template".equals(type)) {
            // Marketing goes only to people who have not opted out; utility and authentication templates still go.
            templates.find(connection.wabaId(), text(object, "name"), text(object.path("language"), "code"))
                    .filter(t -> "MARKETING".equalsIgnoreCase(t.category()))
                    .ifPresent(t -> consent.requireMarketingAllowed(contact));
        } else {
            Optional<Instant> lastInbound = outbound.lastInboundAt(contact.id(), connection.id());
            if (lastInbound.isEmpty() || lastInbound.get().plus(SERVICE_WINDOW).isBefore(clock.instant())) {
                throw new OutsideServiceWindow();
            }
        }
        return new Outgoing(contact, connection, type, object, text(request.path("context"), "message_id"), upload);
    }

    /**
     * Media by Meta's rules: an {@code id} or a {@code link}, a caption only where WhatsApp shows one.
     * An id shaped like ours (a UUID) is an upload of this workspace, of the kind the type names; Meta's
     * own media ids (digits) and links pass through as Meta defines them.
     */
    private MediaUpload checkMedia(MediaKind kind, ObjectNode object) {
        String type = kind.messageType();
        String id = text(object, "id");
        String link = text(object, "link");
        if (id.isEmpty() == link.isEmpty()) {
            throw UserError.invalid("whatsapp.send.media-source", type);
        }
        if (!link.isEmpty() && !WEB_LINK.matcher(link).matches()) {
            throw UserError.invalid("whatsapp.send.link-invalid", type);
        }
        if (object.has("caption")) {
            if (!kind.takesCaption()) {
                throw UserError.invalid("whatsapp.send.caption-not-allowed", type);
            }
            if (text(object, "caption").length() > MediaKind.MAX_CAPTION) {
                throw UserError.invalid("whatsapp.send.caption-too-long", MediaKind.MAX_CAPTION);
            }
        }
        if (id.isEmpty() || !OUR_UPLOAD.matcher(id).matches()) {
            return null;
        }
        MediaUpload upload = upload(id);
        if (upload.kind() != kind) {
            throw UserError.invalid("whatsapp.send.media-kind", id, upload.kind().messageType(), upload.mimeType(), type);
        }
        if (kind == MediaKind.DOCUMENT && text(object, "filename").isEmpty()) {
            object.put("filename", upload.filename());
        }
        return upload;
    }

    private MediaUpload upload(String id) {
        return uploads.find(UUID.fromString(id))
                .orElseThrow(() -> new UnknownMedia(id));
    }

    /** Queues a checked message in the caller's transaction, to leave after {@code sendAfter} when that is given. */
    private UUID queue(Outgoing out, UUID sendAfter, WhenUncertain whenUncertain) {
        return queue(out, sendAfter, whenUncertain, null);
    }

    /** As {@link #queue(Outgoing, UUID, WhenUncertain)}, sent by {@code sentBy} (a rule or flow) when given, else by the actor. */
    private UUID queue(Outgoing out, UUID sendAfter, WhenUncertain whenUncertain, OutboundQueue.Sender sentBy) {
        ObjectNode content = json.createObjectNode();
        content.put("type", out.type());
        content.set(out.type(), out.object());
        if (!out.replyTo().isEmpty()) {
            content.putObject("context").put("message_id", out.replyTo());
        }
        Actor actor = TenantContext.actor();
        OutboundQueue.Sender by = sentBy != null ? sentBy : actor.userId() != null ? new OutboundQueue.Sender("USER", actor.userId())
                : actor.tokenId() != null ? new OutboundQueue.Sender("API_TOKEN", actor.tokenId()) : new OutboundQueue.Sender("SYSTEM", null);
        UUID id = outbound.queueOutbound(out.contact().id(), out.connection().id(), out.type(), summary(out.type(), out.object()),
                content.toString(), out.replyTo().isEmpty() ? null : out.replyTo(), by, sendAfter, whenUncertain == WhenUncertain.NEVER_RESEND);
        if (out.upload() != null) {
            uploads.attach(id, out.upload());
        }
        return id;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }

    /** One recipient of a bulk send and the template message for them. */
    public record BulkRecipient(UUID contactId, MessageToSend.Template message) {
    }

    /**
     * Queues many template messages on one number in the bulk lane, cheaply (one multi-row insert), for a campaign:
     * they leave after whatever agents, the API and automation have due, within the number's rate and messaging limit,
     * each at most once ({@code NEVER_RESEND} by default: a lost answer fails the message as not confirmed instead of
     * risking a second copy). {@code by} is the campaign ({@code CAMPAIGN} and its id), so its module can count its own.
     * Each distinct template is checked once (known, approved, its parameters); consent and audience are the caller's.
     * Answers the messages' ids in the order given.
     */
    @Transactional
    public List<UUID> queueBulk(UUID connectionId, OutboundQueue.Sender by, List<BulkRecipient> recipients, WhenUncertain whenUncertain) {
        Connection connection = connectionRows.find(TenantContext.tenantId(), connectionId).orElseThrow(NotFoundException::new);
        Set<String> checked = new java.util.HashSet<>();
        List<OutboundQueue.BulkMessage> bulk = new java.util.ArrayList<>(recipients.size());
        for (BulkRecipient recipient : recipients) {
            ObjectNode object = (ObjectNode) recipient.message().metaObject().get("template");
            MessageToSend.Template template = recipient.message();
            String key = template.name() + "|" + template.language() + "|" + (template.body() == null ? 0 : template.body().size())
                    + "|" + (template.header() == null ? 0 : template.header().size());
            if (checked.add(key)) {
                templates.check(connection.wabaId(), object);
            }
            ObjectNode content = json.createObjectNode();
            content.put("type", "template");
            content.set("template", object);
            bulk.add(new OutboundQueue.BulkMessage(recipient.contactId(), "template", recipient.message().name(), content.toString()));
        }
        List<UUID> ids = outbound.queueBulk(connection.id(), by, bulk, whenUncertain == WhenUncertain.NEVER_RESEND);
        AfterCommit.run(sender::wake);
        return ids;
    }

    /**
     * A file uploaded to the workspace ({@code POST /api/v1/media}) as a template's media header may use it: its kind
     * ({@code image}, {@code video}, {@code document}, {@code audio}, {@code sticker}), type and name.
     */
    public record UploadedFile(UUID id, String kind, String mimeType, String filename) {
        /** Whether a template whose header has this format (IMAGE, VIDEO or DOCUMENT) can carry the file. */
        public boolean fitsHeader(String headerFormat) {
            return headerFormat != null && MessageToSend.HeaderMedia.KINDS.contains(kind)
                    && kind.equalsIgnoreCase(headerFormat.strip());
        }
    }

    /** An upload of the current workspace; another workspace's, or none: 404. */
    public UploadedFile uploadedFile(UUID uploadId) {
        MediaUpload upload = upload(uploadId.toString());
        return new UploadedFile(upload.id(), upload.kind().messageType(), upload.mimeType(), upload.filename());
    }

    /**
     * Meta's media id of an upload of the workspace on one of its numbers, for a template's media header
     * ({@link MessageToSend.Parameter#media}): the copy Meta keeps from an earlier send or call (remembered per number while
     * Meta keeps it), or uploaded now, once. Called outside a transaction (it may upload to Meta). An upload or number of
     * another workspace: 404; a Graph API failure is thrown as it is.
     */
    public String mediaAtMeta(UUID uploadId, UUID connectionId) {
        MediaUpload upload = upload(uploadId.toString());
        Connection connection = connectionRows.find(TenantContext.tenantId(), connectionId).orElseThrow(NotFoundException::new);
        GraphEndpoint endpoint = new GraphEndpoint(connection.graphUrl(), graphSettings.apiVersion(), connections.accessToken(connection));
        java.util.concurrent.locks.Lock sameFile = atMetaLocks[Math.floorMod(java.util.Objects.hash(upload.id(), connection.id()), atMetaLocks.length)];
        sameFile.lock();
        try {
            return uploads.atMeta(upload.id(), connection.id(), endpoint, connection.phoneNumberId()).mediaId();
        } finally {
            sameFile.unlock();
        }
    }

    /** Puts a failed message back in the queue. */
    @Transactional
    public void retry(UUID messageId) {
        if (!outbound.retry(messageId)) {
            messages.byId(messageId).orElseThrow(NotFoundException::new);
            throw new MessageNotFailed();
        }
        AfterCommit.run(sender::wake);
    }

    private Connection connection(String phoneNumberId) {
        List<Connection> live = connectionRows.all(TenantContext.tenantId());
        if (!phoneNumberId.isEmpty()) {
            return live.stream().filter(c -> c.phoneNumberId().equals(phoneNumberId)).findFirst()
                    .orElseThrow(() -> new UnknownNumber(phoneNumberId));
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
            case "document":
                return text(object, "caption").isEmpty() ? text(object, "filename") : text(object, "caption");
            default:
                return text(object, "caption");
        }
    }
}
