package hexa.automation.flows;

import hexa.inbox.Team;
import hexa.platform.web.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the editor page shows: the flow as typed (name, keywords, the draft), the problems of the last save, the drawing,
 * the versions, the per-step counts and the latest runs.
 */
public record FlowEditor(UUID id, String name, String keywords, boolean adEntry, FlowDefinition draft, List<String> problems, Integer publishedVersion,
                         List<Flow.Version> versions, Map<String, FlowRun.StepCount> counts, List<FlowRun> runs, List<Team> teams) {

    /** The drawing of the draft, as SVG markup (every text in it escaped). */
    public String diagram() {
        return FlowDiagram.svg(draft, Text.t("automation.flows.diagram.title", name == null ? "" : name));
    }

    public List<String> stepIds() {
        return draft.steps().stream().map(FlowDefinition.Step::id).filter(id -> id != null).toList();
    }

    public String choicesText(FlowDefinition.Step step) {
        return FlowForm.choicesText(step);
    }

    public String parametersText(FlowDefinition.Step step) {
        return step.message() == null ? "" : String.join("\n", step.message().parameters());
    }

    public String messageKind(FlowDefinition.Step step) {
        return step.message() == null || step.message().kind() == null ? "text" : step.message().kind();
    }

    public String messageText(FlowDefinition.Step step) {
        return step.message() == null || step.message().text() == null ? "" : step.message().text();
    }

    public String messageField(FlowDefinition.Step step, String field) {
        FlowDefinition.Message m = step.message();
        if (m == null) {
            return "";
        }
        String value = switch (field) {
            case "listButton" -> m.listButton();
            case "mediaKind" -> m.mediaKind();
            case "mediaId" -> m.mediaId();
            case "template" -> m.template();
            case "language" -> m.language();
            default -> null;
        };
        return value == null ? "" : value;
    }

    /** The branch's routes and one empty row to add another. */
    public List<FlowDefinition.Route> routeRows(FlowDefinition.Step step) {
        List<FlowDefinition.Route> rows = new ArrayList<>(step.routes());
        if (rows.size() < FlowForm.MAX_ROUTES) {
            rows.add(new FlowDefinition.Route("reply", null, null, null));
        }
        return rows;
    }

    public FlowRun.StepCount count(String stepId) {
        return counts.getOrDefault(stepId, new FlowRun.StepCount(stepId, 0, 0, 0));
    }

    public static String or(String value) {
        return value == null ? "" : value;
    }
}
