package hexa.automation.flows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A chatbot flow: a graph of steps, each with an id, starting at {@code start}. The same shape is the flow's draft, a
 * published version (immutable), and the JSON of the API.
 *
 * <p>Step types: {@code send} (a message, then {@code next}), {@code ask} (a message, then wait for the answer at most
 * {@code timeoutMinutes}; {@code next} takes the answer, {@code onTimeout} the silence), {@code branch} (the last answer
 * against {@code routes}, else {@code otherwise}), {@code save} (the last answer into the contact's {@code attribute},
 * and/or {@code tag} added), {@code webhook} (POST the answers to {@code url}: success to {@code next}, failure to
 * {@code onFailure}), {@code handover} (to {@code teamId}, with the answers as a private note) and {@code end}.
 */
public record FlowDefinition(String start, List<Step> steps) {

    public static final List<String> TYPES = List.of("send", "ask", "branch", "save", "webhook", "handover", "end");
    public static final List<String> MESSAGE_KINDS = List.of("text", "buttons", "list", "media", "template");
    public static final List<String> ROUTE_KINDS = List.of("reply", "keyword", "pattern", "field");
    static final int MAX_STEPS = 100;
    static final Pattern STEP_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    public FlowDefinition {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public static FlowDefinition empty() {
        return new FlowDefinition(null, List.of());
    }

    /** One step; only the fields of its type are used. */
    public record Step(String id, String type, Message message, String next, Integer timeoutMinutes, String onTimeout, List<Route> routes,
                       String otherwise, String attribute, String tag, String url, String onFailure, String teamId) {

        public Step {
            routes = routes == null ? List.of() : List.copyOf(routes);
        }

        /** The steps this one can lead to, with the label of the arrow. */
        public List<Link> links() {
            List<Link> links = new ArrayList<>();
            switch (type == null ? "" : type) {
                case "send", "save" -> add(links, "", next);
                case "ask" -> {
                    add(links, "answer", next);
                    add(links, "timeout", onTimeout);
                }
                case "branch" -> {
                    for (Route route : routes) {
                        add(links, route.label(), route.next());
                    }
                    add(links, "otherwise", otherwise);
                }
                case "webhook" -> {
                    add(links, "success", next);
                    add(links, "failure", onFailure);
                }
                default -> {
                }
            }
            return links;
        }

        private static void add(List<Link> links, String label, String to) {
            if (to != null && !to.isBlank()) {
                links.add(new Link(label, to));
            }
        }
    }

    /** An arrow of the graph. */
    public record Link(String label, String to) {
    }

    /**
     * What a {@code send} or {@code ask} step sends: a text; reply buttons (up to 3) or a list (rows, opened by
     * {@code listButton}) under a text; a media upload ({@code mediaKind}, {@code mediaId}, the text as caption); or an
     * approved template with its body parameters. Texts may name answers: {@code {answer}} (the last one) or
     * {@code {stepId}} (the answer to that step).
     */
    public record Message(String kind, String text, List<Choice> choices, String listButton, String mediaKind, String mediaId, String template,
                          String language, List<String> parameters) {
        public Message {
            choices = choices == null ? List.of() : List.copyOf(choices);
            parameters = parameters == null ? List.of() : List.copyOf(parameters);
        }

        public static Message text(String text) {
            return new Message("text", text, List.of(), null, null, null, null, null, List.of());
        }
    }

    /** A reply button or a list row: the id its answer brings back, the title shown. */
    public record Choice(String id, String title) {
    }

    /**
     * A branch's route: {@code reply} (the button or list row tapped has the id {@code value}), {@code keyword} (the
     * answer is one of the comma-separated words), {@code pattern} (the answer matches the regular expression),
     * {@code field} (the WhatsApp Flow form's {@code field} has the value, or any value when none is given).
     */
    public record Route(String on, String value, String field, String next) {
        String label() {
            return "field".equals(on) ? field + (value == null || value.isBlank() ? "" : "=" + value) : value == null ? "" : value;
        }
    }

    public Step step(String id) {
        for (Step step : steps) {
            if (step.id() != null && step.id().equals(id)) {
                return step;
            }
        }
        return null;
    }

    /** A problem of the definition: the message key and its arguments. */
    public record Problem(String key, List<Object> args) {
        static Problem of(String key, Object... args) {
            return new Problem(key, List.of(args));
        }
    }

    /**
     * What stops it from being published: steps without ids or with the same id, unknown types, branches to no step or an
     * unknown one, dead ends (a step that is not an end or a handover must lead on), steps no path reaches, messages
     * with nothing to send. Empty when it is sound.
     */
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        if (steps.isEmpty()) {
            problems.add(Problem.of("automation.flows.problem.no-steps"));
            return problems;
        }
        if (steps.size() > MAX_STEPS) {
            problems.add(Problem.of("automation.flows.problem.too-many", MAX_STEPS));
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Step step : steps) {
            if (step.id() == null || !STEP_ID.matcher(step.id()).matches()) {
                problems.add(Problem.of("automation.flows.problem.id-invalid", step.id() == null ? "" : step.id()));
            } else if (!ids.add(step.id())) {
                problems.add(Problem.of("automation.flows.problem.id-twice", step.id()));
            }
        }
        if (start == null || !ids.contains(start)) {
            problems.add(Problem.of("automation.flows.problem.start-unknown", start == null ? "" : start));
        }
        for (Step step : steps) {
            String id = step.id() == null ? "" : step.id();
            if (!TYPES.contains(step.type())) {
                problems.add(Problem.of("automation.flows.problem.type-unknown", id, step.type() == null ? "" : step.type()));
                continue;
            }
            for (Link link : step.links()) {
                if (!ids.contains(link.to())) {
                    problems.add(Problem.of("automation.flows.problem.next-unknown", id, link.to()));
                }
            }
            switch (step.type()) {
                case "send", "save" -> requireNext(problems, id, step.next());
                case "ask" -> {
                    requireNext(problems, id, step.next());
                    if (step.timeoutMinutes() != null && (step.timeoutMinutes() < 1 || step.timeoutMinutes() > 7 * 24 * 60)) {
                        problems.add(Problem.of("automation.flows.problem.timeout-invalid", id));
                    }
                }
                case "branch" -> {
                    if (blank(step.otherwise())) {
                        problems.add(Problem.of("automation.flows.problem.otherwise-missing", id));
                    }
                    for (Route route : step.routes()) {
                        if (!ROUTE_KINDS.contains(route.on())) {
                            problems.add(Problem.of("automation.flows.problem.route-invalid", id, route.on() == null ? "" : route.on()));
                        } else if (blank(route.next())) {
                            problems.add(Problem.of("automation.flows.problem.route-nowhere", id, route.label()));
                        } else if ("pattern".equals(route.on())) {
                            try {
                                Pattern.compile(route.value() == null ? "" : route.value());
                            } catch (PatternSyntaxException e) {
                                problems.add(Problem.of("automation.flows.problem.pattern-invalid", id, route.value()));
                            }
                        } else if ("field".equals(route.on()) && blank(route.field())) {
                            problems.add(Problem.of("automation.flows.problem.field-missing", id));
                        } else if (!"field".equals(route.on()) && blank(route.value())) {
                            problems.add(Problem.of("automation.flows.problem.value-missing", id));
                        }
                    }
                }
                case "webhook" -> {
                    requireNext(problems, id, step.next());
                    if (blank(step.onFailure())) {
                        problems.add(Problem.of("automation.flows.problem.failure-nowhere", id));
                    }
                    if (step.url() == null || !step.url().matches("https?://\\S+")) {
                        problems.add(Problem.of("automation.flows.problem.url-invalid", id));
                    }
                }
                case "handover" -> {
                    if (blank(step.teamId())) {
                        problems.add(Problem.of("automation.flows.problem.team-missing", id));
                    }
                }
                default -> {
                }
            }
            if ("save".equals(step.type()) && blank(step.attribute()) && blank(step.tag())) {
                problems.add(Problem.of("automation.flows.problem.save-nothing", id));
            }
            if ("send".equals(step.type()) || "ask".equals(step.type())) {
                messageProblems(problems, id, step.message());
            }
        }
        if (start != null && ids.contains(start)) {
            Set<String> reached = reachable();
            for (String id : ids) {
                if (!reached.contains(id)) {
                    problems.add(Problem.of("automation.flows.problem.unreachable", id));
                }
            }
        }
        return problems;
    }

    private static void messageProblems(List<Problem> problems, String id, Message message) {
        if (message == null || !MESSAGE_KINDS.contains(message.kind())) {
            problems.add(Problem.of("automation.flows.problem.message-missing", id));
            return;
        }
        switch (message.kind()) {
            case "template" -> {
                if (blank(message.template()) || blank(message.language())) {
                    problems.add(Problem.of("automation.flows.problem.template-missing", id));
                }
            }
            case "media" -> {
                if (blank(message.mediaId()) || blank(message.mediaKind())) {
                    problems.add(Problem.of("automation.flows.problem.media-missing", id));
                }
            }
            default -> {
                if (blank(message.text())) {
                    problems.add(Problem.of("automation.flows.problem.text-missing", id));
                }
            }
        }
        if ("buttons".equals(message.kind()) && (message.choices().isEmpty() || message.choices().size() > 3)) {
            problems.add(Problem.of("automation.flows.problem.buttons-count", id));
        }
        if ("list".equals(message.kind()) && (message.choices().isEmpty() || message.choices().size() > 10 || blank(message.listButton()))) {
            problems.add(Problem.of("automation.flows.problem.list-invalid", id));
        }
        Set<String> choiceIds = new LinkedHashSet<>();
        for (Choice choice : message.choices()) {
            if (blank(choice.id()) || blank(choice.title()) || !choiceIds.add(choice.id())) {
                problems.add(Problem.of("automation.flows.problem.choice-invalid", id));
                break;
            }
        }
    }

    private static void requireNext(List<Problem> problems, String id, String next) {
        if (blank(next)) {
            problems.add(Problem.of("automation.flows.problem.dead-end", id));
        }
    }

    /** The ids of the steps some path from the start reaches, in the order found (breadth first). */
    public Set<String> reachable() {
        Set<String> seen = new LinkedHashSet<>();
        List<String> queue = new ArrayList<>();
        if (start != null && step(start) != null) {
            queue.add(start);
            seen.add(start);
        }
        for (int i = 0; i < queue.size(); i++) {
            Step step = step(queue.get(i));
            for (Link link : step.links()) {
                if (step(link.to()) != null && seen.add(link.to())) {
                    queue.add(link.to());
                }
            }
        }
        return seen;
    }

    /** Each step's layer for drawing: its distance from the start; steps no path reaches come last. */
    public Map<String, Integer> layers() {
        Map<String, Integer> layers = new LinkedHashMap<>();
        List<String> queue = new ArrayList<>();
        if (start != null && step(start) != null) {
            queue.add(start);
            layers.put(start, 0);
        }
        for (int i = 0; i < queue.size(); i++) {
            Step step = step(queue.get(i));
            for (Link link : step.links()) {
                if (step(link.to()) != null && !layers.containsKey(link.to())) {
                    layers.put(link.to(), layers.get(queue.get(i)) + 1);
                    queue.add(link.to());
                }
            }
        }
        int last = layers.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        for (Step step : steps) {
            if (step.id() != null) {
                layers.putIfAbsent(step.id(), last);
            }
        }
        return layers;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
