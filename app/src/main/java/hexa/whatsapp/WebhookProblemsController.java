package hexa.whatsapp;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings → WhatsApp → Webhook problems (Owners and Admins). */
@Controller
class WebhookProblemsController {

    private final WebhookProblems problems;

    WebhookProblemsController(WebhookProblems problems) {
        this.problems = problems;
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @GetMapping("/settings/whatsapp/problems")
    String list(Model model) {
        model.addAttribute("problems", problems.recent());
        return "whatsapp/problems";
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/settings/whatsapp/problems/{id}/apply")
    String applyAgain(@PathVariable String id, RedirectAttributes redirect) {
        WebhookProblems.Outcome outcome = problems.applyAgain(Ids.parseOrNotFound(id));
        if (outcome.applied()) {
            Notices.success(redirect, "whatsapp.problems.applied");
        } else {
            Notices.warning(redirect, "whatsapp.problems.still", outcome.reason());
        }
        return "redirect:/settings/whatsapp/problems";
    }
}
