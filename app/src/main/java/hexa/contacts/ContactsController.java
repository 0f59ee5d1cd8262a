package hexa.contacts;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Contacts: not built yet, and the page says so plainly. */
@Controller
class ContactsController {

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/contacts")
    String page(Model model) {
        model.addAttribute("section", "contacts");
        return "platform/not-built";
    }
}
