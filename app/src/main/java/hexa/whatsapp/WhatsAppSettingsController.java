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
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings → WhatsApp: the connected numbers, connecting more, checking and disconnecting them. */
@Controller
class WhatsAppSettingsController {

    private final ConnectionService connections;

    WhatsAppSettingsController(ConnectionService connections) {
        this.connections = connections;
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @GetMapping("/settings/whatsapp")
    String page(Model model) {
        model.addAttribute("connections", connections.connections());
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
    @PostMapping("/settings/whatsapp/{id}/disconnect")
    String disconnect(@PathVariable String id, RedirectAttributes redirect) {
        ConnectionService.View view = connections.connection(Ids.parseOrNotFound(id));
        connections.disconnect(view.id());
        Notices.success(redirect, "whatsapp.disconnected", view.displayPhoneNumber());
        return "redirect:/settings/whatsapp";
    }
}
