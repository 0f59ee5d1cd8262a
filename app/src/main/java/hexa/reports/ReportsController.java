package hexa.reports;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Reports. The first is where new contacts came from: how many click-to-WhatsApp ads brought in a period, and which
 * ads; the rest of the product's reports are still to come, and the page says so.
 */
@Controller
class ReportsController {

    private final NewContactsBySource newContacts;

    ReportsController(NewContactsBySource newContacts) {
        this.newContacts = newContacts;
    }

    @Requires(Permission.VIEW_REPORTS)
    @GetMapping("/reports")
    String page(@RequestParam(defaultValue = "30") String days, Model model) {
        int period;
        try {
            period = Integer.parseInt(days.strip());
        } catch (NumberFormatException e) {
            period = -1;
        }
        if (!NewContactsBySource.PERIODS.contains(period)) {
            throw UserError.invalid("reports.period-invalid", days);
        }
        model.addAttribute("section", "reports");
        model.addAttribute("report", new ReportsPage(newContacts.of(period), TenantContext.actor().can(Permission.USE_CONTACTS)));
        return "reports/reports";
    }
}
