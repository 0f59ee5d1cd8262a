package hexa.identity;

import hexa.platform.access.SignedIn;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A person's own profile: name and password. */
@Controller
class ProfileController {

    private final ProfileService profiles;

    ProfileController(ProfileService profiles) {
        this.profiles = profiles;
    }

    @SignedIn
    @GetMapping("/profile")
    String show(Model model) {
        User user = profiles.user(me());
        model.addAttribute("name", user.name());
        model.addAttribute("email", user.email());
        return "identity/profile";
    }

    @SignedIn
    @PostMapping("/profile/name")
    String rename(@RequestParam(defaultValue = "") String name, RedirectAttributes redirect) {
        try {
            profiles.rename(me(), name);
            Notices.success(redirect, "profile.name-saved");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/profile";
    }

    @SignedIn
    @PostMapping("/profile/password")
    String changePassword(@RequestParam(defaultValue = "") String currentPassword, @RequestParam(defaultValue = "") String newPassword,
                          @RequestParam(defaultValue = "") String confirmPassword, HttpServletRequest request, RedirectAttributes redirect) {
        try {
            if (!newPassword.equals(confirmPassword)) {
                throw UserError.invalid("profile.password.mismatch");
            }
            profiles.changePassword(me(), currentPassword, newPassword, request.getSession().getId());
            Notices.success(redirect, "profile.password-changed");
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/profile";
    }

    private static java.util.UUID me() {
        return CurrentWorkspaceFilter.signedInUser().orElseThrow().id();
    }
}
