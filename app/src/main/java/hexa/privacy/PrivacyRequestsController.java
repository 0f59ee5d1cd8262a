package hexa.privacy;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings → Privacy requests: the workspace's access, export and erasure requests, open ones first with the overdue
 * marked; approving, rejecting with a reason, and recording a request a person made to a member.
 */
@Controller
class PrivacyRequestsController {

    private final PrivacyRequests requests;
    private final Clock clock;

    PrivacyRequestsController(PrivacyRequests requests, Clock clock) {
        this.requests = requests;
        this.clock = clock;
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @GetMapping("/settings/privacy/requests")
    String list(@RequestParam(defaultValue = "") String state, @RequestParam(defaultValue = "0") String page, Model model) {
        Optional<PrivacyRequests.State> filter = PrivacyRequests.State.parse(state);
        int number;
        try {
            number = Math.max(0, Integer.parseInt(page));
        } catch (NumberFormatException e) {
            number = 0;
        }
        PrivacyRequests.Listing listing = requests.list(filter, number);
        model.addAttribute("listing", new PrivacyRequests.Listing(listing.items().stream().map(requests::refresh).toList(), listing.page(), listing.hasNext()));
        model.addAttribute("state", filter.map(PrivacyRequests.State::value).orElse(""));
        model.addAttribute("overdue", requests.overdueCount());
        model.addAttribute("now", clock.instant());
        return "privacy/requests";
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @PostMapping("/settings/privacy/requests")
    String record(@RequestParam(defaultValue = "") String kind, @RequestParam(defaultValue = "") String number, RedirectAttributes redirect) {
        try {
            PrivacyRequests.Request request = requests.recordForPerson(kind, number);
            Notices.success(redirect, request.contactId() == null ? "privacy.requests.recorded-unknown" : "privacy.requests.recorded");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/privacy/requests";
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @PostMapping("/settings/privacy/requests/{id}/approve")
    String approve(@PathVariable String id, @RequestParam(defaultValue = "") String confirm, RedirectAttributes redirect) {
        PrivacyRequests.Request request = requests.byId(Ids.parseOrNotFound(id));
        try {
            if (request.kind() == PrivacyRequests.Kind.ERASURE && request.contactId() != null
                    && !Text.t("privacy.requests.erase-word").equalsIgnoreCase(confirm.strip())) {
                throw UserError.invalid("privacy.requests.erase-confirm-needed", Text.t("privacy.requests.erase-word"));
            }
            requests.approve(request.id());
            Notices.success(redirect, "privacy.requests.approved");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        } catch (UnsupportedOperationException e) {
            Notices.warning(redirect, "privacy.requests.not-available");
        }
        return "redirect:/settings/privacy/requests";
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @PostMapping("/settings/privacy/requests/{id}/reject")
    String reject(@PathVariable String id, @RequestParam(defaultValue = "") String reason, RedirectAttributes redirect) {
        UUID requestId = requests.byId(Ids.parseOrNotFound(id)).id();
        try {
            requests.reject(requestId, reason);
            Notices.success(redirect, "privacy.requests.rejected");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/privacy/requests";
    }
}
