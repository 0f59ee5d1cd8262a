package hexa.whatsapp;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings → Templates: the workspace's message templates with Meta's review status and quality; creating, editing
 * and deleting them at Meta, with a preview as the phone shows it that follows the form (htmx).
 */
@Controller
class TemplatesController {

    static final int BUTTON_ROWS_MAX = 10;

    private final TemplateManagement management;
    private final TemplateService templates;

    TemplatesController(TemplateManagement management, TemplateService templates) {
        this.management = management;
        this.templates = templates;
    }

    @Requires(Permission.VIEW_TEMPLATES)
    @GetMapping("/settings/templates")
    String list(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "") String status,
                @RequestParam(defaultValue = "") String waba, Model model) {
        TemplateManagement.Filter filter = new TemplateManagement.Filter(q, status, waba);
        model.addAttribute("templates", management.list(filter));
        model.addAttribute("filter", filter);
        model.addAttribute("accounts", management.accounts());
        model.addAttribute("canManage", TenantContext.actor().can(Permission.MANAGE_TEMPLATES));
        return "whatsapp/template-list";
    }

    @Requires(Permission.MANAGE_TEMPLATES)
    @GetMapping("/settings/templates/new")
    String newForm(Model model) {
        List<TemplateManagement.Account> accounts = management.accounts();
        TemplateDraft blank = new TemplateDraft("", "en_US", "UTILITY", "NONE", "", "", "", Map.of(), "", List.of(), true, null);
        model.addAttribute("form", new TemplateForm(null, accounts.isEmpty() ? "" : accounts.get(0).wabaId(), blank, Map.of(), accounts, 3, null));
        return "whatsapp/template-form";
    }

    @Requires(Permission.MANAGE_TEMPLATES)
    @PostMapping("/settings/templates")
    String create(@RequestParam Map<String, String> params, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        TemplateDraft draft = read(params);
        String wabaId = params.getOrDefault("wabaId", "");
        try {
            Template created = management.create(wabaId, draft);
            Notices.success(redirect, "templates.created", created.name());
            return "redirect:/settings/templates/" + created.id();
        } catch (UserError e) {
            response.setStatus(e.status().value());
            model.addAttribute("form", new TemplateForm(null, wabaId, draft, errors(e), management.accounts(), rows(draft), null));
            return "whatsapp/template-form";
        }
    }

    @Requires(Permission.VIEW_TEMPLATES)
    @GetMapping("/settings/templates/{id}")
    String show(@PathVariable String id, Model model) {
        Template template = templates.byId(Ids.parseOrNotFound(id));
        model.addAttribute("template", template);
        model.addAttribute("draft", TemplateDraft.of(template));
        model.addAttribute("languages", management.languages(template));
        model.addAttribute("canManage", TenantContext.actor().can(Permission.MANAGE_TEMPLATES));
        model.addAttribute("editable", TemplateManagement.editable(template));
        return "whatsapp/template";
    }

    @Requires(Permission.MANAGE_TEMPLATES)
    @GetMapping("/settings/templates/{id}/edit")
    String editForm(@PathVariable String id, Model model) {
        Template template = templates.byId(Ids.parseOrNotFound(id));
        TemplateDraft draft = TemplateDraft.of(template);
        model.addAttribute("form", new TemplateForm(template.id(), template.wabaId(), draft, Map.of(), management.accounts(), rows(draft), template.status()));
        return "whatsapp/template-form";
    }

    @Requires(Permission.MANAGE_TEMPLATES)
    @PostMapping("/settings/templates/{id}")
    String edit(@PathVariable String id, @RequestParam Map<String, String> params, Model model, HttpServletResponse response,
                RedirectAttributes redirect) {
        Template template = templates.byId(Ids.parseOrNotFound(id));
        TemplateDraft draft = read(params);
        try {
            management.edit(template.id(), draft);
            Notices.success(redirect, "templates.edited", template.name());
            return "redirect:/settings/templates/" + template.id();
        } catch (UserError e) {
            response.setStatus(e.status().value());
            TemplateDraft shown = new TemplateDraft(template.name(), template.language(), draft.category(), draft.headerFormat(), draft.headerText(),
                    draft.headerExample(), draft.body(), draft.examples(), draft.footer(), draft.buttons(), draft.securityRecommendation(),
                    draft.codeExpirationMinutes());
            model.addAttribute("form", new TemplateForm(template.id(), template.wabaId(), shown, errors(e), management.accounts(), rows(draft), template.status()));
            return "whatsapp/template-form";
        }
    }

    @Requires(Permission.MANAGE_TEMPLATES)
    @PostMapping("/settings/templates/{id}/delete")
    String delete(@PathVariable String id, RedirectAttributes redirect) {
        Template template = templates.byId(Ids.parseOrNotFound(id));
        try {
            management.delete(template.id());
            Notices.success(redirect, "templates.deleted", template.name());
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/settings/templates";
    }

    /**
     * The preview as the form stands (htmx); when the variables changed, also their example fields (out of band),
     * so that typing in an example keeps its focus.
     */
    @Requires(Permission.MANAGE_TEMPLATES)
    @PostMapping("/settings/templates/preview")
    String preview(@RequestParam Map<String, String> params, Model model) {
        TemplateDraft draft = read(params);
        String shown = params.getOrDefault("exampleVariables", "");
        boolean changed = !shown.equals(String.join(",", draft.allVariables()));
        model.addAttribute("draft", draft);
        model.addAttribute("examples", changed);
        model.addAttribute("errors", Map.<String, String>of());
        return "whatsapp/template-preview";
    }

    /** The draft of a submitted form: fields by name, examples as {@code example.<variable>}, buttons as {@code buttons.<n>.<part>}. */
    static TemplateDraft read(Map<String, String> params) {
        Map<String, String> examples = new LinkedHashMap<>();
        params.forEach((key, value) -> {
            if (key.startsWith("example.")) {
                examples.put(key.substring("example.".length()), value.strip());
            }
        });
        List<TemplateDraft.Button> buttons = new ArrayList<>();
        for (int i = 0; i < BUTTON_ROWS_MAX + 2; i++) {
            String prefix = "buttons." + i + ".";
            if (params.containsKey(prefix + "type")) {
                buttons.add(new TemplateDraft.Button(params.get(prefix + "type"), params.get(prefix + "text"), params.get(prefix + "url"),
                        params.get(prefix + "example"), params.get(prefix + "phoneNumber")));
            }
        }
        Integer expiration = null;
        String minutes = params.getOrDefault("codeExpirationMinutes", "").strip();
        if (!minutes.isEmpty()) {
            try {
                expiration = Integer.parseInt(minutes);
            } catch (NumberFormatException e) {
                expiration = -1;
            }
        }
        return new TemplateDraft(params.get("name"), params.get("language"), params.get("category"), params.get("headerFormat"),
                params.get("headerText"), params.get("headerExample"), params.get("body"), examples, params.get("footer"), buttons,
                "true".equals(params.get("securityRecommendation")), expiration);
    }

    private static Map<String, String> errors(UserError e) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (e instanceof TemplateProblems problems) {
            problems.problems().forEach(p -> errors.putIfAbsent(p.field(), p.message()));
        } else {
            errors.put("form", e.text());
        }
        return errors;
    }

    private static int rows(TemplateDraft draft) {
        return Math.min(BUTTON_ROWS_MAX, Math.max(3, draft.buttons().size() + 1));
    }
}
