package hexa.automation.rules;

import hexa.whatsapp.InboundMessagesReceived;
import hexa.whatsapp.MessageType;
import java.util.List;
import java.util.UUID;

/**
 * What happened that rules are considered for: the trigger, and what it is about (a customer's message, a
 * conversation, a contact, a tag). {@code subjectId} is what the loop guard's marks name: the conversation, or the
 * contact for a contact's event.
 */
record Situation(Rule.TriggerKind trigger, UUID conversationId, UUID contactId, UUID connectionId, Written message, String tag) {

    /** A customer's message as rules read it. */
    record Written(UUID id, MessageType type, String body, List<String> texts, boolean quiet, boolean fromAd) {

        static Written of(InboundMessagesReceived.Message m) {
            return new Written(m.messageId(), m.type(), m.body(), m.texts(), m.quiet(), m.referral() != null);
        }
    }

    UUID subjectId() {
        return switch (trigger) {
            case CONTACT_CREATED, TAG_ADDED, CONSENT_CHANGED -> contactId;
            default -> conversationId != null ? conversationId : contactId;
        };
    }
}
