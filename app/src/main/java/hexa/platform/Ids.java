package hexa.platform;

import java.security.SecureRandom;
import java.util.UUID;

/** Identifiers for new rows: UUID version 7, time-ordered so that indexes stay compact. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static UUID newId() {
        long millis = System.currentTimeMillis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** Parses an id from a URL or a form; anything malformed is treated as a row that does not exist. */
    public static UUID parseOrNotFound(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new hexa.platform.web.NotFoundException();
        }
    }
}
