package hexa.automation.rules.pages;

import hexa.automation.rules.Rule;
import hexa.automation.rules.RuleBook;
import hexa.automation.rules.RuleTrials;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The rule editor: a new rule or a stored one, its rows added and removed by round trips (the form is the state, nothing
 * is stored until it is saved), and the test panel, which runs the rule as edited against a conversation without sending
 * or changing anything.
 */
@Controller
class RuleEditorController {

    private final RuleBook book;
    private final RuleTrials trials;
    private final EditorChoicesSource choices;

    RuleEditorController(RuleBook book, RuleTrials trials, EditorChoicesSource choices) {
        this.book = book;
        this.trials = trials;
        this.choices = choices;
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/automation/rules/new")
    String newRule(Model model) {
        return editor(model, null, RuleForm.blank(), null, null);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/automation/rules/{id}")
    String edit(@PathVariable String id, Model model) {
        Rule rule = rule(id);
        return editor(model, rule, RuleForm.of(rule), null, null);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/rules/new")
    String create(HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
        return submit(null, request, response, model, redirect);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/rules/{id}")
    String update(@PathVariable String id, HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
        return submit(rule(id), request, response, model, redirect);
    }

    /** What the pressed button asks: save, a row added, removed or moved, a test run, or a search for a conversation to test on. */
    private String submit(Rule stored, HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
        RuleForm form = RuleForm.read(request.getParameterMap());
        String command = request.getParameter("command");
        command = command == null ? "save" : command;
        if (command.equals("save")) {
            try {
                Rule saved = stored == null ? book.create(form.toRule(null)) : book.update(stored.id(), form.toRule(stored.id()));
                Notices.success(redirect, stored == null ? "automation.rules.editor.created" : "automation.rules.editor.saved", saved.name());
                return RulesController.LIST;
            } catch (UserError e) {
                if (e.status().value() == 404 || e.status().value() == 403) {
                    throw e;
                }
                response.setStatus(e.status().value());
                return editor(model, stored, form, e.text(), null);
            }
        }
        if (command.equals("trial")) {
            return editor(model, stored, form, null, trial(stored, form, model));
        }
        if (command.equals("add-condition")) {
            form.addCondition();
        } else if (command.equals("add-action")) {
            form.addAction(request.getParameter("newAction"));
        } else if (command.startsWith("remove-condition-")) {
            form.removeCondition(index(command));
        } else if (command.startsWith("remove-action-")) {
            form.removeAction(index(command));
        } else if (command.startsWith("up-action-")) {
            form.moveAction(index(command), -1);
        } else if (command.startsWith("down-action-")) {
            form.moveAction(index(command), 1);
        } else if (!command.equals("trial-search")) {
            throw UserError.invalid("automation.rules.form.choice-invalid", command);
        }
        return editor(model, stored, form, null, null);
    }

    /** Runs the rule as edited on the chosen conversation; a rule that cannot run yet says why, in the panel. */
    private RuleTrials.Trial trial(Rule stored, RuleForm form, Model model) {
        if (form.trialConversation().isBlank()) {
            model.addAttribute("trialError", hexa.platform.web.Text.t("automation.rules.trial.choose"));
            return null;
        }
        UUID conversation = Ids.parseOrNotFound(form.trialConversation());
        try {
            return trials.trial(form.toRule(stored == null ? null : stored.id()), conversation);
        } catch (UserError e) {
            if (e.status().value() == 404 || e.status().value() == 403) {
                throw e;
            }
            model.addAttribute("trialError", e.text());
            return null;
        }
    }

    private String editor(Model model, Rule stored, RuleForm form, String error, RuleTrials.Trial trial) {
        model.addAttribute("rule", stored);
        model.addAttribute("form", form);
        model.addAttribute("error", error);
        model.addAttribute("trial", trial);
        if (!model.containsAttribute("trialError")) {
            model.addAttribute("trialError", null);
        }
        model.addAttribute("choices", choices.choices(form.trialSearch()));
        model.addAttribute("action", stored == null ? "/automation/rules/new" : "/automation/rules/" + stored.id());
        return "automation/rule";
    }

    private Rule rule(String id) {
        return book.find(Ids.parseOrNotFound(id)).orElseThrow(NotFoundException::new);
    }

    private static int index(String command) {
        try {
            return Integer.parseInt(command.substring(command.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            throw UserError.invalid("automation.rules.form.choice-invalid", command);
        }
    }
}
