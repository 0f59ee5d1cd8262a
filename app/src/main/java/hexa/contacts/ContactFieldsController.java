package hexa.contacts;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings → Contact fields: the workspace's custom contact fields, for Owners and Admins. */
@Controller
class ContactFieldsController {

    private static final String PAGE = "redirect:/settings/contact-fields";

    private final ContactAttributes attributes;

    ContactFieldsController(ContactAttributes attributes) {
        this.attributes = attributes;
    }

    @Requires(Permission.MANAGE_WORKSPACE)
    @GetMapping("/settings/contact-fields")
    String page(Model model) {
        model.addAttribute("definitions", attributes.definitions());
        return "contacts/fields";
    }

    @Requires(Permission.MANAGE_WORKSPACE)
    @PostMapping("/settings/contact-fields")
    String create(@RequestParam(defaultValue = "") String label, @RequestParam(defaultValue = "text") String type,
                  @RequestParam(defaultValue = "") String options, @RequestParam(required = false) String required, RedirectAttributes redirect) {
        return attempt(redirect, () -> attributes.create(label, null, type, lines(options), required != null), "contacts.fields.created");
    }

    @Requires(Permission.MANAGE_WORKSPACE)
    @PostMapping("/settings/contact-fields/{key}")
    String update(@PathVariable String key, @RequestParam(defaultValue = "") String label, @RequestParam(required = false) String options,
                  @RequestParam(required = false) String required, RedirectAttributes redirect) {
        String existing = attributes.get(key).key();
        return attempt(redirect, () -> attributes.update(existing, label, null, options == null ? null : lines(options), required != null, null),
                "contacts.fields.saved");
    }

    /** The confirmation, saying how many contacts lose their value. */
    @Requires(Permission.MANAGE_WORKSPACE)
    @GetMapping("/settings/contact-fields/{key}/delete")
    String confirmDelete(@PathVariable String key, Model model) {
        AttributeDefinition definition = attributes.get(key);
        model.addAttribute("definition", definition);
        model.addAttribute("values", attributes.valuesCount(definition.key()));
        return "contacts/field-delete";
    }

    @Requires(Permission.MANAGE_WORKSPACE)
    @PostMapping("/settings/contact-fields/{key}/delete")
    String delete(@PathVariable String key, RedirectAttributes redirect) {
        AttributeDefinition definition = attributes.get(key);
        int removed = attributes.delete(definition.key());
        Notices.success(redirect, "contacts.fields.deleted", definition.label(), removed);
        return PAGE;
    }

    private static List<String> lines(String text) {
        return Arrays.stream(text.split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String attempt(RedirectAttributes redirect, Supplier<AttributeDefinition> change, String doneKey) {
        try {
            AttributeDefinition done = change.get();
            Notices.success(redirect, doneKey, done.label());
        } catch (UserError e) {
            if (e.status().value() == 404) {
                throw e;
            }
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return PAGE;
    }
}
