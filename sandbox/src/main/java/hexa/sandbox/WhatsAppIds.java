package hexa.sandbox;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/** Mints identifiers that look like Meta's: wamids, numeric object ids, fbtrace ids. */
@Component
public class WhatsAppIds {

    private final SecureRandom random = new SecureRandom();
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis());
    private final AtomicLong objectIds = new AtomicLong(1_000_000_000_000_000L + (System.nanoTime() & 0xFFFFFFFFL) * 1000);

    /** "wamid." + base64 of a payload, like Meta's; a sequence keeps them unique. */
    public String messageId() {
        ByteBuffer bytes = ByteBuffer.allocate(20);
        bytes.put((byte) 0x1C).put((byte) 0x18).putLong(sequence.incrementAndGet());
        byte[] tail = new byte[10];
        random.nextBytes(tail);
        bytes.put(tail);
        return "wamid.HBgL" + Base64.getEncoder().encodeToString(bytes.array());
    }

    /** Graph object ids (media, templates, numbers) are decimal strings of 15-16 digits. */
    public String objectId() {
        return Long.toString(objectIds.incrementAndGet());
    }

    public String fbtraceId() {
        byte[] bytes = new byte[17];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 23);
    }

    public String challenge() {
        return Long.toString(1_000_000_000L + (random.nextLong() & 0x7FFFFFFFL));
    }

    public SecureRandom random() {
        return random;
    }
}
