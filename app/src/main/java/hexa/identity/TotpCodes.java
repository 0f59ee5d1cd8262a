package hexa.identity;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.springframework.stereotype.Component;

/**
 * Time-based one-time codes (RFC 6238) as every authenticator app makes them: HMAC-SHA1, six digits, 30-second
 * steps. The HOTP arithmetic is java-otp's; which steps are accepted (the current one and one either side, for
 * clocks that drift and people who type slowly) and that none is accepted twice is decided here.
 */
@Component
class TotpCodes {

    static final int STEP_SECONDS = 30;
    static final int DIGITS = 6;
    private static final int SECRET_BYTES = 20;

    private final HmacOneTimePasswordGenerator hotp = new HmacOneTimePasswordGenerator(DIGITS);
    private final SecureRandom random = new SecureRandom();

    byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    /** The secret as people type it into an app: Base32, without padding. */
    static String base32(byte[] secret) {
        return Base32.toBase32String(secret).replace("=", "");
    }

    /** What the QR code holds (Google Authenticator's Key URI Format, which every app reads). */
    static String keyUri(String issuer, String account, byte[] secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    String codeAt(byte[] secret, long step) {
        try {
            return hotp.generateOneTimePasswordString(new SecretKeySpec(secret, "HmacSHA1"), step, Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The step whose code this is, among the current step and one either side and only after {@code lastUsedStep};
     * empty when the code is wrong, malformed or already used.
     */
    OptionalLong match(byte[] secret, String code, long lastUsedStep, Instant now) {
        String typed = code == null ? "" : code.replaceAll("\\s", "");
        if (!typed.matches("\\d{" + DIGITS + "}")) {
            return OptionalLong.empty();
        }
        long current = step(now);
        OptionalLong found = OptionalLong.empty();
        for (long candidate = current - 1; candidate <= current + 1; candidate++) {
            // Every candidate is computed and compared in constant time, so the answer's timing tells nothing.
            boolean same = MessageDigest.isEqual(codeAt(secret, candidate).getBytes(), typed.getBytes());
            if (same && candidate > lastUsedStep && found.isEmpty()) {
                found = OptionalLong.of(candidate);
            }
        }
        return found;
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
