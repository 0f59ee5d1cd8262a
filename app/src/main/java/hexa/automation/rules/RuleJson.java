package hexa.automation.rules;

import hexa.platform.web.UserError;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rule's parts as JSON: the JSONB columns of {@code automation_rules} and the log's action results, and a rule
 * written by an integrator ({@code /api/v1/automation/rules}), whose mistakes of shape are answered in plain words.
 */
final class RuleJson {

    static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private RuleJson() {
    }

    static String write(Object value) {
        return JSON.writeValueAsString(value);
    }

    static Rule.Trigger trigger(String json) {
        return JSON.readValue(json, Rule.Trigger.class);
    }

    static List<Rule.Condition> conditions(String json) {
        return JSON.readValue(json, new TypeReference<List<Rule.Condition>>() { });
    }

    static List<Rule.Action> actions(String json) {
        return JSON.readValue(json, new TypeReference<List<Rule.Action>>() { });
    }

    static List<RuleLog.ActionResult> results(String json) {
        return JSON.readValue(json, new TypeReference<List<RuleLog.ActionResult>>() { });
    }

    /** A rule as an integrator wrote it; a field of the wrong shape or an unknown name is a 400 naming it. */
    static Rule read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw UserError.invalid("automation.rules.invalid.json", "(the body)", "a JSON object is expected");
        }
        try {
            return JSON.treeToValue(body, Rule.class);
        } catch (DatabindException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("(the body)");
            throw UserError.invalid("automation.rules.invalid.json", path, e.getOriginalMessage());
        } catch (JacksonException e) {
            throw UserError.invalid("automation.rules.invalid.json", "(the body)", e.getOriginalMessage());
        }
    }
}
