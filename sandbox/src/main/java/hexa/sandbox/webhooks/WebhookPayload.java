package hexa.sandbox.webhooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assembles events into Meta's envelope: one {@code entry} per WABA, one {@code changes} item per
 * number and kind (messages with their contacts, statuses), as in the batch example Meta's
 * behaviour implies.
 */
public final class WebhookPayload {

    private WebhookPayload() {
    }

    public static ObjectNode assemble(JsonMapper json, List<WebhookEvent> events, long unixSeconds) {
        Map<String, List<WebhookEvent>> byWaba = new LinkedHashMap<>();
        for (WebhookEvent event : events) {
            byWaba.computeIfAbsent(event.wabaId(), k -> new ArrayList<>()).add(event);
        }
        ObjectNode root = json.createObjectNode();
        root.put("object", "whatsapp_business_account");
        ArrayNode entries = root.putArray("entry");
        for (Map.Entry<String, List<WebhookEvent>> waba : byWaba.entrySet()) {
            ObjectNode entry = entries.addObject();
            entry.put("id", waba.getKey());
            boolean hasTemplateEvents = waba.getValue().stream().anyMatch(e -> e.listName() == null);
            if (hasTemplateEvents) {
                entry.put("time", unixSeconds);
            }
            ArrayNode changes = entry.putArray("changes");
            Map<String, ObjectNode> valuesByKey = new LinkedHashMap<>();
            Map<String, Set<String>> contactKeys = new LinkedHashMap<>();
            for (WebhookEvent event : waba.getValue()) {
                String key = event.changeKey();
                if (key == null) {
                    ObjectNode change = changes.addObject();
                    change.set("value", event.item());
                    change.put("field", event.field());
                    continue;
                }
                ObjectNode value = valuesByKey.get(key);
                if (value == null) {
                    ObjectNode change = changes.addObject();
                    value = change.putObject("value");
                    change.put("field", event.field());
                    value.put("messaging_product", "whatsapp");
                    ObjectNode metadata = value.putObject("metadata");
                    metadata.put("display_phone_number", event.displayPhoneNumber());
                    metadata.put("phone_number_id", event.phoneNumberId());
                    if (event.contact() != null) {
                        value.putArray("contacts");
                    }
                    value.putArray(event.listName());
                    valuesByKey.put(key, value);
                    contactKeys.put(key, new LinkedHashSet<>());
                }
                if (event.contact() != null && contactKeys.get(key).add(contactKey(event.contact()))) {
                    ((ArrayNode) value.get("contacts")).add(event.contact());
                }
                ((ArrayNode) value.get(event.listName())).add(event.item());
            }
        }
        return root;
    }

    private static String contactKey(ObjectNode contact) {
        JsonNode waId = contact.get("wa_id");
        JsonNode userId = contact.get("user_id");
        return (waId == null ? "" : waId.asString()) + "|" + (userId == null ? "" : userId.asString());
    }

    /**
     * Serialises with every non-ASCII character as a {@code \\uXXXX} escape, as Meta's older docs
     * say it signs: receivers that re-encode the body before checking the signature fail loudly.
     */
    public static byte[] bytes(JsonMapper json, JsonNode payload) {
        String text = json.writeValueAsString(payload);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
