package hexa.sandbox.media;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxProperties;
import hexa.sandbox.WhatsAppIds;
import hexa.sandbox.graph.GraphError;
import hexa.sandbox.webhooks.WebhookSignature;

/**
 * Media files per number with Meta's rules: supported types and size limits on upload, download URLs
 * that expire after five minutes and need the owner's bearer token. At most {@code hexa.sandbox.max-stored-media-bytes}
 * are kept: beyond that the oldest files are forgotten, so uploads cannot fill the memory.
 */
@Component
public class MediaStore {

    public static final Duration URL_LIFETIME = Duration.ofMinutes(5);
    private static final long STATIC_STICKER_MAX = 100L * 1024;

    private final Map<String, StoredMedia> byId = new ConcurrentHashMap<>();
    private final WhatsAppIds ids;
    private final SandboxClock clock;
    private final String urlSecret;
    private final long maxStoredBytes;
    private final ConcurrentLinkedQueue<String> oldestFirst = new ConcurrentLinkedQueue<>();
    private final AtomicLong storedBytes = new AtomicLong();

    public MediaStore(WhatsAppIds ids, SandboxClock clock, SandboxProperties properties) {
        this.ids = ids;
        this.clock = clock;
        this.urlSecret = ids.fbtraceId();
        this.maxStoredBytes = properties.getMaxStoredMediaBytes();
    }

    /** Stores a file for a number after checking Meta's type and size rules (131053 otherwise). */
    public StoredMedia store(String phoneNumberId, String mimeType, String filename, byte[] bytes) {
        MediaKind kind = MediaKind.ofMimeType(mimeType);
        if (kind == null) {
            throw GraphError.mediaProblem("Media type " + (mimeType == null || mimeType.isBlank() ? "(none)" : mimeType)
                    + " is not supported. Supported types: audio, document, image, sticker and video types listed by WhatsApp.");
        }
        if (bytes.length == 0) {
            throw GraphError.mediaProblem("The uploaded file is empty.");
        }
        long limit = kind == MediaKind.STICKER && !animatedWebp(bytes) ? STATIC_STICKER_MAX : kind.maxBytes();
        if (bytes.length > limit) {
            throw GraphError.mediaProblem("File size " + bytes.length + " bytes exceeds the " + limit + " bytes allowed for "
                    + kind.messageType() + " (" + mimeType + ").");
        }
        byte[] digest = sha256(bytes);
        StoredMedia media = new StoredMedia(ids.objectId(), phoneNumberId, mimeType, filename, bytes,
                Base64.getEncoder().encodeToString(digest), HexFormat.of().formatHex(digest), clock.now());
        byId.put(media.id(), media);
        oldestFirst.add(media.id());
        long total = storedBytes.addAndGet(bytes.length);
        while (total > maxStoredBytes) {
            String oldest = oldestFirst.poll();
            if (oldest == null) {
                break;
            }
            if (oldest.equals(media.id())) {
                // The newest file alone is over the limit: it is kept until the next one comes.
                oldestFirst.add(oldest);
                break;
            }
            StoredMedia forgotten = byId.remove(oldest);
            total = forgotten == null ? storedBytes.get() : storedBytes.addAndGet(-forgotten.bytes().length);
        }
        return media;
    }

    /** Bytes of media kept now. */
    public long storedBytes() {
        return storedBytes.get();
    }

    public Optional<StoredMedia> find(String mediaId) {
        return Optional.ofNullable(mediaId == null ? null : byId.get(mediaId));
    }

    public boolean delete(String mediaId) {
        StoredMedia removed = mediaId == null ? null : byId.remove(mediaId);
        if (removed == null) {
            return false;
        }
        oldestFirst.remove(mediaId);
        storedBytes.addAndGet(-removed.bytes().length);
        return true;
    }

    /** The query string of a download URL valid for five minutes. */
    public String downloadQuery(StoredMedia media) {
        long expires = clock.now().plus(URL_LIFETIME).getEpochSecond();
        return "mid=" + media.id() + "&ext=" + expires + "&hash=" + urlHash(media.id(), expires);
    }

    /** The media a download URL points at, if the URL is genuine and not expired. */
    public Optional<StoredMedia> resolveDownload(String mediaId, String expires, String hash) {
        if (mediaId == null || expires == null || hash == null) {
            return Optional.empty();
        }
        long expiry;
        try {
            expiry = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(urlHash(mediaId, expiry).getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII)) || Instant.ofEpochSecond(expiry).isBefore(clock.now())) {
            return Optional.empty();
        }
        return find(mediaId);
    }

    private String urlHash(String mediaId, long expires) {
        return WebhookSignature.of((mediaId + "|" + expires).getBytes(StandardCharsets.US_ASCII), urlSecret).substring(7, 39);
    }

    private static boolean animatedWebp(byte[] bytes) {
        // An animated WebP carries an ANIM chunk near the start of the file.
        String head = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.ISO_8859_1);
        return head.contains("ANIM");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
