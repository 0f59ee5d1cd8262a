package hexa.identity;

import hexa.platform.access.Public;
import hexa.platform.web.Notices;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** "Forgot your password?": ask for a reset link by email, then choose a new password through it. */
@Controller
class PasswordResetController {

    private final PasswordResetService resets;

    PasswordResetController(PasswordResetService resets) {
        this.resets = resets;
    }

    @Public
    @GetMapping("/forgot-password")
    String form(Model model) {
        return forgotPage(model, "", null, null);
    }

    /** The same answer whether or not an account has the address; only a malformed address is told apart. */
    @Public
    @PostMapping("/forgot-password")
    String request(@RequestParam(defaultValue = "") String email, Model model, HttpServletResponse response) {
        try {
            resets.request(email);
            return forgotPage(model, email.strip(), Text.t("password-reset.sent", email.strip(), PasswordResetService.VALIDITY.toMinutes()), null);
        } catch (UserError e) {
            response.setStatus(e.status().value());
            return forgotPage(model, email, null, e.text());
        }
    }

    @Public
    @GetMapping("/reset-password/{token}")
    String choose(@PathVariable String token, Model model, HttpServletResponse response) {
        Optional<User> account = resets.accountOf(token);
        if (account.isEmpty()) {
            response.setStatus(404);
            return resetPage(model, token, null, Text.t("password-reset.invalid"));
        }
        return resetPage(model, token, account.get().email(), null);
    }

    @Public
    @PostMapping("/reset-password/{token}")
    String reset(@PathVariable String token, @RequestParam(defaultValue = "") String password,
                 @RequestParam(defaultValue = "") String confirmPassword, Model model, HttpServletResponse response,
                 RedirectAttributes redirect) {
        try {
            resets.reset(token, password, confirmPassword);
            Notices.success(redirect, "password-reset.done");
            return "redirect:/sign-in";
        } catch (UserError e) {
            response.setStatus(e.status().value());
            return resetPage(model, token, resets.accountOf(token).map(User::email).orElse(null), e.text());
        }
    }

    private String forgotPage(Model model, String email, String sent, String error) {
        model.addAttribute("available", resets.available());
        model.addAttribute("email", email);
        model.addAttribute("sent", sent);
        model.addAttribute("error", error);
        return "identity/forgot-password";
    }

    /** {@code email} is null when the link does not work: then there is no form, only the way to ask again. */
    private static String resetPage(Model model, String token, String email, String error) {
        model.addAttribute("token", token);
        model.addAttribute("email", email);
        model.addAttribute("error", error);
        return "identity/reset-password";
    }
}
