package hexa.inbox;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Notices;
import hexa.platform.web.Pages;
import hexa.platform.web.UserError;
import hexa.whatsapp.MessageHistory;
import hexa.whatsapp.MessageToSend;
import hexa.whatsapp.OutsideServiceWindow;
import hexa.whatsapp.Recipient;
import hexa.whatsapp.SendService;
import hexa.whatsapp.Template;
import hexa.whatsapp.TemplateService;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * What a member does on a conversation from the inbox's forms: reply (text, files, a template, a reaction),
 * notes, assignment, status, snooze, tags, retrying a failed message, and their own availability. Each
 * answers with a redirect back to the conversation (or the list, when the member may no longer see it) and
 * a notice saying what happened or why not.
 */
@Controller
class ConversationActionsController {

    private final ConversationService conversations;
    private final NoteService notes;
    private final SendService sending;
    private final TemplateService templates;
    private final Composer composer;
    private final MessageHistory messages;
    private final InboxSettings settings;
    private final Pages pages;
    private final Clock clock;

    ConversationActionsController(ConversationService conversations, NoteService notes, SendService sending, TemplateService templates,
                                  Composer composer, MessageHistory messages, InboxSettings settings, Pages pages, Clock clock) {
        this.conversations = conversations;
        this.notes = notes;
        this.sending = sending;
        this.templates = templates;
        this.composer = composer;
        this.messages = messages;
        this.settings = settings;
        this.pages = pages;
        this.clock = clock;
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

    private ZoneId zone(HttpServletRequest request) {
        return pages.of(request).zone();
    }
}
