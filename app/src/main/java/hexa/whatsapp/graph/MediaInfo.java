package hexa.whatsapp.graph;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A media object as the Graph API describes it. The {@code url} lives five minutes and needs the
 * bearer token; ask for the media object again rather than keeping it.
 *
 * @param sha256   hex or base64 (Meta has used both), so compare with {@link #isChecksumOf}
 * @param fileSize in bytes, -1 when Meta did not say
 */
public record MediaInfo(String id, String url, String mimeType, String sha256, long fileSize) {

    /** Whether the bytes are the ones Meta hashed, whichever encoding Meta chose for the hash. */
    public boolean isChecksumOf(byte[] bytes) {
        if (sha256 == null || sha256.isBlank()) {
            return false;
        }
        byte[] digest = sha256(bytes);
        String given = sha256.trim();
        if (given.equalsIgnoreCase(HexFormat.of().formatHex(digest))) {
            return true;
        }
        return MessageDigest.isEqual(Base64.getEncoder().encodeToString(digest).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
