package hexa.whatsapp;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings → WhatsApp: the connected numbers, connecting more, checking and disconnecting them. */
@Controller
class WhatsAppSettingsController {

    /** The Meta app being connected, between entering its details and choosing its number; sealed. */
    static final String PENDING_META_APP = "hexa.whatsapp.pending-meta-app";

    record PendingMetaApp(String appId, String appSecretSealed, String accessTokenSealed, String wabaId) implements java.io.Serializable {
    }

    private final ConnectionService connections;
    private final TemplateService templates;
    private final BusinessProfileService profiles;
    private final hexa.platform.crypto.SecretBox secrets;
    private final WebhookProblems problems;
    private final AccountNotices accountNotices;

    WhatsAppSettingsController(ConnectionService connections, TemplateService templates, BusinessProfileService profiles,
                               hexa.platform.crypto.SecretBox secrets, WebhookProblems problems, AccountNotices accountNotices) {
        this.accountNotices = accountNotices;
        this.problems = problems;
        this.connections = connections;
        this.templates = templates;
        this.profiles = profiles;
        this.secrets = secrets;
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @GetMapping("/settings/whatsapp/{id}/profile")
    String profile(@PathVariable String id, Model model, RedirectAttributes redirect) {
        ConnectionService.View view = connections.connection(Ids.parseOrNotFound(id));
        try {
            model.addAttribute("profile", profiles.profile(view.id()));
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
            return "redirect:/settings/whatsapp";
        }
        model.addAttribute("connection", view);
        model.addAttribute("verticals", BusinessProfileService.VERTICALS);
        return "whatsapp/profile";
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/settings/whatsapp/{id}/profile")
    String saveProfile(@PathVariable String id, @RequestParam(defaultValue = "") String about, @RequestParam(defaultValue = "") String address,
                       @RequestParam(defaultValue = "") String description, @RequestParam(defaultValue = "") String email,
                       @RequestParam(defaultValue = "") String website1, @RequestParam(defaultValue = "") String website2,
                       @RequestParam(defaultValue = "UNDEFINED") String vertical, RedirectAttributes redirect) {
        ConnectionService.View view = connections.connection(Ids.parseOrNotFound(id));
        List<String> websites = java.util.stream.Stream.of(website1, website2).map(String::strip).filter(w -> !w.isEmpty()).toList();
        try {
            profiles.update(view.id(), new BusinessProfileService.Profile(about.strip(), address.strip(), description.strip(), email.strip(),
                    websites, vertical));
            Notices.success(redirect, "whatsapp.profile.saved");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/whatsapp/" + view.id() + "/profile";
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @GetMapping("/settings/whatsapp/templates")
    String templates() {
        return "redirect:/settings/templates";
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/settings/whatsapp/templates/refresh")
    String refreshTemplates(RedirectAttributes redirect) {
        try {
            Notices.success(redirect, "whatsapp.templates.refreshed", templates.syncAll());
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/templates";
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @GetMapping("/settings/whatsapp")
    String page(Model model) {
        List<ConnectionService.View> all = connections.connections();
        model.addAttribute("connections", all);
        boolean canApproveShared = hexa.platform.tenant.TenantContext.actor().can(Permission.APPROVE_SHARED_WEBHOOKS);
        java.util.Map<java.util.UUID, List<ConnectionService.SharedCallback>> shared = new java.util.HashMap<>();
        if (canApproveShared) {
            all.stream().filter(c -> c.kind() == Connection.Kind.META).forEach(c -> shared.put(c.id(), connections.sharedCallbacks(c.id())));
        }
        model.addAttribute("canApproveShared", canApproveShared);
        model.addAttribute("shared", shared);
        model.addAttribute("problemsOpen", problems.open());
        model.addAttribute("coexistence", connections.withCoexistence());
        model.addAttribute("notices", accountNotices.current());
        if (!model.containsAttribute("metaAppId")) {
            model.addAttribute("metaAppId", "");
            model.addAttribute("metaWabaId", "");
        }
        model.addAttribute("sandboxAvailable", connections.sandboxAvailable());
        return "whatsapp/settings";
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/settings/whatsapp/sandbox")
    String connectSandbox(RedirectAttributes redirect) {
        try {
            ConnectionService.View view = connections.connectSandbox();
            Notices.success(redirect, "whatsapp.sandbox.connected", view.displayPhoneNumber());
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/whatsapp";
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/settings/whatsapp/meta")
    String lookUpNumbers(@RequestParam(defaultValue = "") String appId, @RequestParam(defaultValue = "") String appSecret,
                         @RequestParam(defaultValue = "") String accessToken, @RequestParam(defaultValue = "") String wabaId,
                         HttpSession session, Model model, RedirectAttributes redirect) {
        ConnectionService.MetaApp app = new ConnectionService.MetaApp(appId, appSecret, accessToken, wabaId);
        try {
            List<ConnectionService.AvailableNumber> numbers = connections.numbersOf(app);
            session.setAttribute(PENDING_META_APP, new PendingMetaApp(app.appId(), secrets.seal(app.appSecret()),
                    secrets.seal(app.accessToken()), app.wabaId()));
            model.addAttribute("numbers", numbers);
            model.addAttribute("wabaId", app.wabaId());
            return "whatsapp/choose-number";
        } catch (UserError e) {
            redirect.addFlashAttribute("metaAppId", app.appId());
            redirect.addFlashAttribute("metaWabaId", app.wabaId());
            Notices.warning(redirect, e.messageKey(), e.args());
            return "redirect:/settings/whatsapp";
        }
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/settings/whatsapp/meta/number")
    String connectNumber(@RequestParam(defaultValue = "") String phoneNumberId, HttpSession session, RedirectAttributes redirect) {
        if (!(session.getAttribute(PENDING_META_APP) instanceof PendingMetaApp pending)) {
            Notices.warning(redirect, "whatsapp.meta.start-again");
            return "redirect:/settings/whatsapp";
        }
        try {
            ConnectionService.View view = connections.connectMeta(new ConnectionService.MetaApp(pending.appId(),
                    secrets.openString(pending.appSecretSealed()), secrets.openString(pending.accessTokenSealed()), pending.wabaId()), phoneNumberId);
            session.removeAttribute(PENDING_META_APP);
            Notices.success(redirect, "whatsapp.meta.connected", view.displayPhoneNumber());
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/whatsapp";
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/settings/whatsapp/{id}/check")
    String check(@PathVariable String id, RedirectAttributes redirect) {
        ConnectionService.CheckResult result = connections.check(Ids.parseOrNotFound(id));
        if (result.ok()) {
            Notices.success(redirect, "whatsapp.check.result", result.explanation());
        } else {
            Notices.warning(redirect, "whatsapp.check.result", result.explanation());
        }
        return "redirect:/settings/whatsapp";
    }

    /** The Owner approves another workspace's callback URL (same Meta app) for this number's webhooks. */
    @Requires(Permission.APPROVE_SHARED_WEBHOOKS)
    @PostMapping("/settings/whatsapp/{id}/shared-callbacks")
    String approveSharedCallback(@PathVariable String id, @org.springframework.web.bind.annotation.RequestParam(defaultValue = "") String callbackUrl,
                                 RedirectAttributes redirect) {
        try {
            ConnectionService.SharedCallback approved = connections.approveSharedCallback(Ids.parseOrNotFound(id), callbackUrl);
            Notices.success(redirect, "whatsapp.shared-app.approved", approved.viaPhoneNumber());
        } catch (hexa.platform.web.NotFoundException e) {
            throw e;
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/whatsapp";
    }

    @Requires(Permission.APPROVE_SHARED_WEBHOOKS)
    @PostMapping("/settings/whatsapp/{id}/shared-callbacks/{via}/revoke")
    String revokeSharedCallback(@PathVariable String id, @PathVariable String via, RedirectAttributes redirect) {
        connections.revokeSharedCallback(Ids.parseOrNotFound(id), Ids.parseOrNotFound(via));
        Notices.success(redirect, "whatsapp.shared-app.revoked");
        return "redirect:/settings/whatsapp";
    }

    /** Whether the number is also used in the WhatsApp Business app (coexistence); audited. */
    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/settings/whatsapp/{id}/coexistence")
    String coexistence(@PathVariable String id, @RequestParam(defaultValue = "") String on, RedirectAttributes redirect) {
        ConnectionService.View view = connections.connection(Ids.parseOrNotFound(id));
        if (!"true".equals(on) && !"false".equals(on)) {
            throw new UserError(org.springframework.http.HttpStatus.BAD_REQUEST, "invalid_switch", "whatsapp.coexistence.invalid");
        }
        connections.switchCoexistence(view.id(), Boolean.parseBoolean(on));
        Notices.success(redirect, "true".equals(on) ? "whatsapp.coexistence.switched-on" : "whatsapp.coexistence.switched-off", view.displayPhoneNumber());
        return "redirect:/settings/whatsapp";
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/settings/whatsapp/{id}/disconnect")
    String disconnect(@PathVariable String id, RedirectAttributes redirect) {
        ConnectionService.View view = connections.connection(Ids.parseOrNotFound(id));
        connections.disconnect(view.id());
        Notices.success(redirect, "whatsapp.disconnected", view.displayPhoneNumber());
        return "redirect:/settings/whatsapp";
    }
}
