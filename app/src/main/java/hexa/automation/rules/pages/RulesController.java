package hexa.automation.rules.pages;

import hexa.automation.rules.Rule;
import hexa.automation.rules.RuleBook;
import hexa.automation.rules.RuleLog;
import hexa.automation.rules.RuleSettings;
import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Automation → Rules: the workspace's rules in the order they are considered, each switched on or off, moved, copied
 * or deleted from its line; and each rule's log. Owners and Admins.
 */
@Controller
class RulesController {

    static final String LIST = "redirect:/automation";
    static final int LOG_PAGE = 25;

    private final RuleBook book;
    private final RuleLog log;
    private final ContactService contacts;
    private final RuleSettings settings;

    RulesController(RuleBook book, RuleLog log, ContactService contacts, RuleSettings settings) {
        this.book = book;
        this.log = log;
        this.contacts = contacts;
        this.settings = settings;
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/automation")
    String list(Model model) {
        model.addAttribute("rules", book.list());
        model.addAttribute("repliesPerHour", settings.repliesPerHour());
        model.addAttribute("maxRepliesPerHour", RuleSettings.MAX_REPLIES_PER_HOUR);
        return "automation/rules";
    }

    /** The safety limit: at most this many automatic replies per conversation per hour. */
    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/replies-limit")
    String repliesLimit(@RequestParam(defaultValue = "") String repliesPerHour, RedirectAttributes redirect) {
        int replies;
        try {
            replies = Integer.parseInt(repliesPerHour.strip());
        } catch (NumberFormatException e) {
            replies = -1;
        }
        int limit = replies;
        return attempt(redirect, () -> settings.setRepliesPerHour(limit), "automation.rules.limit.saved", String.valueOf(limit));
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/rules/{id}/enable")
    String enable(@PathVariable String id, @RequestParam(required = false) String enabled, RedirectAttributes redirect) {
        Rule rule = rule(id);
        boolean on = enabled != null && !"false".equals(enabled);
        return attempt(redirect, () -> book.enable(rule.id(), on), on ? "automation.rules.list.enabled" : "automation.rules.list.disabled", rule.name());
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/rules/{id}/move")
    String move(@PathVariable String id, @RequestParam(defaultValue = "0") int by, RedirectAttributes redirect) {
        Rule rule = rule(id);
        if (by != -1 && by != 1) {
            throw UserError.invalid("automation.rules.list.move-invalid");
        }
        return attempt(redirect, () -> book.move(rule.id(), by), by < 0 ? "automation.rules.list.moved-up" : "automation.rules.list.moved-down",
                rule.name());
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/rules/{id}/copy")
    String copy(@PathVariable String id, RedirectAttributes redirect) {
        Rule rule = rule(id);
        return attempt(redirect, () -> book.copy(rule.id()), "automation.rules.list.copied", rule.name());
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/rules/{id}/delete")
    String delete(@PathVariable String id, RedirectAttributes redirect) {
        Rule rule = rule(id);
        if (rule.builtIn() != null) {
            Notices.warning(redirect, "automation.rules.list.built-in-kept", rule.name());
            return LIST;
        }
        return attempt(redirect, () -> book.delete(rule.id()), "automation.rules.list.deleted", rule.name());
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/automation/rules/{id}/log")
    String log(@PathVariable String id, @RequestParam(required = false) String before, Model model) {
        Rule rule = rule(id);
        Instant cursor = null;
        if (before != null && !before.isBlank()) {
            try {
                cursor = Instant.parse(before.strip());
            } catch (DateTimeParseException e) {
                throw UserError.invalid("automation.rules.log.cursor-invalid");
            }
        }
        List<RuleLog.Entry> entries = new java.util.ArrayList<>(log.of(rule.id(), cursor, LOG_PAGE + 1));
        String older = null;
        if (entries.size() > LOG_PAGE) {
            entries = entries.subList(0, LOG_PAGE);
            older = entries.get(LOG_PAGE - 1).at().toString();
        }
        Map<UUID, Contact> people = contacts.byIds(entries.stream().map(RuleLog.Entry::contactId).filter(Objects::nonNull).distinct().toList());
        List<LogLine> lines = entries.stream()
                .map(e -> new LogLine(e, e.contactId() == null || !people.containsKey(e.contactId()) ? null : people.get(e.contactId()).displayName()))
                .toList();
        model.addAttribute("rule", rule);
        model.addAttribute("lines", lines);
        model.addAttribute("older", older);
        model.addAttribute("first", cursor == null);
        return "automation/rule-log";
    }

    /** The rule of the current workspace; another workspace's, or none, is not found. */
    private Rule rule(String id) {
        return book.find(Ids.parseOrNotFound(id)).orElseThrow(NotFoundException::new);
    }

    private static String attempt(RedirectAttributes redirect, Runnable change, String doneKey, String name) {
        try {
            change.run();
            Notices.success(redirect, doneKey, name);
        } catch (UserError e) {
            if (e.status().value() == 404) {
                throw e;
            }
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return LIST;
    }
}
