package hexa.audit;

import hexa.platform.web.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A recorded event as Owners and Admins browse it. */
public record AuditEvent(UUID id, Instant occurredAt, AuditActor.Kind actorKind, UUID actorId, String actorName,
                         String action, String targetType, String targetId, String targetName, String details,
                         String ipAddress, String userAgent) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The action in words ("Role changed"); an action without words of its own shows its code. */
    public static String label(String action) {
        String key = "audit.action." + action;
        String text = Text.t(key);
        return key.equals(text) ? action : text;
    }

    public String actionLabel() {
        return label(action);
    }

    /** The details as "name: value" lines, in the order they were recorded; none for an empty object. */
    public List<String> detailLines() {
        List<String> lines = new ArrayList<>();
        if (details == null || details.isBlank()) {
            return lines;
        }
        try {
            JsonNode root = JSON.readTree(details);
            if (!root.isObject()) {
                lines.add(details);
                return lines;
            }
            for (var field : root.properties()) {
                JsonNode value = field.getValue();
                lines.add(field.getKey() + ": " + (value.isValueNode() ? value.asString() : value.toString()));
            }
        } catch (JacksonException e) {
            lines.add(details);
        }
        return lines;
    }
}
