package hexa.inbox;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import hexa.whatsapp.ConnectionService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings → Inbox: teams, assignment per number, what happens after resolving, canned responses. */
@Controller
class InboxSettingsController {

    private static final String PAGE = "redirect:/settings/inbox";

    private final InboxSettings settings;
    private final CannedResponses canned;
    private final ConnectionService connections;

    InboxSettingsController(InboxSettings settings, CannedResponses canned, ConnectionService connections) {
        this.settings = settings;
        this.canned = canned;
        this.connections = connections;
    }

    @Requires(Permission.MANAGE_INBOX)
    @GetMapping("/settings/inbox")
    String page(Model model) {
        List<InboxModels.NumberRule> rules = connections.connections().stream().map(number -> {
            InboxSettings.Rule rule = settings.rule(number.id()).orElse(new InboxSettings.Rule(number.id(), InboxSettings.Mode.MANUAL, null));
            return new InboxModels.NumberRule(number, rule.mode(), rule.teamId());
        }).toList();
        model.addAttribute("teams", settings.teams());
        model.addAttribute("members", settings.inboxMembers());
        model.addAttribute("rules", rules);
        model.addAttribute("afterResolved", settings.afterResolved());
        model.addAttribute("canned", canned.all());
        return "inbox/settings";
    }

    @Requires(Permission.MANAGE_INBOX)
    @PostMapping("/settings/inbox/teams")
    String createTeam(@RequestParam(defaultValue = "") String name, RedirectAttributes redirect) {
        return attempt(redirect, () -> settings.createTeam(name), "inbox.team.created");
    }

    @Requires(Permission.MANAGE_INBOX)
    @PostMapping("/settings/inbox/teams/{id}")
    String updateTeam(@PathVariable String id, @RequestParam(defaultValue = "") String name,
                      @RequestParam(name = "member", required = false) List<String> memberIds, RedirectAttributes redirect) {
        UUID team = settings.team(Ids.parseOrNotFound(id)).id();
        Set<UUID> chosen = new HashSet<>();
        if (memberIds != null) {
            for (String member : memberIds) {
                chosen.add(Ids.parseOrNotFound(member));
            }
        }
        return attempt(redirect, () -> {
            settings.renameTeam(team, name);
            settings.setTeamMembers(team, chosen);
        }, "inbox.team.saved");
    }

    @Requires(Permission.MANAGE_INBOX)
    @PostMapping("/settings/inbox/teams/{id}/delete")
    String deleteTeam(@PathVariable String id, RedirectAttributes redirect) {
        UUID team = settings.team(Ids.parseOrNotFound(id)).id();
        return attempt(redirect, () -> settings.deleteTeam(team), "inbox.team.deleted");
    }

    @Requires(Permission.MANAGE_INBOX)
    @PostMapping("/settings/inbox/numbers/{id}")
    String setRule(@PathVariable String id, @RequestParam(defaultValue = "MANUAL") String mode, @RequestParam(defaultValue = "") String team,
                   RedirectAttributes redirect) {
        UUID connection = connections.connection(Ids.parseOrNotFound(id)).id();
        InboxSettings.Mode chosen;
        try {
            chosen = InboxSettings.Mode.valueOf(mode);
        } catch (IllegalArgumentException e) {
            chosen = InboxSettings.Mode.MANUAL;
        }
        InboxSettings.Mode finalMode = chosen;
        UUID teamId = team.isBlank() ? null : Ids.parseOrNotFound(team);
        return attempt(redirect, () -> settings.setRule(connection, finalMode, teamId), "inbox.rule.saved");
    }

    @Requires(Permission.MANAGE_INBOX)
    @PostMapping("/settings/inbox/after-resolved")
    String afterResolved(@RequestParam(defaultValue = "REOPEN") String value, RedirectAttributes redirect) {
        InboxSettings.AfterResolved chosen = "NEW".equals(value) ? InboxSettings.AfterResolved.NEW : InboxSettings.AfterResolved.REOPEN;
        return attempt(redirect, () -> settings.setAfterResolved(chosen), "inbox.settings.saved");
    }

    @Requires(Permission.MANAGE_INBOX)
    @PostMapping("/settings/inbox/canned")
    String createCanned(@RequestParam(defaultValue = "") String shortcut, @RequestParam(defaultValue = "") String body,
                        RedirectAttributes redirect) {
        return attempt(redirect, () -> canned.create(shortcut, body), "inbox.canned.created");
    }

    @Requires(Permission.MANAGE_INBOX)
    @PostMapping("/settings/inbox/canned/{id}")
    String updateCanned(@PathVariable String id, @RequestParam(defaultValue = "") String shortcut, @RequestParam(defaultValue = "") String body,
                        RedirectAttributes redirect) {
        UUID response = canned.get(Ids.parseOrNotFound(id)).id();
        return attempt(redirect, () -> canned.update(response, shortcut, body), "inbox.canned.saved");
    }

    @Requires(Permission.MANAGE_INBOX)
    @PostMapping("/settings/inbox/canned/{id}/delete")
    String deleteCanned(@PathVariable String id, RedirectAttributes redirect) {
        UUID response = canned.get(Ids.parseOrNotFound(id)).id();
        return attempt(redirect, () -> canned.delete(response), "inbox.canned.deleted");
    }

    private static String attempt(RedirectAttributes redirect, Runnable action, String doneKey) {
        try {
            action.run();
            Notices.success(redirect, doneKey);
        } catch (hexa.platform.web.NotFoundException e) {
            throw e;
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return PAGE;
    }
}
