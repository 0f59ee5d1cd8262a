package hexa.identity;

import hexa.platform.access.Permission;
import hexa.platform.access.Public;
import hexa.platform.access.Requires;
import hexa.platform.access.SignedIn;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The second sign-in step, Profile → Two-factor authentication, and an Owner's requirement for the workspace. */
@Controller
class TwoFactorController {

    private final TwoFactorService twoFactor;
    private final TwoFactorSignIn steps;
    private final Users users;

    TwoFactorController(TwoFactorService twoFactor, TwoFactorSignIn steps, Users users) {
        this.twoFactor = twoFactor;
        this.steps = steps;
        this.users = users;
    }

    @Public
    @GetMapping("/sign-in/two-factor")
    String codeForm(HttpServletRequest request, Model model) {
        if (CurrentWorkspaceFilter.signedInUser().isPresent()) {
            return "redirect:/";
        }
        if (steps.pending(request).isEmpty()) {
            return "redirect:/sign-in";
        }
        model.addAttribute("error", null);
        return "identity/sign-in-two-factor";
    }

    @Public
    @PostMapping("/sign-in/two-factor")
    String code(@RequestParam(defaultValue = "") String code, @RequestParam(defaultValue = "false") boolean rememberDevice,
                HttpServletRequest request, HttpServletResponse response, Model model) {
        if (CurrentWorkspaceFilter.signedInUser().isPresent()) {
            return "redirect:/";
        }
        var pending = steps.pending(request);
        if (pending.isEmpty()) {
            return "redirect:/sign-in";
        }
        User user = users.byId(pending.get().userId()).orElse(null);
        if (user == null) {
            steps.abandon(request);
            return "redirect:/sign-in";
        }
        try {
            twoFactor.verifySecondStep(user, code, request.getRemoteAddr());
            steps.complete(user, pending.get(), rememberDevice, request, response);
            return "redirect:/";
        } catch (UserError e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.text());
            return "identity/sign-in-two-factor";
        }
    }

    @Public
    @PostMapping("/sign-in/two-factor/cancel")
    String cancel(HttpServletRequest request) {
        if (CurrentWorkspaceFilter.signedInUser().isPresent()) {
            return "redirect:/";
        }
        steps.abandon(request);
        return "redirect:/sign-in";
    }

    @SignedIn
    @GetMapping("/profile/two-factor")
    String show(Model model) {
        return page(model, null);
    }

    @SignedIn
    @PostMapping("/profile/two-factor/start")
    String start(RedirectAttributes redirect) {
        try {
            twoFactor.startEnrolment(me());
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/profile/two-factor";
    }

    @SignedIn
    @PostMapping("/profile/two-factor/confirm")
    String confirm(@RequestParam(defaultValue = "") String code, Model model, HttpServletRequest request, RedirectAttributes redirect) {
        try {
            return page(model, twoFactor.confirmEnrolment(me(), code, request.getSession().getId()));
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
            return "redirect:/profile/two-factor";
        }
    }

    @SignedIn
    @PostMapping("/profile/two-factor/recovery-codes")
    String regenerate(@RequestParam(defaultValue = "") String password, Model model, RedirectAttributes redirect) {
        try {
            return page(model, twoFactor.regenerateRecoveryCodes(me(), password));
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
            return "redirect:/profile/two-factor";
        }
    }

    @SignedIn
    @PostMapping("/profile/two-factor/disable")
    String disable(@RequestParam(defaultValue = "") String password, RedirectAttributes redirect) {
        try {
            twoFactor.disable(me(), password);
            Notices.success(redirect, "two-factor.disabled");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/profile/two-factor";
    }

    @Requires(Permission.MANAGE_OWNERS)
    @PostMapping("/settings/workspace/two-factor")
    String require(@RequestParam(defaultValue = "false") boolean required, RedirectAttributes redirect) {
        try {
            twoFactor.requireInCurrentWorkspace(required);
            Notices.success(redirect, required ? "two-factor.workspace.required-on" : "two-factor.workspace.required-off");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/workspace";
    }

    private String page(Model model, List<String> recoveryCodes) {
        UUID me = me();
        boolean enabled = twoFactor.enabled(me);
        model.addAttribute("enabled", enabled);
        var enrolment = enabled ? null : twoFactor.pendingEnrolment(me).orElse(null);
        model.addAttribute("secret", enrolment == null ? null : enrolment.secret());
        model.addAttribute("qrCode", enrolment == null ? null : enrolment.qrCode());
        model.addAttribute("unusedCodes", enabled ? twoFactor.unusedRecoveryCodes(me) : 0);
        model.addAttribute("recoveryCodes", recoveryCodes);
        model.addAttribute("required", TenantContext.current().map(actor -> twoFactor.workspaceRequires(actor.tenantId())).orElse(false));
        return "identity/two-factor";
    }

    private static UUID me() {
        return CurrentWorkspaceFilter.signedInUser().orElseThrow().id();
    }
}
