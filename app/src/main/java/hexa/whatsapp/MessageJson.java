package hexa.whatsapp;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A message as the API shows it, wherever it is listed (by id, by WhatsApp id, in a conversation): Meta's own
 * message object as {@code content}, with our id, direction, status and Meta's error when it failed.
 */
public record MessageJson(UUID id, UUID conversationId, UUID contactId, String direction, String type, JsonNode content,
                          String text, String status, String whatsappId, String replyTo, Integer errorCode, String errorTitle,
                          String errorText, Instant sentAt, Instant statusAt) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static MessageJson of(MessageView v) {
        return new MessageJson(v.id(), v.conversationId(), v.contactId(), v.direction().name().toLowerCase(Locale.ROOT), v.type().json(),
                JSON.readTree(v.content()), v.body(), v.status().json(), v.wamid(), v.replyToWamid(), v.errorCode(),
                v.errorTitle(), v.errorDetails(), v.sentAt(), v.statusAt());
    }
}
