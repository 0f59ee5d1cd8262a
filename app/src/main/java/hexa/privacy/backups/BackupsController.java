package hexa.privacy.backups;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import java.time.Clock;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings → Backups (Owners): the last backup and those kept, a warning when it is late or failed, "Back up now". */
@Controller
class BackupsController {

    private final BackupService backups;
    private final AuditTrail audit;
    private final Clock clock;

    BackupsController(BackupService backups, AuditTrail audit, Clock clock) {
        this.backups = backups;
        this.audit = audit;
        this.clock = clock;
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @GetMapping("/settings/privacy/backups")
    String page(Model model) {
        model.addAttribute("status", backups.status());
        model.addAttribute("now", clock.instant());
        return "privacy/backups";
    }

    @Requires(Permission.MANAGE_PRIVACY)
    @PostMapping("/settings/privacy/backups/run")
    String run(RedirectAttributes redirect) {
        switch (backups.startByHand()) {
            case STARTED -> {
                audit.record(AuditEntry.of("privacy.backup_run_by_hand"));
                Notices.success(redirect, "privacy.backups.run.started");
            }
            case RUNNING -> Notices.warning(redirect, "privacy.backups.run.running");
            case TOO_SOON -> Notices.warning(redirect, "privacy.backups.run.too-soon", BackupService.BY_HAND_SPACING.toMinutes());
        }
        return "redirect:/settings/privacy/backups";
    }
}
