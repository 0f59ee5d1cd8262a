package hexa.contacts.imports;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The import pages: {@code /contacts/import} (upload, earlier imports), {@code /contacts/import/{id}}
 * (the mapping with its preview while a draft; the progress and the report once started).
 */
@Controller
class ContactImportController {

    private final ContactImports imports;

    ContactImportController(ContactImports imports) {
        this.imports = imports;
    }

    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/contacts/import")
    String page(Model model) {
        model.addAttribute("imports", imports.recent());
        model.addAttribute("maxMegabytes", imports.maxMegabytes());
        return "contacts/import";
    }

    @Requires(Permission.MANAGE_CONTACTS)
    @PostMapping("/contacts/import")
    String upload(@RequestParam(value = "file", required = false) MultipartFile file, RedirectAttributes redirect) {
        if (file == null || file.isEmpty()) {
            Notices.warning(redirect, "contacts.import.file.missing");
            return "redirect:/contacts/import";
        }
        try {
            ContactImport draft = imports.upload(file, file.getSize(), file.getOriginalFilename());
            return "redirect:/contacts/import/" + draft.id();
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
            return "redirect:/contacts/import";
        }
    }

    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/contacts/import/{id}")
    String importPage(@PathVariable String id, Model model) {
        ContactImport found = imports.find(Ids.parseOrNotFound(id));
        model.addAttribute("item", found);
        if (found.draft()) {
            ColumnMapping mapping = imports.suggestedMapping(found);
            model.addAttribute("mapping", mapping.targets());
            model.addAttribute("attributes", imports.attributes());
            model.addAttribute("preview", imports.preview(found, mapping));
            return "contacts/import-mapping";
        }
        model.addAttribute("report", found.finished() ? imports.report(found.id()) : java.util.List.of());
        return "contacts/import-status";
    }

    /** The preview again for the mapping as the form now stands (htmx, on every change of a column's target). */
    @Requires(Permission.MANAGE_CONTACTS)
    @PostMapping("/contacts/import/{id}/preview")
    String preview(@PathVariable String id, @RequestParam Map<String, String> form, Model model) {
        ContactImport found = imports.find(Ids.parseOrNotFound(id));
        if (!found.draft()) {
            return "redirect:/contacts/import/" + found.id();
        }
        model.addAttribute("item", found);
        try {
            model.addAttribute("preview", imports.preview(found, imports.mappingOfForm(found, form)));
            model.addAttribute("problem", null);
        } catch (UserError e) {
            model.addAttribute("preview", null);
            model.addAttribute("problem", e.text());
        }
        return "contacts/import-preview";
    }

    @Requires(Permission.MANAGE_CONTACTS)
    @PostMapping("/contacts/import/{id}/start")
    String start(@PathVariable String id, @RequestParam Map<String, String> form, RedirectAttributes redirect) {
        ContactImport found = imports.find(Ids.parseOrNotFound(id));
        try {
            imports.start(found.id(), imports.mappingOfForm(found, form),
                    ContactImports.Options.of(form.get("tags"), form.get("consentSource")));
            Notices.success(redirect, "contacts.import.started", found.fileName());
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/contacts/import/" + found.id();
    }

    /** The progress card alone, polled every second while the import runs. */
    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/contacts/import/{id}/progress")
    String progress(@PathVariable String id, Model model) {
        ContactImport found = imports.find(Ids.parseOrNotFound(id));
        model.addAttribute("item", found);
        model.addAttribute("report", found.finished() ? imports.report(found.id()) : java.util.List.of());
        return "contacts/import-progress";
    }

    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/contacts/import/{id}/report.csv")
    ResponseEntity<byte[]> report(@PathVariable String id) {
        UUID importId = Ids.parseOrNotFound(id);
        byte[] csv = ("\uFEFF" + imports.reportCsv(importId)).getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"import-report-" + importId + ".csv\"")
                .body(csv);
    }
}
