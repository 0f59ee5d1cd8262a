package hexa.identity;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.access.SignedIn;
import hexa.platform.web.Notices;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Your signed-in sessions (Profile → Sessions), and an Owner signing a member out everywhere (Settings → Members). */
@Controller
class SessionsController {

    private final SignedInSessions sessions;
    private final ProfileService profiles;
    private final MemberService members;

    SessionsController(SignedInSessions sessions, ProfileService profiles, MemberService members) {
        this.sessions = sessions;
        this.profiles = profiles;
        this.members = members;
    }

    @SignedIn
    @GetMapping("/profile/sessions")
    String list(Model model, HttpServletRequest request) {
        model.addAttribute("sessions", sessions.of(me(), request.getSession().getId()));
        return "identity/sessions";
    }

    @SignedIn
    @PostMapping("/profile/sessions/{ref}/end")
    String end(@PathVariable String ref, HttpServletRequest request, RedirectAttributes redirect) {
        if (SignedInSessions.ref(request.getSession().getId()).equals(ref)) {
            return "redirect:/profile/sessions";
        }
        sessions.end(profiles.user(me()), ref);
        Notices.success(redirect, "sessions.ended");
        return "redirect:/profile/sessions";
    }

    @Requires(Permission.SIGN_OUT_MEMBERS)
    @PostMapping("/settings/members/{userId}/sign-out-everywhere")
    String signOutEverywhere(@PathVariable String userId, RedirectAttributes redirect) {
        Member member = members.member(Ids.parseOrNotFound(userId));
        if (member.userId().equals(me())) {
            return "redirect:/settings/members";
        }
        int ended = sessions.endAll(member);
        Notices.success(redirect, "sessions.member-signed-out", member.name(), ended);
        return "redirect:/settings/members";
    }

    private static UUID me() {
        return CurrentWorkspaceFilter.signedInUser().orElseThrow().id();
    }
}
