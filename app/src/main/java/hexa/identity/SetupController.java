package hexa.identity;

import hexa.platform.access.Public;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/** First start on an empty database: create the first workspace and its Owner. Gone once done. */
@Controller
class SetupController {

    private final WorkspaceService workspaces;
    private final SignInService signIn;
    private final SessionSignIn sessions;

    SetupController(WorkspaceService workspaces, SignInService signIn, SessionSignIn sessions) {
        this.workspaces = workspaces;
        this.signIn = signIn;
        this.sessions = sessions;
    }

    @Public
    @GetMapping("/setup")
    String form(Model model) {
        if (workspaces.setUpDone()) {
            throw new NotFoundException();
        }
        model.addAttribute("form", SetupForm.blank());
        model.addAttribute("error", null);
        model.addAttribute("zones", Choices.timeZones());
        model.addAttribute("countries", Choices.countries());
        return "identity/setup";
    }

    @Public
    @PostMapping("/setup")
    String setUp(@ModelAttribute SetupForm form, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (workspaces.setUpDone()) {
            throw new NotFoundException();
        }
        try {
            User owner = workspaces.setUp(WorkspaceDetails.of(form.workspaceName(), form.timeZone(), form.country()),
                    NewPerson.of(form.name(), form.email(), form.password()));
            sessions.signIn(owner, null, request, response);
            signIn.recordSignIn(owner);
            return "redirect:/";
        } catch (UserError e) {
            if (e instanceof NotFoundException) {
                throw e;
            }
            response.setStatus(e.status().value());
            model.addAttribute("form", new SetupForm(form.workspaceName(), form.timeZone(), form.country(), form.name(), form.email(), ""));
            model.addAttribute("error", e.text());
            model.addAttribute("zones", Choices.timeZones());
            model.addAttribute("countries", Choices.countries());
            return "identity/setup";
        }
    }
}
