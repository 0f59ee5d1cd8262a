package hexa.contacts;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The consent panel's actions (an agent opting a contact in or out, blocking, unblocking), which return to
 * the page the panel is on, and Settings → Contacts → Consent (keywords and acknowledgements).
 */
@Controller
class ConsentController {

    private final ContactService contacts;
    private final ConsentService consent;
    private final ConsentKeywords keywords;
    private final Blocking blocking;

    ConsentController(ContactService contacts, ConsentService consent, ConsentKeywords keywords, Blocking blocking) {
        this.contacts = contacts;
        this.consent = consent;
        this.keywords = keywords;
        this.blocking = blocking;
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/{id}/consent")
    String consent(@PathVariable String id, @RequestParam(defaultValue = "") String status, @RequestParam(defaultValue = "") String back,
                   RedirectAttributes redirect) {
        UUID contactId = contact(id);
        try {
            ConsentService.Status chosen = ConsentService.Status.parse(status)
                    .orElseThrow(() -> UserError.invalid("contacts.consent.status-invalid", status));
            boolean changed = consent.record(contactId, chosen, ConsentService.Source.AGENT, null).changed();
            Notices.success(redirect, changed ? "contacts.consent.changed." + chosen.value() : "contacts.consent.unchanged");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:" + ConsentPanel.safeBack(back);
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/{id}/block")
    String block(@PathVariable String id, @RequestParam(defaultValue = "") String back, RedirectAttributes redirect) {
        boolean changed = blocking.block(contact(id)).changed();
        Notices.success(redirect, changed ? "contacts.block.done" : "contacts.block.already");
        return "redirect:" + ConsentPanel.safeBack(back);
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/{id}/unblock")
    String unblock(@PathVariable String id, @RequestParam(defaultValue = "") String back, RedirectAttributes redirect) {
        boolean changed = blocking.unblock(contact(id)).changed();
        Notices.success(redirect, changed ? "contacts.unblock.done" : "contacts.unblock.already");
        return "redirect:" + ConsentPanel.safeBack(back);
    }

    @Requires(Permission.MANAGE_WORKSPACE)
    @GetMapping("/settings/contacts/consent")
    String settings(Model model) {
        model.addAttribute("settings", keywords.settings());
        return "contacts/consent-settings";
    }

    @Requires(Permission.MANAGE_WORKSPACE)
    @PostMapping("/settings/contacts/consent")
    String saveSettings(@RequestParam(defaultValue = "") String optOutWords, @RequestParam(defaultValue = "") String optInWords,
                        @RequestParam(defaultValue = "") String optOutReply, @RequestParam(defaultValue = "") String optInReply,
                        RedirectAttributes redirect) {
        try {
            keywords.save(optOutWords, optInWords, optOutReply, optInReply);
            Notices.success(redirect, "contacts.consent.settings.saved");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/contacts/consent";
    }

    private UUID contact(String id) {
        return contacts.byId(Ids.parseOrNotFound(id)).orElseThrow(hexa.platform.web.NotFoundException::new).id();
    }
}
