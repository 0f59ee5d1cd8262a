package hexa.automation.flows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The editor's form, read back into a definition exactly as typed (so that a draft with problems comes back to the
 * person as they wrote it): {@code steps[i].field}, a branch's routes as {@code steps[i].routes[j].field}, buttons and
 * list rows one a line as {@code id | title}.
 */
final class FlowForm {

    static final int MAX_FORM_STEPS = FlowDefinition.MAX_STEPS + 5;
    static final int MAX_ROUTES = 10;

    private FlowForm() {
    }

    /** The definition in the form, without the step at {@code removed} (-1: none), with a new step of {@code added} type (null: none). */
    static FlowDefinition read(Map<String, String> form, int removed, String added) {
        List<FlowDefinition.Step> steps = new ArrayList<>();
        for (int i = 0; i < MAX_FORM_STEPS; i++) {
            String p = "steps[" + i + "].";
            if (!form.containsKey(p + "type") || i == removed) {
                continue;
            }
            List<FlowDefinition.Route> routes = new ArrayList<>();
            for (int j = 0; j < MAX_ROUTES; j++) {
                String r = p + "routes[" + j + "].";
                String value = value(form, r + "value");
                String field = value(form, r + "field");
                String next = value(form, r + "next");
                if (value != null || field != null || next != null) {
                    routes.add(new FlowDefinition.Route(value(form, r + "on"), value, field, next));
                }
            }
            String type = value(form, p + "type");
            FlowDefinition.Message message = null;
            if ("send".equals(type) || "ask".equals(type)) {
                message = new FlowDefinition.Message(value(form, p + "kind") == null ? "text" : value(form, p + "kind"), value(form, p + "text"),
                        choices(form.get(p + "choices")), value(form, p + "listButton"), value(form, p + "mediaKind"), value(form, p + "mediaId"),
                        value(form, p + "template"), value(form, p + "language"), lines(form.get(p + "parameters")));
            }
            steps.add(new FlowDefinition.Step(value(form, p + "id"), type, message, value(form, p + "next"), minutes(form.get(p + "timeoutMinutes")),
                    value(form, p + "onTimeout"), routes, value(form, p + "otherwise"), value(form, p + "attribute"), value(form, p + "tag"),
                    value(form, p + "url"), value(form, p + "onFailure"), value(form, p + "teamId")));
        }
        String start = value(form, "start");
        if (added != null && FlowDefinition.TYPES.contains(added)) {
            String id = added + "-" + (steps.size() + 1);
            for (int n = steps.size() + 2; contains(steps, id); n++) {
                id = added + "-" + n;
            }
            FlowDefinition.Message message = "send".equals(added) || "ask".equals(added) ? FlowDefinition.Message.text("") : null;
            steps.add(new FlowDefinition.Step(id, added, message, null, null, null, List.of(), null, null, null, null, null, null));
            if (start == null) {
                start = id;
            }
        }
        if ((start == null || !contains(steps, start)) && !steps.isEmpty()) {
            start = steps.get(0).id();
        }
        return new FlowDefinition(start, steps);
    }

    private static boolean contains(List<FlowDefinition.Step> steps, String id) {
        return steps.stream().anyMatch(s -> id.equals(s.id()));
    }

    private static String value(Map<String, String> form, String name) {
        String v = form.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Integer minutes(String typed) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(typed.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static List<String> lines(String text) {
        return text == null ? List.of() : text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code id | title} a line; a line without an id takes one made of its title. */
    static List<FlowDefinition.Choice> choices(String text) {
        List<FlowDefinition.Choice> choices = new ArrayList<>();
        for (String line : lines(text)) {
            int bar = line.indexOf('|');
            String id = bar < 0 ? line.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "") : line.substring(0, bar).strip();
            String title = bar < 0 ? line : line.substring(bar + 1).strip();
            choices.add(new FlowDefinition.Choice(id, title));
        }
        return choices;
    }

    /** The buttons or rows as the form shows them. */
    static String choicesText(FlowDefinition.Step step) {
        if (step.message() == null) {
            return "";
        }
        return String.join("\n", step.message().choices().stream().map(c -> c.id() + " | " + c.title()).toList());
    }
}
