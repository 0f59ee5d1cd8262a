package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * A message a customer sent, as the channel hands it to the inbox.
 *
 * @param body the text people read and search: the text itself, a caption, a button's title
 * @param content Meta's message object as received (JSON), so that nothing of it is lost
 * @param texts what the customer wrote or tapped, for words to match (see {@link InboundMessagesReceived.Message})
 */
record InboundMessage(UUID contactId, UUID connectionId, String wamid, String type, String body, String content,
                             String replyToWamid, boolean forwarded, boolean frequentlyForwarded, Instant sentAt,
                             java.util.List<String> texts) {
}
