package hexa.whatsapp;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A message template of a WhatsApp Business Account: only APPROVED ones can be sent. */
public record Template(UUID id, String wabaId, String metaId, String name, String language, String category, String status,
                       String rejectedReason, String components, Instant syncedAt) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern PARAMETER = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    /** The text of the template's body, with its {{n}} placeholders. */
    public String bodyText() {
        for (JsonNode component : JSON.readTree(components)) {
            if ("BODY".equalsIgnoreCase(component.path("type").asString(""))) {
                return component.path("text").asString("");
            }
        }
        return "";
    }

    /** How many parameters ({{1}}, {{2}} …) the body takes. */
    public int bodyParameterCount() {
        Set<String> seen = new HashSet<>();
        Matcher parameter = PARAMETER.matcher(bodyText());
        while (parameter.find()) {
            seen.add(parameter.group(1));
        }
        return seen.size();
    }
}
