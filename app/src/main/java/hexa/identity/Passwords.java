package hexa.identity;

import hexa.platform.web.UserError;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/** Hashes passwords with Argon2id and holds the rules a new password must meet. */
@Component
class Passwords {

    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 200;

    private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    /** Verifying against this when no account matches keeps the answer time the same either way. */
    private final String decoy = encoder.encode("decoy-password-for-unknown-accounts");

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return password != null && hash != null && encoder.matches(password, hash);
    }

    void spendTimeAsIfChecking(String password) {
        encoder.matches(password == null ? "" : password, decoy);
    }

    /** Refuses a password that does not meet the rules, naming the rule. */
    void requireAcceptable(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw UserError.invalid("password.too-short", MIN_LENGTH);
        }
        if (password.length() > MAX_LENGTH) {
            throw UserError.invalid("password.too-long", MAX_LENGTH);
        }
    }
}
