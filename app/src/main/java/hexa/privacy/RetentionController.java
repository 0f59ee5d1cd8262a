package hexa.privacy;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings → Privacy (the retention periods, the purge's last run, its dry run and "Run now") and a contact's legal
 * hold page. Owners only (MANAGE_PRIVACY).
 */
@Controller
class RetentionController {

    /** How long "Run now" waits for the purge before answering that it goes on in the background. */
    private static final java.time.Duration ANSWER_WITHIN = java.time.Duration.ofSeconds(2);

    private final RetentionSettings settings;
    private final RetentionPurges purges;
    private final PurgeRuns runs;
    private final LegalHolds holds;
    private final ContactService contacts;

    RetentionController(RetentionSettings settings, RetentionPurges purges, PurgeRuns runs, LegalHolds holds, ContactService contacts) {
        this.settings = settings;
        this.purges = purges;
        this.runs = runs;
        this.holds = holds;
        this.contacts = contacts;
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @GetMapping("/settings/privacy")
    String page(Model model) {
        return page(model, RetentionPage.Form.of(settings.periods(TenantContext.tenantId())));
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @PostMapping("/settings/privacy")
    String save(@RequestParam(defaultValue = "") String messageDays, @RequestParam(defaultValue = "false") boolean keepMessages,
                @RequestParam(defaultValue = "") String contactDays, @RequestParam(defaultValue = "false") boolean keepContacts,
                @RequestParam(defaultValue = "") String logDays, Model model, RedirectAttributes redirect,
                jakarta.servlet.http.HttpServletResponse response) {
        try {
            settings.save(keepMessages ? "keep" : blankIsInvalid(messageDays), keepContacts ? "keep" : blankIsInvalid(contactDays), logDays);
            Notices.success(redirect, "privacy.retention.saved");
            return "redirect:/settings/privacy";
        } catch (UserError e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("errorArgs", e.args());
            return page(model, new RetentionPage.Form(messageDays, keepMessages, contactDays, keepContacts, logDays, e.messageKey()));
        }
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @PostMapping("/settings/privacy/dry-run")
    String dryRun(RedirectAttributes redirect) {
        PurgeRun run = purges.dryRun();
        Notices.success(redirect, "privacy.retention.dry-run.done", run.total());
        return "redirect:/settings/privacy#next-run";
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @PostMapping("/settings/privacy/run")
    String runNow(RedirectAttributes redirect) {
        PurgeRun run = purges.startByHand(ANSWER_WITHIN);
        if (run.finishedAt() == null) {
            Notices.success(redirect, "privacy.retention.run.started");
        } else if (run.failure() != null) {
            Notices.warning(redirect, "privacy.retention.run.failed");
        } else {
            Notices.success(redirect, "privacy.retention.run.done", run.total());
        }
        return "redirect:/settings/privacy#last-run";
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @GetMapping("/contacts/{id}/hold")
    String hold(@PathVariable String id, Model model) {
        Contact contact = contact(id);
        model.addAttribute("contact", contact);
        model.addAttribute("holds", holds.history(contact.id()));
        return "privacy/hold";
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @PostMapping("/contacts/{id}/hold")
    String placeHold(@PathVariable String id, @RequestParam(defaultValue = "") String reason, RedirectAttributes redirect) {
        Contact contact = contact(id);
        boolean already = holds.active(contact.id()).isPresent();
        try {
            holds.hold(contact.id(), contact.displayName(), reason);
            Notices.success(redirect, already ? "privacy.hold.already" : "privacy.hold.placed");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/contacts/" + contact.id() + "/hold";
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @PostMapping("/contacts/{id}/hold/release")
    String release(@PathVariable String id, RedirectAttributes redirect) {
        Contact contact = contact(id);
        Notices.success(redirect, holds.release(contact.id(), contact.displayName()) ? "privacy.hold.released" : "privacy.hold.not-held");
        return "redirect:/contacts/" + contact.id() + "/hold";
    }

    private String page(Model model, RetentionPage.Form form) {
        UUID tenant = TenantContext.tenantId();
        Object[] errorArgs = model.containsAttribute("errorArgs") ? (Object[]) model.getAttribute("errorArgs") : new Object[0];
        model.addAttribute("view", new RetentionPage(form, errorArgs, settings.periods(tenant), settings.lastChanged().orElse(null),
                runs.lastReal(tenant).orElse(null), runs.lastDry(tenant).orElse(null), purges.running(tenant).orElse(null)));
        return "privacy/retention";
    }

    private static String blankIsInvalid(String days) {
        // An empty number without "Keep" is a mistake, not a choice to keep.
        return days == null || days.isBlank() ? "-" : days;
    }

    private Contact contact(String id) {
        return contacts.byId(Ids.parseOrNotFound(id)).orElseThrow(NotFoundException::new);
    }
}
