package hexa.whatsapp;

import static hexa.whatsapp.JsonFields.text;

import tools.jackson.databind.JsonNode;

/**
 * What a customer tapped: a reply button or a list row of an interactive message ({@code button_reply},
 * {@code list_reply}: the id the business gave it and its title), or a template's quick-reply button
 * ({@code button}: its payload and text). Rules branch on the id or payload, which the customer cannot change.
 *
 * @param kind {@code button_reply}, {@code list_reply} or {@code button}
 * @param id the reply's id ({@code button_reply}, {@code list_reply}); null for a template button
 * @param payload the template button's payload; null otherwise
 */
public record InteractiveReply(String kind, String id, String title, String description, String payload) {

    /** The reply of one of Meta's message objects, or null when it is none of these. */
    static InteractiveReply of(JsonNode message) {
        String type = text(message, "type");
        JsonNode object = message.path(type);
        if ("button".equals(type) && object.isObject()) {
            return new InteractiveReply("button", null, blankToNull(text(object, "text")), null, blankToNull(text(object, "payload")));
        }
        if ("interactive".equals(type)) {
            for (String kind : new String[] {"button_reply", "list_reply"}) {
                JsonNode reply = object.get(kind);
                if (reply != null && reply.isObject()) {
                    return new InteractiveReply(kind, blankToNull(text(reply, "id")), blankToNull(text(reply, "title")),
                            blankToNull(text(reply, "description")), null);
                }
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
