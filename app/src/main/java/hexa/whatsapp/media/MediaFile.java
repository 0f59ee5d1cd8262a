package hexa.whatsapp.media;

import java.time.Instant;
import java.util.UUID;

/**
 * The file of one inbound media message.
 *
 * @param kind           the message type: image, audio, video, document or sticker
 * @param mediaId        Meta's media id (valid 7 days at Meta), null when the webhook had none
 * @param declaredSha256 the checksum the webhook announced, hex or base64 as Meta sent it
 * @param sha256         hex SHA-256 of the stored bytes, once stored
 * @param filename       the name a document was sent with, as the customer gave it (unsafe as is)
 * @param lastError      why the last attempt failed, for people who look into it
 */
record MediaFile(UUID messageId, String kind, String mediaId, String mimeType, String declaredSha256, String sha256,
                        Long sizeBytes, String filename, State state, int attempts, Instant nextAttemptAt, String lastError,
                        Instant createdAt, Instant storedAt) {

    public enum State {
        /** Waiting for its (next) download attempt. */
        PENDING,
        /** Downloaded, checked and stored encrypted. */
        STORED,
        /** Given up on; {@link MediaLibrary#retry} puts it back in line. */
        FAILED
    }
}
