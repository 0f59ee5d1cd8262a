package hexa.automation;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Automation: not built yet, and the page says so plainly. */
@Controller
class AutomationController {

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/automation")
    String page(Model model) {
        model.addAttribute("section", "automation");
        return "platform/not-built";
    }
}
