package hexa.privacy;

import hexa.identity.WorkspaceService;
import hexa.platform.Ids;
import hexa.platform.web.NotFoundException;
import java.io.InputStream;
import java.util.UUID;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
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
 * Settings → Close workspace: exporting the whole workspace (a ZIP, for 24 hours), closing it (typing its name), and
 * keeping it during the 30 days of grace. Owners only
 * (MANAGE_PRIVACY).
 */
@Controller
class ClosingController {

    private final WorkspaceClosings closings;
    private final WorkspaceService workspaces;
    private final WorkspaceExports exports;

    ClosingController(WorkspaceClosings closings, WorkspaceService workspaces, WorkspaceExports exports) {
        this.closings = closings;
        this.workspaces = workspaces;
        this.exports = exports;
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

    @Requires(Permission.MANAGE_PRIVACY)
    @PostMapping("/settings/privacy/close/export")
    String export(RedirectAttributes redirect) {
        exports.start();
        Notices.success(redirect, "privacy.workspace-export.started");
        return "redirect:/settings/privacy/close#workspace-export";
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @GetMapping("/settings/privacy/close/export/{id}")
    ResponseEntity<InputStreamResource> download(@PathVariable String id) {
        UUID job = Ids.parseOrNotFound(id);
        InputStream zip = exports.open(job).orElseThrow(NotFoundException::new);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"workspace-" + job + ".zip\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new InputStreamResource(zip));
    }

    private String page(Model model, String typed, String error) {
        model.addAttribute("view", new ClosingPage(workspaces.current().name(), closings.of(TenantContext.tenantId()).orElse(null), typed, error,
                exports.latest().orElse(null)));
        return "privacy/close";
    }
}
