package hexa.inbox;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Inbox: not built yet, and the page says so plainly. */
@Controller
class InboxController {

    @Requires(Permission.USE_INBOX)
    @GetMapping("/inbox")
    String page(Model model) {
        model.addAttribute("section", "inbox");
        return "platform/not-built";
    }
}
