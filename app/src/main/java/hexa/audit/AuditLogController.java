package hexa.audit;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.time.WorkspaceZone;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Settings → Audit log: browse and filter by person, action and period. */
@Controller
class AuditLogController {

    private final AuditLog log;
    private final WorkspaceZone workspaces;

    AuditLogController(AuditLog log, WorkspaceZone workspaces) {
        this.log = log;
        this.workspaces = workspaces;
    }

    @Requires(Permission.VIEW_AUDIT_LOG)
    @GetMapping("/settings/audit-log")
    String list(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                @RequestParam(required = false) String after, Model model) {
        ZoneId zone = workspaceZone();
        LocalDate fromDate = date(from);
        LocalDate toDate = date(to);
        UUID actorId = uuid(actor);
        AuditLog.Filter filter = new AuditLog.Filter(actorId, action,
                fromDate == null ? null : fromDate.atStartOfDay(zone).toInstant(),
                toDate == null ? null : toDate.plusDays(1).atStartOfDay(zone).toInstant());
        AuditLog.Page page = log.find(filter, AuditLog.Cursor.decode(after));
        model.addAttribute("events", page.events());
        model.addAttribute("next", page.next() == null ? null : page.next().encode());
        model.addAttribute("actors", log.actors());
        model.addAttribute("actions", log.actions());
        model.addAttribute("actor", actorId == null ? "" : actorId.toString());
        model.addAttribute("action", action == null ? "" : action);
        model.addAttribute("from", fromDate == null ? "" : fromDate.toString());
        model.addAttribute("to", toDate == null ? "" : toDate.toString());
        model.addAttribute("zone", zone);
        model.addAttribute("filtered", actorId != null || (action != null && !action.isBlank()) || fromDate != null || toDate != null);
        return "audit/audit-log";
    }

    private ZoneId workspaceZone() {
        return workspaces.zone();
    }

    private static LocalDate date(String value) {
        try {
            return value == null || value.isBlank() ? null : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static UUID uuid(String value) {
        try {
            return value == null || value.isBlank() ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
