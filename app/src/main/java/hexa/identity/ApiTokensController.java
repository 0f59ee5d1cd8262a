package hexa.identity;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.access.Role;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings → API tokens: an Owner sees and revokes every token of the workspace, an Admin their own. */
@Controller
class ApiTokensController {

    /** The expiries the page offers, in days; the first is chosen unless the person picks another. */
    static final List<Integer> EXPIRY_CHOICES = List.of(90, 30, 365);

    private final ApiTokenService tokens;

    ApiTokensController(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    @Requires(Permission.MANAGE_API_TOKENS)
    @GetMapping("/settings/api-tokens")
    String list(Model model) {
        model.addAttribute("tokens", tokens.visible());
        model.addAttribute("everyone", tokens.seesEveryone());
        model.addAttribute("now", tokens.now());
        model.addAttribute("roles", Arrays.stream(Role.values()).filter(r -> r != Role.OWNER).toList());
        model.addAttribute("expiries", EXPIRY_CHOICES);
        return "identity/api-tokens";
    }

    @Requires(Permission.MANAGE_API_TOKENS)
    @PostMapping("/settings/api-tokens")
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String role,
                  @RequestParam(defaultValue = "") String expiresInDays, RedirectAttributes redirect) {
        try {
            ApiTokenService.Created created = tokens.create(name, Role.parse(role).orElse(null), days(expiresInDays));
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
        ApiToken token = tokens.revoke(Ids.parseOrNotFound(id));
        Notices.success(redirect, "api-tokens.revoked", token.name());
        return "redirect:/settings/api-tokens";
    }

    /** Blank (or "never") for no expiry; anything else must be a number of days. */
    private static Integer days(String value) {
        String trimmed = value.strip();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("never")) {
            return null;
        }
        try {
            return Integer.valueOf(trimmed);
        } catch (NumberFormatException e) {
            throw UserError.invalid("api-tokens.expiry.invalid", ApiTokenService.MAX_EXPIRY_DAYS);
        }
    }
}
