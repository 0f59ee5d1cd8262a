package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * A message the business sent from the WhatsApp Business app on a coexistence number, as Meta echoed it
 * ({@code smb_message_echoes}).
 *
 * @param contactId the customer it went to
 * @param body      the text people read and search (the text, a caption)
 * @param content   Meta's message object as received
 */
record EchoedMessage(UUID contactId, UUID connectionId, String wamid, String type, String body, String content, String replyToWamid,
                     Instant sentAt) {
}
