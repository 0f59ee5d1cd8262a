package hexa.identity;

import hexa.platform.access.Permission;
import hexa.platform.access.Public;
import hexa.platform.access.Requires;
import hexa.platform.access.SignedIn;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Notices;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings → Single sign-on, and the pages that lead a person to their workspace's provider. */
@Controller
class SingleSignOnController {

    private final SingleSignOnService service;
    private final SingleSignOns store;
    private final Users users;
    private final Workspaces workspaces;

    SingleSignOnController(SingleSignOnService service, SingleSignOns store, Users users, Workspaces workspaces) {
        this.service = service;
        this.store = store;
        this.users = users;
        this.workspaces = workspaces;
    }

    @Requires(Permission.MANAGE_SINGLE_SIGN_ON)
    @GetMapping("/settings/single-sign-on")
    String settings(Model model) {
        SingleSignOnService.Settings current = service.current();
        return settingsPage(model, current, current.issuer(), current.clientId(), current.ssoOnly(), null);
    }

    @Requires(Permission.MANAGE_SINGLE_SIGN_ON)
    @PostMapping("/settings/single-sign-on")
    String save(@RequestParam(defaultValue = "") String issuer, @RequestParam(defaultValue = "") String clientId,
                @RequestParam(defaultValue = "") String clientSecret, @RequestParam(defaultValue = "false") boolean ssoOnly,
                Model model, HttpServletResponse response, RedirectAttributes redirect) {
        try {
            service.save(issuer, clientId, clientSecret, ssoOnly);
            Notices.success(redirect, "sso.saved");
            return "redirect:/settings/single-sign-on";
        } catch (UserError e) {
            response.setStatus(e.status().value());
            return settingsPage(model, service.current(), issuer, clientId, ssoOnly, e.text());
        }
    }

    @Requires(Permission.MANAGE_SINGLE_SIGN_ON)
    @PostMapping("/settings/single-sign-on/remove")
    String remove(RedirectAttributes redirect) {
        try {
            service.remove();
            Notices.success(redirect, "sso.removed");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/single-sign-on";
    }

    private static String settingsPage(Model model, SingleSignOnService.Settings current, String issuer, String clientId, boolean ssoOnly, String error) {
        model.addAttribute("configured", current.configured());
        model.addAttribute("issuer", issuer);
        model.addAttribute("clientId", clientId);
        model.addAttribute("ssoOnly", ssoOnly);
        model.addAttribute("redirectUri", current.redirectUri());
        model.addAttribute("error", error);
        return "identity/single-sign-on-settings";
    }

    @Public
    @GetMapping(SingleSignOnSecurity.BASE)
    String signInForm(@RequestParam(defaultValue = "") String refused, Model model) {
        String error = switch (refused) {
            case "unverified" -> Text.t("sso.sign-in.refused.unverified");
            case "not-member" -> Text.t("sso.sign-in.refused.not-member");
            case "" -> null;
            default -> Text.t("sso.sign-in.refused.failed");
        };
        return signInPage(model, "", error, List.of());
    }

    /**
     * Finds the workspaces with single sign-on that the address is an active member of and offers them, as links: a
     * redirect from this form to the provider would be blocked by the pages' {@code form-action 'self'}. An unknown
     * address and one without such a workspace get the same answer.
     */
    @Public
    @PostMapping(SingleSignOnSecurity.BASE)
    String findProvider(@RequestParam(defaultValue = "") String email, Model model, HttpServletResponse response) {
        Optional<User> user = email.isBlank() ? Optional.empty() : users.byEmail(email);
        List<UUID> ids = user.map(u -> store.ofActiveMember(u.id())).orElse(List.of());
        if (ids.isEmpty()) {
            response.setStatus(404);
            return signInPage(model, email, Text.t("sso.sign-in.none"), List.of());
        }
        return signInPage(model, email, null, ids.stream().map(workspaces::find).flatMap(Optional::stream).toList());
    }

    @SignedIn
    @GetMapping(SingleSignOnSecurity.BASE + "/required")
    String required(Model model) {
        Optional<Workspace> workspace = TenantContext.current().flatMap(actor -> workspaces.find(actor.tenantId()));
        if (workspace.isEmpty()) {
            return "redirect:/";
        }
        model.addAttribute("workspace", workspace.get());
        return "identity/single-sign-on-required";
    }

    private static String signInPage(Model model, String email, String error, List<Workspace> choices) {
        model.addAttribute("email", email);
        model.addAttribute("error", error);
        model.addAttribute("choices", choices);
        return "identity/single-sign-on";
    }
}
