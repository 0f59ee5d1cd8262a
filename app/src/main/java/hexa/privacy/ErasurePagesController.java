package hexa.privacy;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "Erase this person" from the contact page (what will go, a typed confirmation, or why a held contact cannot be
 * erased), and Settings → Erasures: the certificates, newest first, each on its own page.
 */
@Controller
class ErasurePagesController {

    static final int PAGE_SIZE = 25;

    /** The reason a certificate gives when the member wrote none. */
    static final String MEMBER_REASON = "erased by a member from the contact page";

    private final PersonErasures erasures;
    private final ContactService contacts;
    private final LegalHolds holds;

    ErasurePagesController(PersonErasures erasures, ContactService contacts, LegalHolds holds) {
        this.erasures = erasures;
        this.contacts = contacts;
        this.holds = holds;
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @GetMapping("/contacts/{id}/erase")
    String confirm(@PathVariable String id, Model model) {
        return page(contact(id), model, null, "", "");
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @PostMapping("/contacts/{id}/erase")
    String erase(@PathVariable String id, @RequestParam(defaultValue = "") String confirmation, @RequestParam(defaultValue = "") String reason,
                 Model model, RedirectAttributes redirect, HttpServletResponse response) {
        Contact contact = contact(id);
        if (!confirms(contact, confirmation)) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return page(contact, model, confirmation.isBlank() ? "privacy.erasure.confirm-missing" : "privacy.erasure.confirm-wrong", confirmation, reason);
        }
        try {
            PersonErasures.Certificate certificate = erasures.erase(contact.id(), reason.isBlank() ? MEMBER_REASON : reason);
            Notices.successWithLink(redirect, "/settings/privacy/erasures/" + certificate.id(), "privacy.erasure.certificate-link",
                    "privacy.erasure.done", certificate.total());
            return "redirect:/contacts";
        } catch (UserError e) {
            if (e instanceof NotFoundException) {
                throw e;
            }
            response.setStatus(e.status().value());
            return page(contact, model, e.messageKey(), confirmation, reason);
        }
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @GetMapping("/settings/privacy/erasures")
    String certificates(@RequestParam(defaultValue = "1") String page, Model model) {
        int number;
        try {
            number = Math.max(1, Integer.parseInt(page.strip()));
        } catch (NumberFormatException e) {
            number = 1;
        }
        model.addAttribute("certificates", erasures.certificates(number - 1, PAGE_SIZE));
        return "privacy/erasures";
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @GetMapping("/settings/privacy/erasures/{id}")
    String certificate(@PathVariable String id, Model model) {
        model.addAttribute("certificate", erasures.certificate(Ids.parseOrNotFound(id)).orElseThrow(NotFoundException::new));
        return "privacy/erasure";
    }

    private String page(Contact contact, Model model, String error, String confirmation, String reason) {
        model.addAttribute("contact", contact);
        model.addAttribute("expected", expected(contact));
        model.addAttribute("preview", erasures.preview(contact.id()));
        model.addAttribute("hold", holds.active(contact.id()).orElse(null));
        model.addAttribute("error", error);
        model.addAttribute("confirmation", confirmation);
        model.addAttribute("reason", reason);
        return "privacy/erase";
    }

    private Contact contact(String id) {
        return contacts.byId(Ids.parseOrNotFound(id)).orElseThrow(NotFoundException::new);
    }

    /** What the member types to confirm: the contact's name, or its number when it has none. */
    static String expected(Contact contact) {
        return contact.displayName() == null ? "" : contact.displayName();
    }

    /** Case and spaces do not matter; a number may be typed with or without its plus and separators. */
    static boolean confirms(Contact contact, String typed) {
        String expected = expected(contact).strip();
        String given = typed == null ? "" : typed.strip();
        if (given.isEmpty() || expected.isEmpty()) {
            return false;
        }
        if (expected.toLowerCase(Locale.ROOT).equals(given.toLowerCase(Locale.ROOT))) {
            return true;
        }
        String digits = expected.replaceAll("[^0-9]", "");
        return expected.startsWith("+") && !digits.isEmpty() && digits.equals(given.replaceAll("[^0-9]", ""));
    }
}
