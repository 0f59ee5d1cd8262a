package hexa.identity;

import hexa.platform.access.Permission;
import hexa.platform.access.Public;
import hexa.platform.tenant.TenantContext;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The front door: set-up on an empty database, sign-in for strangers, the first page a role may use. */
@Controller
class HomeController {

    private final WorkspaceService workspaces;

    HomeController(WorkspaceService workspaces) {
        this.workspaces = workspaces;
    }

    @Public
    @GetMapping("/")
    String home() {
        if (!workspaces.setUpDone()) {
            return "redirect:/setup";
        }
        if (CurrentWorkspaceFilter.signedInUser().isEmpty()) {
            return "redirect:/sign-in";
        }
        return TenantContext.current().map(actor -> {
            if (actor.can(Permission.USE_INBOX)) {
                return "redirect:/inbox";
            }
            if (actor.can(Permission.VIEW_REPORTS)) {
                return "redirect:/reports";
            }
            return "redirect:/profile";
        }).orElse("redirect:/workspaces/none");
    }
}
