package hexa.privacy;

import hexa.identity.WorkspaceService;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings → Close workspace: closing it (typing its name), and keeping it during the 30 days of grace. Owners only
 * (MANAGE_PRIVACY).
 */
@Controller
class ClosingController {

    private final WorkspaceClosings closings;
    private final WorkspaceService workspaces;

    ClosingController(WorkspaceClosings closings, WorkspaceService workspaces) {
        this.closings = closings;
        this.workspaces = workspaces;
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @GetMapping("/settings/privacy/close")
    String page(Model model) {
        return page(model, "", null);
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @PostMapping("/settings/privacy/close")
    String close(@RequestParam(defaultValue = "") String name, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        try {
            closings.close(name);
            Notices.success(redirect, "privacy.closing.closed");
            return "redirect:/settings/privacy/close";
        } catch (UserError e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return page(model, name, e.messageKey());
        }
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @PostMapping("/settings/privacy/close/keep")
    String keep(RedirectAttributes redirect) {
        Notices.success(redirect, closings.keep() ? "privacy.closing.kept" : "privacy.closing.not-closing");
        return "redirect:/settings/privacy/close";
    }

    private String page(Model model, String typed, String error) {
        model.addAttribute("view", new ClosingPage(workspaces.current().name(), closings.of(TenantContext.tenantId()).orElse(null), typed, error));
        return "privacy/close";
    }
}
