package hexa.inbox;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import hexa.whatsapp.MessageJson;
import hexa.whatsapp.MessageHistory;
import hexa.whatsapp.MessageView;
import hexa.whatsapp.ReadReceipts;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/conversations} and {@code /api/v1/canned-responses}: the inbox for integrations,
 * scoped and role-checked exactly like the pages (an Agent's token sees what an Agent sees).
 */
@RestController
class ConversationsApiController {

    private final ConversationService conversations;
    private final NoteService notes;
    private final CannedResponses canned;
    private final ContactService contacts;
    private final InboxSearch search;
    private final MessageHistory messages;
    private final ReadReceipts readReceipts;

    ConversationsApiController(ConversationService conversations, NoteService notes, CannedResponses canned, ContactService contacts,
                               InboxSearch search, MessageHistory messages, ReadReceipts readReceipts) {
        this.search = search;
        this.messages = messages;
        this.readReceipts = readReceipts;
        this.conversations = conversations;
        this.notes = notes;
        this.canned = canned;
        this.contacts = contacts;
    }

    public record ContactJson(UUID id, String name, String phone, String whatsappUserId) {
    }

    public record ConversationJson(UUID id, ContactJson contact, UUID connectionId, String status, UUID assigneeId, UUID teamId,
                                   Instant snoozedUntil, List<String> tags, boolean unread, Integer unreadMessages, String lastMessage,
                                   Instant openedAt, Instant lastMessageAt, Instant lastInboundAt, Instant windowClosesAt, Instant resolvedAt) {
    }

    public record NoteJson(UUID id, UUID conversationId, UUID authorId, String authorName, String body, Instant createdAt, Instant editedAt) {
        static NoteJson of(Note n) {
            return new NoteJson(n.id(), n.conversationId(), n.authorId(), n.authorName(), n.body(), n.createdAt(), n.editedAt());
        }
    }

    public record CannedJson(UUID id, String shortcut, String body) {
        static CannedJson of(CannedResponse c) {
            return new CannedJson(c.id(), c.shortcut(), c.body());
        }
    }

    public record Items<T>(List<T> items, String nextCursor) {
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/api/v1/conversations")
    Items<ConversationJson> list(@RequestParam Map<String, String> params) {
        String view = params.getOrDefault("view", "");
        ConversationFilter filter = ConversationFilter.of(view.isBlank() ? defaultView() : view, params.get("status"), params.get("number"),
                params.get("team"), params.get("assignee"), params.get("tag"), params.get("sort"));
        if (!conversations.views().contains(filter.view())) {
            throw UserError.invalid("inbox.api.view-not-allowed", filter.view().name().toLowerCase(Locale.ROOT));
        }
        int limit = parseLimit(params.get("limit"));
        ConversationService.Page page = conversations.list(filter, params.get("cursor"), limit);
        Map<UUID, Contact> people = contacts.byIds(page.rows().stream().map(r -> r.conversation().contactId()).toList());
        return new Items<>(page.rows().stream().map(r -> json(r.conversation(), people.get(r.conversation().contactId()), r)).toList(),
                page.nextCursor());
    }

    public record MessageHitJson(UUID messageId, UUID conversationId, UUID contactId, String direction, String type, String text, Instant sentAt) {
    }

    public record ContactHitJson(UUID contactId, UUID conversationId, Instant lastMessageAt) {
    }

    public record SearchJson(List<ContactHitJson> contacts, List<MessageHitJson> messages, String nextCursor) {
    }

    /** {@code ?q=} words in messages and parts of contact names or numbers, among the conversations the caller may see. */
    @Requires(Permission.USE_INBOX)
    @GetMapping("/api/v1/search")
    SearchJson search(@RequestParam(defaultValue = "") String q, @RequestParam(required = false) String cursor) {
        InboxSearch.Results results = search.search(q.length() > 200 ? q.substring(0, 200) : q, cursor);
        return new SearchJson(results.contacts().stream().map(c -> new ContactHitJson(c.contactId(), c.conversationId(), c.lastMessageAt())).toList(),
                results.messages().stream().map(m -> new MessageHitJson(m.messageId(), m.conversationId(), m.contactId(),
                        m.direction().toLowerCase(Locale.ROOT), m.type(), m.body(), m.sentAt())).toList(),
                results.nextCursor());
    }

    /** A conversation's messages, oldest first, a page at a time ({@code nextCursor}), in the API's message shape. */
    @Requires(Permission.USE_INBOX)
    @GetMapping("/api/v1/conversations/{id}/messages")
    Items<MessageJson> messages(@PathVariable String id, @RequestParam(required = false) String cursor,
                                @RequestParam(defaultValue = "50") int limit) {
        UUID conversation = conversations.get(Ids.parseOrNotFound(id)).id();
        int size = Math.max(1, Math.min(limit, 200));
        UUID after = cursor == null || cursor.isBlank() ? null : Ids.parseOrNotFound(cursor);
        List<MessageView> page = messages.inConversation(conversation, after, size + 1);
        String next = page.size() > size ? page.get(size - 1).id().toString() : null;
        return new Items<>(messages.json(page.stream().limit(size).toList()), next);
    }

    /** The agent opened the conversation: its messages are read by the team, and the customer gets a read receipt. */
    @Requires(Permission.USE_INBOX)
    @PostMapping("/api/v1/conversations/{id}/read")
    ReadReceipts.Opened read(@PathVariable String id) {
        return readReceipts.conversationOpened(conversations.get(Ids.parseOrNotFound(id)).id());
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/api/v1/conversations/{id}")
    ConversationJson get(@PathVariable String id) {
        return json(conversations.get(Ids.parseOrNotFound(id)));
    }

    /** {@code {"assigneeId": "…" | null}} and/or {@code {"teamId": "…" | null}}; a field left out is left alone. */
    @Requires(Permission.USE_INBOX)
    @PostMapping("/api/v1/conversations/{id}/assign")
    ConversationJson assign(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID conversation = conversations.get(Ids.parseOrNotFound(id)).id();
        JsonNode request = object(body);
        if (!request.has("assigneeId") && !request.has("teamId")) {
            throw UserError.invalid("inbox.api.assign-missing");
        }
        if (request.has("teamId")) {
            conversations.assignTeam(conversation, optionalId(request.get("teamId")));
        }
        if (request.has("assigneeId")) {
            conversations.assign(conversation, optionalId(request.get("assigneeId")));
        }
        return json(conversations.find(conversation).orElseGet(() -> conversations.get(conversation)));
    }

    /** {@code {"status": "open" | "pending" | "resolved"}}; snoozing has its own endpoint. */
    @Requires(Permission.USE_INBOX)
    @PostMapping("/api/v1/conversations/{id}/status")
    ConversationJson status(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID conversation = conversations.get(Ids.parseOrNotFound(id)).id();
        String status = object(body).path("status").asString("").toLowerCase(Locale.ROOT);
        switch (status) {
            case "open":
                return json(conversations.reopen(conversation));
            case "pending":
                return json(conversations.pending(conversation));
            case "resolved":
                return json(conversations.resolve(conversation));
            default:
                throw UserError.invalid("inbox.api.status-invalid");
        }
    }

    /** {@code {"until": "2026-12-01T09:00:00Z"}}. */
    @Requires(Permission.USE_INBOX)
    @PostMapping("/api/v1/conversations/{id}/snooze")
    ConversationJson snooze(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID conversation = conversations.get(Ids.parseOrNotFound(id)).id();
        Instant until;
        try {
            until = Instant.parse(object(body).path("until").asString(""));
        } catch (DateTimeParseException e) {
            throw UserError.invalid("inbox.api.until-invalid");
        }
        return json(conversations.snooze(conversation, until));
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/api/v1/conversations/{id}/tags")
    ConversationJson tag(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID conversation = conversations.get(Ids.parseOrNotFound(id)).id();
        return json(conversations.tag(conversation, object(body).path("tag").asString("")));
    }

    @Requires(Permission.USE_INBOX)
    @DeleteMapping("/api/v1/conversations/{id}/tags/{tag}")
    ConversationJson untag(@PathVariable String id, @PathVariable String tag) {
        UUID conversation = conversations.get(Ids.parseOrNotFound(id)).id();
        return json(conversations.untag(conversation, tag));
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/api/v1/conversations/{id}/notes")
    Items<NoteJson> notes(@PathVariable String id) {
        return new Items<>(notes.inConversation(Ids.parseOrNotFound(id)).stream().map(NoteJson::of).toList(), null);
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/api/v1/conversations/{id}/notes")
    ResponseEntity<NoteJson> addNote(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID conversation = conversations.get(Ids.parseOrNotFound(id)).id();
        return ResponseEntity.status(201).body(NoteJson.of(notes.add(conversation, object(body).path("body").asString(""))));
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/api/v1/canned-responses")
    Items<CannedJson> cannedResponses() {
        return new Items<>(canned.all().stream().map(CannedJson::of).toList(), null);
    }

    @Requires(Permission.MANAGE_INBOX)
    @PostMapping("/api/v1/canned-responses")
    ResponseEntity<CannedJson> createCanned(@RequestBody(required = false) JsonNode body) {
        JsonNode request = object(body);
        return ResponseEntity.status(201).body(CannedJson.of(canned.create(request.path("shortcut").asString(""), request.path("body").asString(""))));
    }

    @Requires(Permission.MANAGE_INBOX)
    @PutMapping("/api/v1/canned-responses/{id}")
    CannedJson updateCanned(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID response = canned.get(Ids.parseOrNotFound(id)).id();
        JsonNode request = object(body);
        return CannedJson.of(canned.update(response, request.path("shortcut").asString(""), request.path("body").asString("")));
    }

    @Requires(Permission.MANAGE_INBOX)
    @DeleteMapping("/api/v1/canned-responses/{id}")
    ResponseEntity<Void> deleteCanned(@PathVariable String id) {
        canned.delete(canned.get(Ids.parseOrNotFound(id)).id());
        return ResponseEntity.noContent().build();
    }

    // ---------------------------------------------------------------------------------------------

    private ConversationJson json(Conversation c) {
        return json(c, contacts.byId(c.contactId()).orElse(null), null);
    }

    private static ConversationJson json(Conversation c, Contact contact, ConversationRow row) {
        return new ConversationJson(c.id(),
                contact == null ? null : new ContactJson(contact.id(), contact.displayName(), contact.phoneE164(), contact.whatsappUserId()),
                c.connectionId(), c.status().name().toLowerCase(Locale.ROOT), c.assigneeId(), c.teamId(), c.snoozedUntil(), c.tags(), c.unread(),
                row == null ? null : row.unreadMessages(), row == null ? null : row.lastBody(), c.openedAt(), c.lastMessageAt(),
                c.lastInboundAt(), c.windowClosesAt(), c.resolvedAt());
    }

    private static String defaultView() {
        return Conversations.seesAll(TenantContext.actor()) ? "all" : "unassigned";
    }

    private static int parseLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return ConversationService.PAGE;
        }
        try {
            return Math.max(1, Math.min(100, Integer.parseInt(limit.strip())));
        } catch (NumberFormatException e) {
            throw UserError.invalid("inbox.api.limit-invalid");
        }
    }

    private static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw UserError.invalid("error.bad-request");
        }
        return body;
    }

    private static UUID optionalId(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return UUID.fromString(value.asString(""));
        } catch (IllegalArgumentException e) {
            throw UserError.invalid("inbox.api.id-invalid");
        }
    }
}
