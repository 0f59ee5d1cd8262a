package hexa.campaigns;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Campaigns: not built yet, and the page says so plainly. */
@Controller
class CampaignsController {

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns")
    String page(Model model) {
        model.addAttribute("section", "campaigns");
        return "platform/not-built";
    }
}
