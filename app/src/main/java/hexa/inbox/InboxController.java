package hexa.inbox;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Notices;
import hexa.platform.web.Pages;
import hexa.platform.web.UserError;
import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.MessageHistory;
import hexa.whatsapp.MessageToSend;
import hexa.whatsapp.OutsideServiceWindow;
import hexa.whatsapp.Recipient;
import hexa.whatsapp.ReadReceipts;
import hexa.whatsapp.SendService;
import hexa.whatsapp.Template;
import hexa.whatsapp.TemplateService;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The team inbox: the conversation list with its views and filters on the left, the open
 * conversation in the middle (thread, composer, actions), the contact on the right. Every page
 * works after a plain reload; live updates (see {@link InboxLiveController}) refresh parts of it.
 */
@Controller
class InboxController {


    private final ConversationService conversations;
    private final ThreadView threads;
    private final NoteService notes;
    private final ContactService contacts;
    private final MemberService members;
    private final ConnectionService connections;
    private final SendService sending;
    private final TemplateService templates;
    private final Teams teams;
    private final ReadReceipts readReceipts;
    private final Composer composer;
    private final MessageHistory messages;
    private final InboxSearch search;
    private final InboxSettings settings;
    private final CannedResponses canned;
    private final hexa.contacts.ConsentService consent;
    private final hexa.contacts.ContactNotes contactNotes;
    private final Pages pages;
    private final Clock clock;

    InboxController(ConversationService conversations, ThreadView threads, NoteService notes, ContactService contacts, MemberService members,
                    ConnectionService connections, SendService sending, TemplateService templates, Teams teams, ReadReceipts readReceipts, Composer composer, InboxSearch search, InboxSettings settings,
                    CannedResponses canned, hexa.contacts.ConsentService consent, hexa.contacts.ContactNotes contactNotes,
                    Pages pages, Clock clock, MessageHistory messages) {
        this.consent = consent;
        this.contactNotes = contactNotes;
        this.composer = composer;
        this.messages = messages;
        this.search = search;
        this.settings = settings;
        this.canned = canned;
        this.readReceipts = readReceipts;
        this.conversations = conversations;
        this.threads = threads;
        this.notes = notes;
        this.contacts = contacts;
        this.members = members;
        this.connections = connections;
        this.sending = sending;
        this.templates = templates;
        this.teams = teams;
        this.pages = pages;
        this.clock = clock;
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox")
    String inbox(@RequestParam Map<String, String> params, Model model, HttpServletRequest request) {
        ConversationFilter filter = filter(params);
        model.addAttribute("list", list(filter, params.get("cursor"), zone(request), false));
        model.addAttribute("open", null);
        model.addAttribute("details", false);
        return "inbox/inbox";
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox/search")
    String search(@RequestParam(defaultValue = "") String q, @RequestParam(required = false) String cursor, Model model,
                  HttpServletRequest request) {
        String text = q.length() > 200 ? q.substring(0, 200) : q;
        InboxSearch.Results results = search.search(text, cursor);
        Set<UUID> contactIds = new HashSet<>();
        results.contacts().forEach(c -> contactIds.add(c.contactId()));
        results.messages().forEach(m -> contactIds.add(m.contactId()));
        model.addAttribute("q", text);
        model.addAttribute("results", results);
        model.addAttribute("people", contacts.byIds(contactIds));
        model.addAttribute("zone", zone(request));
        return "inbox/search";
    }

    /** What the member was told about: mentions in notes and conversations given to them, newest first. */
    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox/notifications")
    String notifications(Model model, HttpServletRequest request) {
        model.addAttribute("notifications", notes.unreadNotifications(50));
        model.addAttribute("zone", zone(request));
        return "inbox/notifications";
    }

    /** Who may be mentioned in a note, for the composer's @ autocomplete: names only, this workspace's inbox members. */
    @Requires(Permission.USE_INBOX)
    @GetMapping(value = "/inbox/mentions", produces = "application/json")
    @org.springframework.web.bind.annotation.ResponseBody
    List<Map<String, String>> mentions(@RequestParam(defaultValue = "") String q) {
        String typed = q.length() > 100 ? q.substring(0, 100) : q;
        return notes.mentionable(typed, 8).stream().map(m -> Map.of("name", m.name(), "mention", m.mention())).toList();
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox/list")
    String listFragment(@RequestParam Map<String, String> params, Model model, HttpServletRequest request) {
        model.addAttribute("list", list(filter(params), params.get("cursor"), zone(request), true));
        return "inbox/list";
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox/conversations/{id}")
    String conversation(@PathVariable String id, @RequestParam Map<String, String> params, Model model, HttpServletRequest request) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        Conversation conversation = conversations.get(conversationId);
        ConversationFilter filter = filter(params);
        UUID focus = params.containsKey("message") ? Ids.parseOrNotFound(params.get("message")) : null;
        model.addAttribute("open", open(conversation, filter, focus == null ? null : threads.pageEndingAfter(conversationId, focus), request, focus));
        model.addAttribute("list", list(filter, params.get("cursor"), zone(request), false));
        // On a narrow screen the side panel takes the thread's place when asked for (wide screens show both anyway).
        model.addAttribute("details", params.containsKey("details"));
        return "inbox/inbox";
    }

    /** The open conversation's thread, header and side panel, for live refresh. Looking at it reads it. */
    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox/conversations/{id}/main")
    String conversationFragment(@PathVariable String id, @RequestParam Map<String, String> params, Model model, HttpServletRequest request) {
        Conversation conversation = conversations.get(Ids.parseOrNotFound(id));
        model.addAttribute("open", open(conversation, filter(params), null, request));
        return "inbox/conversation";
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox/conversations/{id}/earlier")
    String earlier(@PathVariable String id, @RequestParam(defaultValue = "") String before, @RequestParam Map<String, String> params, Model model,
                   HttpServletRequest request) {
        Conversation conversation = conversations.get(Ids.parseOrNotFound(id));
        if (before.isBlank()) {
            return "redirect:/inbox/conversations/" + conversation.id();
        }
        model.addAttribute("open", open(conversation, filter(params), Ids.parseOrNotFound(before), request));
        return "inbox/earlier";
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/reply")
    String reply(@PathVariable String id, @RequestParam(defaultValue = "") String body, @RequestParam(defaultValue = "") String replyTo,
                 @RequestParam(defaultValue = "") String back, RedirectAttributes redirect) {
        Conversation conversation = conversations.get(Ids.parseOrNotFound(id));
        return send(conversation, new MessageToSend.Text(body, true, replyTo), back, redirect);
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/attachments")
    String attach(@PathVariable String id, @RequestParam(name = "file", required = false) List<org.springframework.web.multipart.MultipartFile> files,
                  @RequestParam(defaultValue = "") String caption, @RequestParam(defaultValue = "") String back, RedirectAttributes redirect) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        try {
            int sent = composer.sendFiles(conversationId, files, caption).size();
            Notices.success(redirect, "inbox.files-queued", sent);
        } catch (hexa.platform.web.NotFoundException e) {
            throw e;
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return back(conversationId, back);
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/availability")
    String availability(@RequestParam(defaultValue = "true") boolean available, @RequestParam(defaultValue = "") String back) {
        settings.setAvailable(available);
        String query = safeQuery(back);
        return "redirect:/inbox" + (query.isEmpty() ? "" : "?" + query);
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/template")
    String sendTemplate(@PathVariable String id, @RequestParam(defaultValue = "") String template, @RequestParam(defaultValue = "") String back,
                        RedirectAttributes redirect, HttpServletRequest http) {
        // Read as the form sent them: a single value holding a comma stays one value.
        List<String> parameters = values(http, "parameter");
        List<String> headerParameters = values(http, "headerParameter");
        Conversation conversation = conversations.get(Ids.parseOrNotFound(id));
        Template chosen;
        try {
            chosen = templates.byId(Ids.parseOrNotFound(template));
        } catch (UserError e) {
            Notices.warning(redirect, "inbox.template.choose");
            return back(conversation.id(), back);
        }
        return send(conversation, new MessageToSend.Template(chosen.name(), chosen.language(),
                parameters(chosen.headerParameters(), headerParameters), parameters(chosen.bodyParameters(), parameters)), back, redirect);
    }

    private static List<String> values(HttpServletRequest http, String name) {
        String[] values = http.getParameterValues(name);
        return values == null ? List.of() : List.of(values);
    }

    /** One component's values in the order of its placeholders, each with the placeholder it fills. */
    private static List<MessageToSend.Parameter> parameters(List<String> placeholders, List<String> values) {
        List<MessageToSend.Parameter> parameters = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            parameters.add(new MessageToSend.Parameter(i < placeholders.size() ? placeholders.get(i) : "", values.get(i)));
        }
        return parameters;
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/react")
    String react(@PathVariable String id, @RequestParam(defaultValue = "") String messageId, @RequestParam(defaultValue = "") String emoji,
                 @RequestParam(defaultValue = "") String back, RedirectAttributes redirect) {
        Conversation conversation = conversations.get(Ids.parseOrNotFound(id));
        if (messageId.isBlank()) {
            Notices.warning(redirect, "whatsapp.send.reaction-invalid");
            return back(conversation.id(), back);
        }
        return send(conversation, new MessageToSend.Reaction(messageId, emoji), back, redirect);
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/notes")
    String addNote(@PathVariable String id, @RequestParam(defaultValue = "") String body, @RequestParam(defaultValue = "") String back,
                   RedirectAttributes redirect) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        return act(conversationId, back, redirect, () -> notes.add(conversationId, body), null);
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/assign")
    String assign(@PathVariable String id, @RequestParam(defaultValue = "") String assignee, @RequestParam(defaultValue = "") String back,
                  RedirectAttributes redirect) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        UUID member = assignee.isBlank() ? null : "me".equals(assignee) ? TenantContext.actor().userId() : Ids.parseOrNotFound(assignee);
        return act(conversationId, back, redirect, () -> conversations.assign(conversationId, member), "inbox.assigned");
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/team")
    String assignTeam(@PathVariable String id, @RequestParam(defaultValue = "") String team, @RequestParam(defaultValue = "") String back,
                      RedirectAttributes redirect) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        UUID teamId = team.isBlank() ? null : Ids.parseOrNotFound(team);
        return act(conversationId, back, redirect, () -> conversations.assignTeam(conversationId, teamId), "inbox.team-assigned");
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/status")
    String status(@PathVariable String id, @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "") String back,
                  RedirectAttributes redirect) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        switch (action) {
            case "resolve":
                return act(conversationId, back, redirect, () -> conversations.resolve(conversationId), "inbox.resolved");
            case "reopen":
                return act(conversationId, back, redirect, () -> conversations.reopen(conversationId), "inbox.reopened");
            case "pending":
                return act(conversationId, back, redirect, () -> conversations.pending(conversationId), "inbox.made-pending");
            default:
                throw UserError.invalid("inbox.status.unknown");
        }
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/snooze")
    String snooze(@PathVariable String id, @RequestParam(defaultValue = "") String hours, @RequestParam(defaultValue = "") String until,
                  @RequestParam(defaultValue = "") String back, RedirectAttributes redirect, HttpServletRequest request) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        Instant when;
        try {
            if (!until.isBlank()) {
                when = LocalDateTime.parse(until.strip()).atZone(zone(request)).toInstant();
            } else {
                when = clock.instant().plus(java.time.Duration.ofHours(Math.max(1, Math.min(24 * 30, Long.parseLong(hours.strip())))));
            }
        } catch (RuntimeException e) {
            Notices.warning(redirect, "inbox.snooze.invalid");
            return back(conversationId, back);
        }
        return act(conversationId, back, redirect, () -> conversations.snooze(conversationId, when), "inbox.snoozed");
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/tags")
    String tag(@PathVariable String id, @RequestParam(defaultValue = "") String tag, @RequestParam(defaultValue = "") String back,
               RedirectAttributes redirect) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        return act(conversationId, back, redirect, () -> conversations.tag(conversationId, tag), null);
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/tags/remove")
    String untag(@PathVariable String id, @RequestParam(defaultValue = "") String tag, @RequestParam(defaultValue = "") String back,
                 RedirectAttributes redirect) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        return act(conversationId, back, redirect, () -> conversations.untag(conversationId, tag), null);
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/messages/{messageId}/retry")
    String retry(@PathVariable String id, @PathVariable String messageId, @RequestParam(defaultValue = "") String back,
                 RedirectAttributes redirect) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        UUID message = Ids.parseOrNotFound(messageId);
        // The message must be this conversation's: the one in the URL is the one the member was checked for.
        messages.byId(message).filter(m -> conversationId.equals(m.conversationId())).orElseThrow(hexa.platform.web.NotFoundException::new);
        return act(conversationId, back, redirect, () -> sending.retry(message), "inbox.retrying");
    }

    // ---------------------------------------------------------------------------------------------

    private String send(Conversation conversation, MessageToSend message, String back, RedirectAttributes redirect) {
        try {
            if (conversation.status() == Conversation.Status.RESOLVED) {
                conversations.reopen(conversation.id());
            }
            sending.send(new Recipient(conversation.contactId(), conversation.connectionId()), message);
        } catch (hexa.platform.web.NotFoundException e) {
            throw e;
        } catch (OutsideServiceWindow e) {
            Notices.warning(redirect, e.messageKey(), e.args());
            redirect.addFlashAttribute("windowClosed", true);
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return back(conversation.id(), back);
    }

    private String act(UUID conversationId, String back, RedirectAttributes redirect, Runnable action, String doneKey) {
        try {
            action.run();
            if (doneKey != null) {
                Notices.success(redirect, doneKey);
            }
        } catch (hexa.platform.web.NotFoundException e) {
            throw e;
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        // After assigning away or resolving, the member may no longer see it: back to the list.
        if (conversations.find(conversationId).isEmpty()) {
            return "redirect:/inbox" + (safeQuery(back).isEmpty() ? "" : "?" + safeQuery(back));
        }
        return back(conversationId, back);
    }

    private static String back(UUID conversationId, String back) {
        String query = safeQuery(back);
        return "redirect:/inbox/conversations/" + conversationId + (query.isEmpty() ? "" : "?" + query);
    }

    /** The list filter to return to, as a query string; only our own parameters pass. */
    static String safeQuery(String back) {
        if (back == null || back.isBlank()) {
            return "";
        }
        return back.matches("[A-Za-z0-9=&%._-]{1,500}") ? back : "";
    }

    private ConversationFilter filter(Map<String, String> params) {
        ConversationFilter filter = ConversationFilter.of(params.get("view"), params.get("status"), params.get("number"), params.get("team"),
                params.get("assignee"), params.get("tag"), params.get("sort"));
        if (!conversations.views().contains(filter.view())) {
            filter = filter.withView(ConversationFilter.View.MINE);
        }
        return filter;
    }

    private InboxModels.ListModel list(ConversationFilter filter, String cursor, ZoneId zone, boolean fragment) {
        ConversationService.Page page = conversations.list(filter, cursor, ConversationService.PAGE);
        Set<UUID> contactIds = page.rows().stream().map(r -> r.conversation().contactId()).collect(Collectors.toSet());
        Map<UUID, Contact> people = contacts.byIds(contactIds);
        Map<UUID, String> memberNames = memberNames();
        Map<UUID, String> numbers = numberLabels();
        List<ListItem> items = page.rows().stream().map(r -> {
            Contact contact = people.get(r.conversation().contactId());
            return new ListItem(r, contact == null ? "" : contact.displayName(), contact == null ? "" : contact.phoneE164(),
                    memberNames.get(r.conversation().assigneeId()), numbers.get(r.conversation().connectionId()));
        }).toList();
        List<Member> inboxMembers = members.members().stream().filter(m -> m.active() && m.role().can(Permission.USE_INBOX)).toList();
        return new InboxModels.ListModel(filter, conversations.views(), conversations.unreadCounts(filter.status()), items, page.nextCursor(),
                cursor != null && !cursor.isBlank(), numbers, teams.all(), inboxMembers, conversations.tagsInUse(), clock.instant(),
                TenantContext.actor().userId(), zone, fragment,
                TenantContext.actor().userId() == null || settings.available(TenantContext.actor().userId()),
                TenantContext.actor().userId() == null ? 0 : notes.unreadNotifications(100).size());
    }

    private InboxModels.OpenModel open(Conversation conversation, ConversationFilter filter, UUID before, HttpServletRequest request) {
        return open(conversation, filter, before, request, null);
    }

    private InboxModels.OpenModel open(Conversation conversation, ConversationFilter filter, UUID before, HttpServletRequest request, UUID focus) {
        ZoneId zone = zone(request);
        if (before == null || focus != null) {
            // Looking at it reads it, for the whole team, and the customer sees the blue ticks.
            if (readReceipts.conversationOpened(conversation.id()).newlyRead() > 0) {
                conversation = conversations.get(conversation.id());
            }
            notes.notificationsSeen(conversation.id());
        }
        Contact contact = contacts.byId(conversation.contactId()).orElseThrow();
        ConnectionService.View number = connections.connection(conversation.connectionId());
        // Offered in a tab of their own while the window is open, and as the only way to write once it closed.
        List<Template> approved = templates.templates().stream().filter(t -> "APPROVED".equals(t.status()) && t.wabaId().equals(number.wabaId()))
                        // A media header needs a file the composer does not ask for: such templates are sent through the API.
                        .filter(t -> t.layout().headerMedia() == null).toList();
        List<Member> inboxMembers = members.members().stream().filter(m -> m.active() && m.role().can(Permission.USE_INBOX)).toList();
        return new InboxModels.OpenModel(conversation, contact, number.displayPhoneNumber(), threads.of(conversation.id(), before, zone, number.wabaId()),
                memberNames().get(conversation.assigneeId()), teams.name(conversation.teamId()), inboxMembers, teams.all(), approved,
                filter.query(), clock.instant(), conversations.previous(conversation), zone,
                canned.filledFor(contact, TenantContext.actor().name()), focus,
                new hexa.contacts.ConsentPanel(contact, consent.history(contact.id()),
                        "/inbox/conversations/" + conversation.id() + (filter.query().isEmpty() ? "" : "?" + filter.query()), zone),
                contacts.tagsOf(List.of(contact.id())).getOrDefault(contact.id(), List.of()), contactNotes.of(contact.id()));
    }

    private Map<UUID, String> memberNames() {
        Map<UUID, String> names = new HashMap<>();
        members.members().forEach(m -> names.put(m.userId(), m.name()));
        return names;
    }

    private Map<UUID, String> numberLabels() {
        return connections.connections().stream().collect(Collectors.toMap(ConnectionService.View::id,
                v -> v.displayPhoneNumber() == null ? v.phoneNumberId() : v.displayPhoneNumber(), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private ZoneId zone(HttpServletRequest request) {
        return pages.of(request).zone();
    }
}
