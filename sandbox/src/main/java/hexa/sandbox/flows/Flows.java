package hexa.sandbox.flows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.WhatsAppIds;
import hexa.sandbox.graph.GraphError;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * WhatsApp Flows per WABA, created through {@code POST /{waba-id}/flows}. Every WABA also starts with two published
 * Flows of the sandbox's own, {@code order_status} and {@code feedback}, so that a flow message can be tried (and
 * demonstrated) at once, by {@code flow_name}. A Flow is sent by id or name; the simulator shows the screen a message
 * opens as a form ({@link Flow#form}).
 *
 * <p>Meta creates a Flow whose Flow JSON has errors as a draft listing {@code validation_errors}; the sandbox refuses
 * it at once (100) instead, naming the error.
 *
 * <p>Named apart: mounted in the app, a bean called "flows" would clash with the automation module's chatbot flows.
 */
@Component("sandboxFlows")
public class Flows {

    static final Set<String> CATEGORIES = Set.of("SIGN_UP", "SIGN_IN", "APPOINTMENT_BOOKING", "LEAD_GENERATION", "CONTACT_US",
            "CUSTOMER_SUPPORT", "SURVEY", "SHOPPING", "OTHER");

    private final Map<String, List<Flow>> byWaba = new ConcurrentHashMap<>();
    private final WhatsAppIds ids;

    public Flows(WhatsAppIds ids) {
        this.ids = ids;
    }

    public List<Flow> of(String wabaId) {
        return byWaba.computeIfAbsent(wabaId, this::withStarterFlows);
    }

    /** Creates a Flow: {@code name}, {@code categories}, optionally {@code flow_json} (its text) and {@code publish}. */
    public Flow create(String wabaId, JsonNode request) {
        String name = SandboxJson.text(request, "name");
        if (name == null || name.isBlank()) {
            throw GraphError.requiredParameter("name");
        }
        JsonNode categories = request.get("categories");
        if (categories == null || !categories.isArray() || categories.isEmpty()) {
            throw GraphError.requiredParameter("categories");
        }
        List<String> categoryNames = new ArrayList<>();
        for (JsonNode category : categories) {
            if (!category.isString() || !CATEGORIES.contains(category.asString())) {
                throw GraphError.invalidParameter("categories must be some of " + new java.util.TreeSet<>(CATEGORIES));
            }
            categoryNames.add(category.asString());
        }
        JsonNode given = request.get("flow_json");
        JsonNode flowJson = given == null || given.isNull() ? null : flowJson(given);
        boolean publish = request.path("publish").asBoolean(false);
        if (publish && flowJson == null) {
            throw GraphError.invalidParameter("A Flow without Flow JSON cannot be published.");
        }
        List<Flow> flows = of(wabaId);
        synchronized (flows) {
            if (flows.stream().anyMatch(f -> f.name().equals(name))) {
                throw GraphError.invalidParameter("A Flow named \"" + name + "\" already exists in this WhatsApp Business Account.");
            }
            Flow flow = new Flow(ids.objectId(), wabaId, name, List.copyOf(categoryNames), publish ? "PUBLISHED" : "DRAFT",
                    flowJson == null ? SandboxJson.object().put("version", "7.1").set("screens", SandboxJson.MAPPER.createArrayNode()) : flowJson);
            flows.add(flow);
            return flow;
        }
    }

    /**
     * The Flow a message opens, named by its {@code parameters} ({@code flow_id} or {@code flow_name}), as the
     * simulator shows it; a Flow that does not exist, is a draft sent as published, or lacks the screen named is 131009.
     */
    public ObjectNode formFor(String wabaId, JsonNode parameters) {
        String flowId = SandboxJson.text(parameters, "flow_id");
        String flowName = SandboxJson.text(parameters, "flow_name");
        Optional<Flow> found = of(wabaId).stream()
                .filter(f -> flowId != null ? f.id().equals(flowId) : f.name().equals(flowName))
                .findFirst();
        Flow flow = found.orElseThrow(() -> flowId != null
                ? GraphError.invalidValue("interactive.action.parameters.flow_id", "no Flow " + flowId + " in this WhatsApp Business Account")
                : GraphError.invalidValue("interactive.action.parameters.flow_name", "no Flow named " + flowName + " in this WhatsApp Business Account"));
        String mode = SandboxJson.text(parameters, "mode");
        if (!flow.published() && !"draft".equals(mode)) {
            throw GraphError.invalidValue("interactive.action.parameters.mode", "the Flow is a draft; send it with mode draft, or publish it");
        }
        JsonNode payload = parameters.get("flow_action_payload");
        String screen = payload == null ? null : SandboxJson.text(payload, "screen");
        if (screen == null) {
            screen = flow.firstScreen();
        } else if (!flow.hasScreen(screen)) {
            throw GraphError.invalidValue("interactive.action.parameters.flow_action_payload.screen", "the Flow has no screen " + screen);
        }
        if (screen == null) {
            throw GraphError.invalidValue("interactive.action.parameters.flow_id", "the Flow has no screens yet");
        }
        return flow.form(screen, SandboxJson.text(parameters, "flow_token"), payload == null ? null : payload.get("data"));
    }

    private static JsonNode flowJson(JsonNode given) {
        JsonNode json;
        if (given.isString()) {
            try {
                json = SandboxJson.MAPPER.readTree(given.asString());
            } catch (JacksonException e) {
                throw GraphError.invalidParameter("flow_json is not valid JSON.");
            }
        } else {
            json = given;
        }
        if (!json.isObject() || SandboxJson.text(json, "version") == null) {
            throw GraphError.invalidParameter("Invalid Flow JSON: the property \"version\" is required.");
        }
        JsonNode screens = json.get("screens");
        if (screens == null || !screens.isArray() || screens.isEmpty()) {
            throw GraphError.invalidParameter("Invalid Flow JSON: \"screens\" must list at least one screen.");
        }
        for (JsonNode screen : screens) {
            if (SandboxJson.text(screen, "id") == null || !screen.path("layout").path("children").isArray()) {
                throw GraphError.invalidParameter("Invalid Flow JSON: every screen needs an \"id\" and a \"layout\" with \"children\".");
            }
        }
        return json;
    }

    private List<Flow> withStarterFlows(String wabaId) {
        List<Flow> flows = new CopyOnWriteArrayList<>();
        flows.add(new Flow(ids.objectId(), wabaId, "order_status", List.of("CUSTOMER_SUPPORT"), "PUBLISHED", parse(ORDER_STATUS)));
        flows.add(new Flow(ids.objectId(), wabaId, "feedback", List.of("SURVEY"), "PUBLISHED", parse(FEEDBACK)));
        return flows;
    }

    private static JsonNode parse(String json) {
        return SandboxJson.MAPPER.readTree(json);
    }

    private static final String ORDER_STATUS = """
            {"version": "7.1", "screens": [{"id": "ORDER", "title": "Order status", "terminal": true,
              "layout": {"type": "SingleColumnLayout", "children": [
                {"type": "TextInput", "name": "order_number", "label": "Order number", "input-type": "text", "required": true},
                {"type": "Dropdown", "name": "topic", "label": "What is it about?", "required": true, "data-source": [
                  {"id": "where", "title": "Where is my order?"},
                  {"id": "change", "title": "Change my order"},
                  {"id": "cancel", "title": "Cancel my order"}]},
                {"type": "Footer", "label": "Send", "on-click-action": {"name": "complete",
                  "payload": {"order_number": "${form.order_number}", "topic": "${form.topic}"}}}]}}]}
            """;

    private static final String FEEDBACK = """
            {"version": "7.1", "screens": [{"id": "RATE", "title": "Your feedback", "terminal": true,
              "layout": {"type": "SingleColumnLayout", "children": [
                {"type": "RadioButtonsGroup", "name": "rating", "label": "How did we do?", "required": true, "data-source": [
                  {"id": "5", "title": "Excellent"}, {"id": "4", "title": "Good"}, {"id": "3", "title": "Average"},
                  {"id": "2", "title": "Poor"}, {"id": "1", "title": "Very poor"}]},
                {"type": "TextArea", "name": "comment", "label": "Anything to add?", "required": false},
                {"type": "Footer", "label": "Send", "on-click-action": {"name": "complete",
                  "payload": {"rating": "${form.rating}", "comment": "${form.comment}"}}}]}}]}
            """;
}
