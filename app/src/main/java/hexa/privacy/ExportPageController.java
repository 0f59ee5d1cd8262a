package hexa.privacy;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import hexa.platform.web.NotFoundException;
import java.io.InputStream;
import java.util.UUID;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /contacts/{id}/export}: start an export of the person's data, follow its progress (the list is polled every
 * second while one runs), download it (whoever started it, for 24 hours), and the contact's earlier exports.
 */
@Controller
class ExportPageController {

    private final PersonExports exports;
    private final ContactService contacts;

    ExportPageController(PersonExports exports, ContactService contacts) {
        this.exports = exports;
        this.contacts = contacts;
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @GetMapping("/contacts/{id}/export")
    String page(@PathVariable String id, Model model) {
        model.addAttribute("view", view(id));
        return "privacy/export";
    }

    /** The list of exports alone, polled every second while one is queued or running. */
    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @GetMapping("/contacts/{id}/export/list")
    String list(@PathVariable String id, Model model) {
        model.addAttribute("view", view(id));
        return "privacy/export-list";
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @PostMapping("/contacts/{id}/export")
    String start(@PathVariable String id, RedirectAttributes redirect) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        exports.start(contact.id());
        Notices.success(redirect, "privacy.export.started");
        return "redirect:/contacts/" + contact.id() + "/export";
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @GetMapping("/contacts/{id}/export/{job}/download")
    ResponseEntity<InputStreamResource> download(@PathVariable String id, @PathVariable String job) {
        UUID contactId = Ids.parseOrNotFound(id);
        PersonExports.Job found = exports.job(Ids.parseOrNotFound(job)).filter(j -> j.contactId().equals(contactId))
                .orElseThrow(NotFoundException::new);
        return zip(found, exports.open(found.id()).orElseThrow(NotFoundException::new));
    }

    static ResponseEntity<InputStreamResource> zip(PersonExports.Job job, InputStream content) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + PersonExports.downloadName(job) + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new InputStreamResource(content));
    }

    private ExportPage view(String id) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        return new ExportPage(contact, exports.of(contact.id()));
    }
}
