package hexa.inbox;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.platform.access.Permission;
import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.ReadReceipts;
import hexa.whatsapp.Template;
import hexa.whatsapp.TemplateService;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What the inbox's pages show, gathered from the modules that own it: the conversation list with its counts,
 * members, numbers and teams; the open conversation with its thread, contact, consent, notes, templates and
 * canned responses. Opening a conversation reads it (read receipts, notifications seen).
 */
@Component
class InboxPageModels {

    private final ConversationService conversations;
    private final ThreadView threads;
    private final NoteService notes;
    private final ContactService contacts;
    private final MemberService members;
    private final ConnectionService connections;
    private final TemplateService templates;
    private final Teams teams;
    private final ReadReceipts readReceipts;
    private final InboxSettings settings;
    private final CannedResponses canned;
    private final hexa.contacts.ConsentService consent;
    private final hexa.contacts.ContactNotes contactNotes;
    private final Clock clock;

    private final hexa.contacts.ContactSources sources;
    private final ConversationFlows conversationFlows;

    InboxPageModels(ConversationService conversations, ThreadView threads, NoteService notes, ContactService contacts, MemberService members,
                    ConnectionService connections, TemplateService templates, Teams teams, ReadReceipts readReceipts, InboxSettings settings,
                    CannedResponses canned, hexa.contacts.ConsentService consent, hexa.contacts.ContactNotes contactNotes, Clock clock,
                    hexa.contacts.ContactSources sources, ConversationFlows conversationFlows) {
        this.sources = sources;
        this.conversationFlows = conversationFlows;
        this.conversations = conversations;
        this.threads = threads;
        this.notes = notes;
        this.contacts = contacts;
        this.members = members;
        this.connections = connections;
        this.templates = templates;
        this.teams = teams;
        this.readReceipts = readReceipts;
        this.settings = settings;
        this.canned = canned;
        this.consent = consent;
        this.contactNotes = contactNotes;
        this.clock = clock;
    }

    ConversationFilter filter(Map<String, String> params) {
        ConversationFilter filter = ConversationFilter.of(params.get("view"), params.get("status"), params.get("number"), params.get("team"),
                params.get("assignee"), params.get("tag"), params.get("sort"));
        if (!conversations.views().contains(filter.view())) {
            filter = filter.withView(ConversationFilter.View.MINE);
        }
        return filter;
    }

    InboxModels.ListModel list(ConversationFilter filter, String cursor, ZoneId zone, boolean fragment) {
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

    InboxModels.OpenModel open(Conversation conversation, ConversationFilter filter, UUID before, ZoneId zone) {
        return open(conversation, filter, before, zone, null);
    }

    InboxModels.OpenModel open(Conversation conversation, ConversationFilter filter, UUID before, ZoneId zone, UUID focus) {
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
                contacts.tagsOf(List.of(contact.id())).getOrDefault(contact.id(), List.of()), contactNotes.of(contact.id()),
                sources.firstOf(List.of(contact.id())).get(contact.id()), conversationFlows.menu());
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
}
