package hexa.whatsapp;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored message as the API and the inbox show it.
 *
 * @param change what its sender did to it since: edited (with the earlier versions) or deleted, and whether it was sent
 *               from the WhatsApp Business app; {@link Change#NONE} for most messages
 */
public record MessageView(UUID id, UUID conversationId, UUID contactId, MessageDirection direction, String wamid, MessageType type, String body,
                          String content, String replyToWamid, MessageStatus status, Integer errorCode, String errorTitle,
                          String errorDetails, Instant sentAt, Instant statusAt, Instant createdAt, boolean forwarded,
                          boolean frequentlyForwarded, Change change) {

    /**
     * Edits, deletion and origin.
     *
     * @param editedAt      when the text shown was written by an edit; null when never edited
     * @param versions      the earlier texts, oldest first
     * @param deletedAt     when its sender deleted it (its content is gone); null otherwise
     * @param editOf        for an edit or deletion whose original has not reached us: the original's WhatsApp id
     * @param fromBusinessApp sent from the WhatsApp Business app on the same number (coexistence)
     * @param sentByRule the name of the automation rule that sent it, or null
     */
    public record Change(Instant editedAt, java.util.List<Version> versions, Instant deletedAt, String editOf, boolean fromBusinessApp,
                         String sentByRule) {
        public static final Change NONE = new Change(null, java.util.List.of(), null, null, false, null);

        public Change(Instant editedAt, java.util.List<Version> versions, Instant deletedAt, String editOf, boolean fromBusinessApp) {
            this(editedAt, versions, deletedAt, editOf, fromBusinessApp, null);
        }

        public boolean edited() {
            return editedAt != null;
        }

        public boolean deleted() {
            return deletedAt != null;
        }
    }

    /** An earlier text of an edited message, and when it was written. */
    public record Version(String text, Instant at) {
    }
}
