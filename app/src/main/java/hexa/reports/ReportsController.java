package hexa.reports;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Reports: not built yet, and the page says so plainly. */
@Controller
class ReportsController {

    @Requires(Permission.VIEW_REPORTS)
    @GetMapping("/reports")
    String page(Model model) {
        model.addAttribute("section", "reports");
        return "platform/not-built";
    }
}
