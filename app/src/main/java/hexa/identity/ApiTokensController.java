package hexa.identity;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.access.Role;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import java.util.Arrays;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings → API tokens. */
@Controller
class ApiTokensController {

    private final ApiTokenService tokens;

    ApiTokensController(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    @Requires(Permission.MANAGE_API_TOKENS)
    @GetMapping("/settings/api-tokens")
    String list(Model model) {
        model.addAttribute("tokens", tokens.all());
        model.addAttribute("roles", Arrays.stream(Role.values()).filter(r -> r != Role.OWNER).toList());
        return "identity/api-tokens";
    }

    @Requires(Permission.MANAGE_API_TOKENS)
    @PostMapping("/settings/api-tokens")
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String role, RedirectAttributes redirect) {
        try {
            ApiTokenService.Created created = tokens.create(name, Role.parse(role).orElse(null));
            redirect.addFlashAttribute("newSecret", created.secret());
            redirect.addFlashAttribute("newTokenName", created.token().name());
            Notices.success(redirect, "api-tokens.created", created.token().name());
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/api-tokens";
    }

    @Requires(Permission.MANAGE_API_TOKENS)
    @PostMapping("/settings/api-tokens/{id}/revoke")
    String revoke(@PathVariable String id, RedirectAttributes redirect) {
        tokens.revoke(Ids.parseOrNotFound(id));
        Notices.success(redirect, "api-tokens.revoked");
        return "redirect:/settings/api-tokens";
    }
}
