package hexa.whatsapp;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Customers' messages that were new when stored: one event per workspace and batch of webhooks, so that
 * what reacts to them (consent keywords, automation rules, outbound webhooks, reports) works set-based as
 * intake does. Published in the transaction that stored them. A message Meta delivered again is not in it.
 */
public record InboundMessagesReceived(UUID tenantId, List<Message> messages) {

    /**
     * One new message.
     *
     * @param body the text people read and search (the text itself, a caption, a button's title)
     * @param texts what the customer wrote or tapped, for words to match: a text's body; a button's title and
     *              payload; an interactive reply's title and id; none for media, locations and the like
     * @param quiet the contact is blocked: the message is kept but must raise nothing automatic
     * @param referral the click-to-WhatsApp ad (or post) the customer came from, or null
     * @param reply the reply button, list row or template button the customer tapped (its id or payload to branch on), or null
     * @param flowAnswers a completed WhatsApp Flow's answers (field → value, to map to contact attributes), or null
     */
    public record Message(UUID messageId, UUID conversationId, UUID contactId, UUID connectionId, String wamid, MessageType type,
                          String body, List<String> texts, Instant sentAt, boolean quiet, AdReferral referral, InteractiveReply reply,
                          FlowAnswers flowAnswers) {

        /** The id of the reply tapped (a button's or list row's id, a template button's payload), or null. */
        public String replyId() {
            return reply == null ? null : reply.id() != null ? reply.id() : reply.payload();
        }
    }
}
