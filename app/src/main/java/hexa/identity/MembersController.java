package hexa.identity;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.access.Role;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings → Members: who is in the workspace, invitations, roles, deactivation. */
@Controller
class MembersController {

    private final MemberService members;
    private final InvitationService invitations;

    MembersController(MemberService members, InvitationService invitations) {
        this.members = members;
        this.invitations = invitations;
    }

    @Requires(Permission.VIEW_MEMBERS)
    @GetMapping("/settings/members")
    String list(Model model) {
        var actor = TenantContext.actor();
        model.addAttribute("members", members.members());
        model.addAttribute("invitations", actor.can(Permission.MANAGE_MEMBERS) ? invitations.pending() : List.of());
        model.addAttribute("canManage", actor.can(Permission.MANAGE_MEMBERS));
        model.addAttribute("assignableRoles", assignableRoles());
        model.addAttribute("me", actor.userId());
        return "identity/members";
    }

    @Requires(Permission.MANAGE_MEMBERS)
    @PostMapping("/settings/members/invitations")
    String invite(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "AGENT") String role,
                  RedirectAttributes redirect) {
        try {
            InvitationService.Sent sent = invitations.invite(email, Role.parse(role).orElseThrow(() -> UserError.invalid("members.role.invalid")));
            redirect.addFlashAttribute("invitationLink", sent.link());
            redirect.addFlashAttribute("invitationEmail", sent.invitation().email());
            redirect.addFlashAttribute("invitationMailed", sent.mailed());
            redirect.addFlashAttribute("invitationProofRequired", invitations.addressProofRequired());
            Notices.success(redirect, sent.mailed() ? "invitation.sent-mailed" : "invitation.sent", sent.invitation().email());
        } catch (UserError e) {
            if (e.status().value() == 403) {
                throw e;
            }
            redirect.addFlashAttribute("inviteEmail", email);
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/members";
    }

    @Requires(Permission.MANAGE_MEMBERS)
    @PostMapping("/settings/members/invitations/{id}/revoke")
    String revoke(@PathVariable String id, RedirectAttributes redirect) {
        invitations.revoke(Ids.parseOrNotFound(id));
        Notices.success(redirect, "invitation.revoked");
        return "redirect:/settings/members";
    }

    @Requires(Permission.MANAGE_MEMBERS)
    @PostMapping("/settings/members/{userId}/role")
    String changeRole(@PathVariable String userId, @RequestParam(defaultValue = "") String role, RedirectAttributes redirect) {
        return change(userId, redirect, "members.role-changed",
                id -> members.changeRole(id, Role.parse(role).orElseThrow(() -> UserError.invalid("members.role.invalid"))));
    }

    @Requires(Permission.MANAGE_MEMBERS)
    @PostMapping("/settings/members/{userId}/deactivate")
    String deactivate(@PathVariable String userId, RedirectAttributes redirect) {
        return change(userId, redirect, "members.deactivated", members::deactivate);
    }

    @Requires(Permission.MANAGE_MEMBERS)
    @PostMapping("/settings/members/{userId}/reactivate")
    String reactivate(@PathVariable String userId, RedirectAttributes redirect) {
        return change(userId, redirect, "members.reactivated", members::reactivate);
    }

    /** Changes a member and says what happened; a member of another workspace stays "not found". */
    private String change(String userId, RedirectAttributes redirect, String doneKey, java.util.function.Consumer<java.util.UUID> change) {
        var id = Ids.parseOrNotFound(userId);
        Member member = members.member(id);
        try {
            change.accept(id);
            Notices.success(redirect, doneKey, member.name());
        } catch (UserError e) {
            if (e.status().value() == 404) {
                throw e;
            }
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/members";
    }

    private static List<Role> assignableRoles() {
        boolean owner = TenantContext.actor().can(Permission.MANAGE_OWNERS);
        return Arrays.stream(Role.values()).filter(r -> owner || r != Role.OWNER).toList();
    }
}
