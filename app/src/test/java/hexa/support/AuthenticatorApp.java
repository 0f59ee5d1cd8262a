package hexa.support;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;

/** What a person's authenticator app does with the key they typed in: the six-digit code of a 30-second step. */
public final class AuthenticatorApp {

    private AuthenticatorApp() {
    }

    public static String code(String base32Key, Instant at) {
        String key = base32Key.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
        byte[] secret = Base32.decode(key + "=".repeat((8 - key.length() % 8) % 8));
        try {
            return new HmacOneTimePasswordGenerator(6).generateOneTimePasswordString(new SecretKeySpec(secret, "HmacSHA1"),
                    Math.floorDiv(at.getEpochSecond(), 30), Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
