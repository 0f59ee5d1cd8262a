package hexa.sandbox.media;

import java.time.Instant;

/** A media file held for a business number: uploaded by the business or sent by a customer. */
public record StoredMedia(String id, String phoneNumberId, String mimeType, String filename, byte[] bytes,
        String sha256Base64, String sha256Hex, Instant storedAt) {

    public long size() {
        return bytes.length;
    }
}
