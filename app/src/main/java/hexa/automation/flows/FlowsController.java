package hexa.automation.flows;

import hexa.inbox.InboxSettings;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Notices;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Automation → Chatbot flows: the list, the editor (steps as cards, the drawing, versions, counts) and a run's steps. */
@Controller
class FlowsController {

    private final Flows flows;
    private final FlowRuns runs;
    private final InboxSettings inbox;

    FlowsController(Flows flows, FlowRuns runs, InboxSettings inbox) {
        this.flows = flows;
        this.runs = runs;
        this.inbox = inbox;
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/automation/flows")
    String list(Model model) {
        model.addAttribute("flows", flows.list());
        return "automation/flows";
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/automation/flows/new")
    String newFlow(Model model) {
        model.addAttribute("name", "");
        model.addAttribute("keywords", "");
        model.addAttribute("error", null);
        return "automation/flow-new";
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/flows")
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String keywords, Model model,
                  HttpServletResponse response, RedirectAttributes redirect) {
        try {
            Flow flow = flows.create(new Flows.Changes(name, Flows.keywords(keywords), false, Flows.starterDraft(Text.t("automation.flows.starter"))));
            Notices.success(redirect, "automation.flows.created", flow.name());
            return "redirect:/automation/flows/" + flow.id();
        } catch (UserError e) {
            response.setStatus(e.status().value());
            model.addAttribute("name", name);
            model.addAttribute("keywords", keywords);
            model.addAttribute("error", e.text());
            return "automation/flow-new";
        }
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/automation/flows/{id}")
    String edit(@PathVariable String id, Model model) {
        Flow flow = flows.get(Ids.parseOrNotFound(id));
        model.addAttribute("editor", editor(flow, flow.name(), String.join(", ", flow.keywords()), flow.adEntry(), flow.draft(), List.of()));
        return "automation/flow";
    }

    /** Saves the draft, or (with {@code add} or {@code remove}) changes the steps on the page without saving. */
    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/flows/{id}")
    String save(@PathVariable String id, @RequestParam Map<String, String> form, Model model, HttpServletResponse response,
                RedirectAttributes redirect) {
        Flow flow = flows.get(Ids.parseOrNotFound(id));
        String name = form.getOrDefault("name", "");
        String keywords = form.getOrDefault("keywords", "");
        boolean adEntry = form.containsKey("adEntry");
        String add = "add".equals(form.get("action")) ? form.getOrDefault("addType", "send") : null;
        int remove = -1;
        try {
            remove = form.containsKey("remove") ? Integer.parseInt(form.get("remove")) : -1;
        } catch (NumberFormatException ignored) {
            // no step removed
        }
        FlowDefinition draft = FlowForm.read(form, remove, add);
        if (add != null || remove >= 0) {
            model.addAttribute("editor", editor(flow, name, keywords, adEntry, draft, List.of()));
            return "automation/flow";
        }
        try {
            flows.update(flow.id(), new Flows.Changes(name, Flows.keywords(keywords), adEntry, draft));
            Notices.success(redirect, "automation.flows.saved", name.strip());
            return "redirect:/automation/flows/" + flow.id();
        } catch (FlowProblems e) {
            response.setStatus(e.status().value());
            model.addAttribute("editor", editor(flow, name, keywords, adEntry, draft, e.texts()));
            return "automation/flow";
        } catch (UserError e) {
            response.setStatus(e.status().value());
            model.addAttribute("editor", editor(flow, name, keywords, adEntry, draft, List.of(e.text())));
            return "automation/flow";
        }
    }

    /** The drawing of the flow as the form has it now, for redrawing it while one edits (the SVG's texts are escaped). */
    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping(value = "/automation/flows/{id}/diagram", produces = "text/html")
    @ResponseBody
    String diagram(@PathVariable String id, @RequestParam Map<String, String> form) {
        Flow flow = flows.get(Ids.parseOrNotFound(id));
        String name = form.getOrDefault("name", flow.name());
        return FlowDiagram.svg(FlowForm.read(form, -1, null), Text.t("automation.flows.diagram.title", name));
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/flows/{id}/publish")
    String publish(@PathVariable String id, RedirectAttributes redirect) {
        Flow flow = flows.get(Ids.parseOrNotFound(id));
        try {
            int version = flows.publish(flow.id());
            Notices.success(redirect, "automation.flows.published", flow.name(), version);
        } catch (FlowProblems e) {
            Notices.warning(redirect, "automation.flows.not-published", String.join(" ", e.texts()));
        }
        return "redirect:/automation/flows/" + flow.id();
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/automation/flows/{id}/delete")
    String delete(@PathVariable String id, RedirectAttributes redirect) {
        Flow flow = flows.get(Ids.parseOrNotFound(id));
        flows.delete(flow.id());
        Notices.success(redirect, "automation.flows.deleted", flow.name());
        return "redirect:/automation/flows";
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/automation/flows/{id}/runs/{runId}")
    String run(@PathVariable String id, @PathVariable String runId, Model model) {
        Flow flow = flows.get(Ids.parseOrNotFound(id));
        FlowRun run = runs.find(Ids.parseOrNotFound(runId)).filter(r -> r.flowId().equals(flow.id())).orElseThrow(NotFoundException::new);
        model.addAttribute("flow", flow);
        model.addAttribute("run", run);
        model.addAttribute("steps", runs.steps(run.id()));
        return "automation/flow-run";
    }

    private FlowEditor editor(Flow flow, String name, String keywords, boolean adEntry, FlowDefinition draft, List<String> problems) {
        UUID id = flow.id();
        return new FlowEditor(id, name, keywords, adEntry, draft, problems, flow.publishedVersion(), flows.versions(id), runs.counts(id),
                runs.ofFlow(id, 20), inbox.teams());
    }
}
