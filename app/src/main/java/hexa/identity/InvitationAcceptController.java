package hexa.identity;

import hexa.platform.access.Public;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Where an invitation link leads: join the workspace with a new account or an existing one. */
@Controller
class InvitationAcceptController {

    private final InvitationService invitations;
    private final SignInService signIn;
    private final SessionSignIn sessions;
    private final TwoFactorSignIn twoFactor;

    InvitationAcceptController(InvitationService invitations, SignInService signIn, SessionSignIn sessions, TwoFactorSignIn twoFactor) {
        this.invitations = invitations;
        this.signIn = signIn;
        this.sessions = sessions;
        this.twoFactor = twoFactor;
    }

    @Public
    @GetMapping("/invitations/{token}")
    String open(@PathVariable String token, Model model) {
        InvitationService.Opened opened = opened(token);
        return page(model, token, opened, "", null);
    }

    @Public
    @PostMapping("/invitations/{token}")
    String accept(@PathVariable String token, @RequestParam(defaultValue = "") String name,
                  @RequestParam(defaultValue = "") String password, HttpServletRequest request,
                  HttpServletResponse response, Model model) {
        InvitationService.Opened opened = opened(token);
        try {
            User user = opened.accountExists()
                    ? invitations.acceptAsExistingPerson(token, password, request.getRemoteAddr())
                    : invitations.acceptAsNewPerson(token, name, password);
            // An existing account with two-factor authentication still needs its code.
            return twoFactor.afterPassword(user, opened.invitation().tenantId(), request, response);
        } catch (UserError e) {
            if (e instanceof NotFoundException) {
                throw e;
            }
            response.setStatus(e.status().value());
            return page(model, token, opened, name, e.text());
        }
    }

    private InvitationService.Opened opened(String token) {
        try {
            return invitations.open(token);
        } catch (NotFoundException e) {
            throw new UserError(org.springframework.http.HttpStatus.NOT_FOUND, "invitation_invalid", "invitation.invalid");
        }
    }

    private static String page(Model model, String token, InvitationService.Opened opened, String name, String error) {
        model.addAttribute("token", token);
        model.addAttribute("workspaceName", opened.workspaceName());
        model.addAttribute("email", opened.invitation().email());
        model.addAttribute("invitedBy", opened.invitation().invitedByName());
        model.addAttribute("roleKey", opened.invitation().role().messageKey());
        model.addAttribute("accountExists", opened.accountExists());
        model.addAttribute("name", name);
        model.addAttribute("error", error);
        return "identity/invitation";
    }
}
