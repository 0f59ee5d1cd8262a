package hexa.identity;

import hexa.platform.access.Public;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Where an invitation link leads: join the workspace by signing in to an existing account, or create one. The page
 * reads the same whether or not the invited address has an account; only a confirmation link's holder, who reads that
 * address's mail, is told.
 */
@Controller
class InvitationAcceptController {

    private final InvitationService invitations;
    private final TwoFactorSignIn twoFactor;

    InvitationAcceptController(InvitationService invitations, TwoFactorSignIn twoFactor) {
        this.invitations = invitations;
        this.twoFactor = twoFactor;
    }

    @Public
    @GetMapping("/invitations/{token}")
    String open(@PathVariable String token, @RequestParam(required = false) String proof, Model model, HttpServletResponse response) {
        InvitationService.Opened opened = opened(token);
        InvitationService.Proof proven = invitations.proof(token, proof);
        String error = null;
        if (proof != null && !proven.valid()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            error = new UserError(HttpStatus.BAD_REQUEST, "confirmation_invalid", "invitation.confirm.invalid").text();
        }
        return page(model, token, opened, proven.valid() ? proof : null, proven, "", error);
    }

    /** Without {@code name}, joins as the account that has the invited address (its password proves it); with one, creates it. */
    @Public
    @PostMapping("/invitations/{token}")
    String accept(@PathVariable String token, @RequestParam(required = false) String name,
                  @RequestParam(defaultValue = "") String password, @RequestParam(required = false) String proof,
                  HttpServletRequest request, HttpServletResponse response, Model model) {
        InvitationService.Opened opened = opened(token);
        try {
            User user = name == null
                    ? invitations.acceptAsExistingPerson(token, password, request.getRemoteAddr())
                    : invitations.acceptAsNewPerson(token, name, password, proof);
            // An existing account with two-factor authentication still needs its code.
            return twoFactor.afterPassword(user, opened.invitation().tenantId(), request, response);
        } catch (UserError e) {
            if (e instanceof NotFoundException) {
                throw e;
            }
            response.setStatus(e.status().value());
            InvitationService.Proof proven = invitations.proof(token, proof);
            return page(model, token, opened, proven.valid() ? proof : null, proven, name == null ? "" : name, e.text());
        }
    }

    /** Mails the invited address a confirmation link; the answer is the same whether or not the address has an account. */
    @Public
    @PostMapping("/invitations/{token}/confirm-address")
    String mailConfirmation(@PathVariable String token, RedirectAttributes redirect) {
        InvitationService.Opened opened = opened(token);
        try {
            invitations.mailAddressProof(token);
            Notices.success(redirect, "invitation.confirm.sent", opened.invitation().email(), InvitationService.PROOF_VALIDITY.toMinutes());
        } catch (UserError e) {
            if (e instanceof NotFoundException) {
                throw e;
            }
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/invitations/" + token;
    }

    private InvitationService.Opened opened(String token) {
        try {
            return invitations.open(token);
        } catch (NotFoundException e) {
            throw new UserError(HttpStatus.NOT_FOUND, "invitation_invalid", "invitation.invalid");
        }
    }

    private String page(Model model, String token, InvitationService.Opened opened, String proof, InvitationService.Proof proven,
                        String name, String error) {
        model.addAttribute("token", token);
        model.addAttribute("workspaceName", opened.workspaceName());
        model.addAttribute("email", opened.invitation().email());
        model.addAttribute("invitedBy", opened.invitation().invitedByName());
        model.addAttribute("roleKey", opened.invitation().role().messageKey());
        model.addAttribute("mailEnabled", invitations.addressProofRequired());
        model.addAttribute("proof", proof);
        model.addAttribute("proofAccountExists", proven.valid() && proven.accountExists());
        model.addAttribute("name", name);
        model.addAttribute("error", error);
        return "identity/invitation";
    }
}
