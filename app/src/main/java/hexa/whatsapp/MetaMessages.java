package hexa.whatsapp;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The small parts every Meta message object shares, for {@link MessageToSend}: its "type" and a quoted message. */
final class MetaMessages {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private MetaMessages() {
    }

    static ObjectNode typed(String type) {
        return MAPPER.createObjectNode().put("type", type);
    }

    static void quoting(ObjectNode message, String replyToWamid) {
        if (replyToWamid != null && !replyToWamid.isBlank()) {
            message.putObject("context").put("message_id", replyToWamid.strip());
        }
    }
}
