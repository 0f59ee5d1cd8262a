package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A message a customer sent, as the channel hands it to the inbox.
 *
 * @param body the text people read and search: the text itself, a caption, a button's title
 * @param content Meta's message object as received (JSON), so that nothing of it is lost
 * @param texts what the customer wrote or tapped, for words to match (see {@link InboundMessagesReceived.Message})
 * @param details what the message carries for other modules to act on: the ad it came from, the reply tapped, a Flow's answers
 */
record InboundMessage(UUID contactId, UUID connectionId, String wamid, String type, String body, String content,
                             String replyToWamid, boolean forwarded, boolean frequentlyForwarded, Instant sentAt,
                             java.util.List<String> texts, Details details) {

    InboundMessage {
        details = details == null ? Details.NONE : details;
    }

    /** What a message carries beyond its text, read once where the message is read. */
    record Details(AdReferral referral, InteractiveReply reply, FlowAnswers flowAnswers) {
        static final Details NONE = new Details(null, null, null);

        static Details of(JsonNode message) {
            AdReferral referral = AdReferral.of(message);
            InteractiveReply reply = InteractiveReply.of(message);
            FlowAnswers answers = FlowAnswers.of(message);
            return referral == null && reply == null && answers == null ? NONE : new Details(referral, reply, answers);
        }
    }
}
