package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * Its sender changed a message sent earlier: an edit (the new text or caption) or a deletion for everyone. From a
 * customer ({@code messages} of type {@code edit} or {@code revoke}) or from the business in the WhatsApp Business app
 * (an echo of that type).
 *
 * @param wamid         the WhatsApp id of the change itself (what makes Meta's retries harmless)
 * @param originalWamid the message changed
 * @param text          the new text or caption (an edit); null for a deletion
 * @param content       Meta's object of the change as received, kept if the original is not known yet
 */
record MessageChange(Kind kind, UUID contactId, UUID connectionId, MessageDirection direction, String wamid, String originalWamid,
                     String text, String content, Instant at) {

    enum Kind { EDIT, REVOKE }

    /** What became of a change. */
    enum Outcome {
        APPLIED,
        /** Applied before (Meta delivered it again), or the message is deleted and an edit comes after. */
        ALREADY_APPLIED,
        /** The original is not known (yet): the change is kept as a message of its own and applied when it arrives. */
        WAITING_FOR_ORIGINAL,
        /** The message named was not sent by this sender (another customer's, or ours when a customer edits). */
        NOT_THE_SENDERS
    }
}
