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
                          String errorText, Instant sentAt, Instant statusAt, Edited edited, boolean deleted, Instant deletedAt,
                          String sentFrom) {

    /** The message was edited: when, the earlier versions (oldest first), and the original's id when it has not reached us. */
    public record Edited(Instant at, java.util.List<MessageView.Version> versions, String originalWhatsappId) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static MessageJson of(MessageView v) {
        return new MessageJson(v.id(), v.conversationId(), v.contactId(), v.direction().name().toLowerCase(Locale.ROOT), v.type().json(),
                JSON.readTree(v.content()), v.body(), v.status().json(), v.wamid(), v.replyToWamid(), v.errorCode(),
                v.errorTitle(), v.errorDetails(), v.sentAt(), v.statusAt(),
                v.change().edited() ? new Edited(v.change().editedAt(), v.change().versions(), v.change().editOf()) : null,
                v.change().deleted(), v.change().deletedAt(), v.change().fromBusinessApp() ? "business_app" : null);
    }
}
