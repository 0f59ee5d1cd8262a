package hexa.whatsapp.media;

import java.time.Instant;
import java.util.UUID;

/**
 * A file uploaded to be sent: its type as read from its bytes, checked against Meta's limits.
 *
 * @param filename the plain name it is shown and sent with (documents carry it to the customer)
 * @param sha256   hex SHA-256 of the bytes
 */
public record MediaUpload(UUID id, MediaKind kind, String mimeType, long sizeBytes, String sha256, String filename,
                          Instant createdAt) {
}
