package hexa.identity;

import hexa.platform.access.Public;
import hexa.platform.access.SignedIn;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class SignInController {

    private final SignInService signIn;
    private final WorkspaceService workspaces;
    private final SessionSignIn sessions;
    private final TwoFactorSignIn twoFactor;

    SignInController(SignInService signIn, WorkspaceService workspaces, SessionSignIn sessions, TwoFactorSignIn twoFactor) {
        this.signIn = signIn;
        this.workspaces = workspaces;
        this.sessions = sessions;
        this.twoFactor = twoFactor;
    }

    @Public
    @GetMapping("/sign-in")
    String form(Model model) {
        if (!workspaces.setUpDone()) {
            return "redirect:/setup";
        }
        if (CurrentWorkspaceFilter.signedInUser().isPresent()) {
            return "redirect:/";
        }
        model.addAttribute("email", "");
        model.addAttribute("error", null);
        return "identity/sign-in";
    }

    @Public
    @PostMapping("/sign-in")
    String signIn(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String password,
                  HttpServletRequest request, HttpServletResponse response, Model model) {
        try {
            User user = signIn.verify(email, password, request.getRemoteAddr());
            return twoFactor.afterPassword(user, null, request, response);
        } catch (UserError e) {
            response.setStatus(e.status().value());
            model.addAttribute("email", email);
            model.addAttribute("error", e.text());
            return "identity/sign-in";
        }
    }

    @SignedIn
    @PostMapping("/sign-out")
    String signOut(HttpServletRequest request) {
        CurrentWorkspaceFilter.signedInUser().ifPresent(user -> signIn.recordSignOut(user.id()));
        sessions.signOut(request);
        return "redirect:/sign-in";
    }
}
