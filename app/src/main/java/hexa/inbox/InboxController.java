package hexa.inbox;

import hexa.contacts.ContactService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.hours.BusinessHours;
import hexa.platform.hours.OpenNowText;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Pages;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The team inbox's pages: the conversation list with its views and filters on the left, the open
 * conversation in the middle (thread, composer, actions), the contact on the right; search and
 * notifications. Every page works after a plain reload; live updates (see {@link InboxLiveController})
 * refresh parts of it. What a member does on a conversation is {@link ConversationActionsController}'s.
 */
@Controller
class InboxController {

    private final ConversationService conversations;
    private final ThreadView threads;
    private final NoteService notes;
    private final ContactService contacts;
    private final InboxSearch search;
    private final InboxPageModels models;
    private final Pages pages;
    private final BusinessHours businessHours;
    private final Clock clock;

    InboxController(ConversationService conversations, ThreadView threads, NoteService notes, ContactService contacts, InboxSearch search,
                    InboxPageModels models, Pages pages, BusinessHours businessHours,
                    Clock clock) {
        this.businessHours = businessHours;
        this.clock = clock;
        this.conversations = conversations;
        this.threads = threads;
        this.notes = notes;
        this.contacts = contacts;
        this.search = search;
        this.models = models;
        this.pages = pages;
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox")
    String inbox(@RequestParam Map<String, String> params, Model model, HttpServletRequest request) {
        ConversationFilter filter = models.filter(params);
        model.addAttribute("list", models.list(filter, params.get("cursor"), zone(request), false));
        model.addAttribute("open", null);
        model.addAttribute("details", false);
        model.addAttribute("hours", hours(filter, request));
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
        model.addAttribute("list", models.list(models.filter(params), params.get("cursor"), zone(request), true));
        return "inbox/list";
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox/conversations/{id}")
    String conversation(@PathVariable String id, @RequestParam Map<String, String> params, Model model, HttpServletRequest request) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        Conversation conversation = conversations.get(conversationId);
        ConversationFilter filter = models.filter(params);
        UUID focus = params.containsKey("message") ? Ids.parseOrNotFound(params.get("message")) : null;
        model.addAttribute("open", models.open(conversation, filter, focus == null ? null : threads.pageEndingAfter(conversationId, focus), zone(request), focus));
        model.addAttribute("list", models.list(filter, params.get("cursor"), zone(request), false));
        // On a narrow screen the side panel takes the thread's place when asked for (wide screens show both anyway).
        model.addAttribute("details", params.containsKey("details"));
        model.addAttribute("hours", hours(filter, request));
        return "inbox/inbox";
    }

    /** The open conversation's thread, header and side panel, for live refresh. Looking at it reads it. */
    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox/conversations/{id}/main")
    String conversationFragment(@PathVariable String id, @RequestParam Map<String, String> params, Model model, HttpServletRequest request) {
        Conversation conversation = conversations.get(Ids.parseOrNotFound(id));
        model.addAttribute("open", models.open(conversation, models.filter(params), null, zone(request)));
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
        model.addAttribute("open", models.open(conversation, models.filter(params), Ids.parseOrNotFound(before), zone(request)));
        return "inbox/earlier";
    }

    /**
     * The "open now" badge alone: the list polls it every minute, so that it turns from open to closed (and its "closes
     * 18:00" to "opens tomorrow 09:00") without a reload. Empty without hours; hours set meanwhile show at the next poll.
     */
    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox/hours")
    String hoursBadge(@RequestParam Map<String, String> params, Model model, HttpServletRequest request) {
        ConversationFilter filter = models.filter(params);
        model.addAttribute("hours", hours(filter, request));
        model.addAttribute("src", "/inbox/hours?" + filter.query());
        return "inbox/hours-badge";
    }

    /** "Open now" or "Closed — opens Monday 09:00" (the filtered team's hours, else the workspace's); null without hours. */
    private OpenNowText.Badge hours(ConversationFilter filter, HttpServletRequest request) {
        return OpenNowText.badge(businessHours, TenantContext.tenantId(), filter.teamId(), clock.instant(), zone(request)).orElse(null);
    }

    private ZoneId zone(HttpServletRequest request) {
        return pages.of(request).zone();
    }
}
