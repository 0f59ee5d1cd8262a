package hexa.sandbox.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Hub-Signature-256} header: "sha256=" + lowercase hex HMAC-SHA256 of the exact bytes
 * sent, keyed with the app secret. Always computed over bytes, never over a parsed object, because
 * re-serialising JSON changes the bytes.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    public static String of(byte[] body, String appSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time check of a received header against the body, as a receiver must do it. */
    public static boolean matches(byte[] body, String appSecret, String headerValue) {
        if (headerValue == null || !headerValue.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected = of(body, appSecret).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, headerValue.getBytes(StandardCharsets.US_ASCII));
    }
}
