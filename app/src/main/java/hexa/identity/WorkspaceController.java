package hexa.identity;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.access.SignedIn;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The workspace switcher, starting another workspace, and Settings → Workspace. */
@Controller
class WorkspaceController {

    private final WorkspaceService workspaces;
    private final TwoFactorService twoFactor;

    WorkspaceController(WorkspaceService workspaces, TwoFactorService twoFactor) {
        this.workspaces = workspaces;
        this.twoFactor = twoFactor;
    }

    @SignedIn
    @PostMapping("/workspaces/switch")
    String switchTo(@RequestParam(defaultValue = "") String workspaceId, HttpServletRequest request) {
        Workspace workspace = workspaces.requireMembership(me(), Ids.parseOrNotFound(workspaceId));
        request.getSession().setAttribute(CurrentWorkspaceFilter.SESSION_WORKSPACE, workspace.id());
        return "redirect:/";
    }

    @SignedIn
    @GetMapping("/workspaces/new")
    String newForm(Model model) {
        return newPage(model, "", "UTC", "IN", null);
    }

    @SignedIn
    @PostMapping("/workspaces")
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String timeZone,
                  @RequestParam(defaultValue = "") String country, HttpServletRequest request, Model model) {
        try {
            Workspace workspace = workspaces.create(me(), WorkspaceDetails.of(name, timeZone, country));
            request.getSession().setAttribute(CurrentWorkspaceFilter.SESSION_WORKSPACE, workspace.id());
            return "redirect:/";
        } catch (UserError e) {
            return newPage(model, name, timeZone, country, e.text());
        }
    }

    @Requires(Permission.MANAGE_WORKSPACE)
    @GetMapping("/settings/workspace")
    String settings(Model model) {
        Workspace workspace = workspaces.current();
        model.addAttribute("workspace", workspace);
        model.addAttribute("zones", Choices.timeZones());
        model.addAttribute("countries", Choices.countries());
        model.addAttribute("requireTwoFactor", twoFactor.workspaceRequires(workspace.id()));
        model.addAttribute("canRequireTwoFactor", TenantContext.actor().can(hexa.platform.access.Permission.MANAGE_OWNERS));
        return "identity/workspace-settings";
    }

    @Requires(Permission.MANAGE_WORKSPACE)
    @PostMapping("/settings/workspace")
    String save(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String timeZone,
                @RequestParam(defaultValue = "") String country, RedirectAttributes redirect) {
        try {
            workspaces.updateCurrent(WorkspaceDetails.of(name, timeZone, country));
            Notices.success(redirect, "workspace.saved");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/workspace";
    }

    /** Someone signed in whose every membership was deactivated lands here. */
    @SignedIn
    @GetMapping("/workspaces/none")
    String none() {
        if (TenantContext.current().isPresent()) {
            return "redirect:/";
        }
        return "identity/no-workspace";
    }

    private static String newPage(Model model, String name, String timeZone, String country, String error) {
        model.addAttribute("name", name);
        model.addAttribute("timeZone", timeZone);
        model.addAttribute("country", country);
        model.addAttribute("error", error);
        model.addAttribute("zones", Choices.timeZones());
        model.addAttribute("countries", Choices.countries());
        return "identity/workspace-new";
    }

    private static java.util.UUID me() {
        return CurrentWorkspaceFilter.signedInUser().orElseThrow().id();
    }
}
