package hexa.whatsapp.media;

import hexa.platform.Ids;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.InputStreamSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Files people send: checked against Meta's types and sizes before anything is kept (the type is
 * read from the bytes, not taken from the client), stored encrypted, attached to the messages that
 * send them, and uploaded to Meta's media endpoint when a message is sent, once per number while
 * Meta keeps the copy.
 */
@Service
public class MediaUploads {

    /** Meta keeps uploaded media for 30 days; a copy is reused until a day before that. */
    static final Duration REUSE_AT_META = Duration.ofDays(29);

    private final MediaUploadRows rows;
    private final MediaFiles files;
    private final MediaBlobs blobs;
    private final GraphClient graph;
    private final Clock clock;

    MediaUploads(MediaUploadRows rows, MediaFiles files, MediaBlobs blobs, GraphClient graph, Clock clock) {
        this.rows = rows;
        this.files = files;
        this.blobs = blobs;
        this.graph = graph;
        this.clock = clock;
    }

    /** Meta's media id to send an upload with, and whether it was uploaded earlier (rather than just now). */
    public record AtMeta(String mediaId, boolean reused) {
    }

    /** The upload a message was to send is gone from storage: nothing can be sent. */
    public static final class Missing extends RuntimeException {
        Missing(UUID uploadId) {
            super("The file of upload " + uploadId + " is missing from storage");
        }
    }

    /**
     * Checks a file against Meta's limits and keeps it, encrypted, for sending. Refused files (empty,
     * of a type WhatsApp does not take, claiming to be what they are not, too large for their kind)
     * change nothing and are explained, naming the limit.
     */
    @Transactional
    public MediaUpload upload(InputStreamSource file, long size, String declaredType, String filename) {
        byte[] head = read(file, MediaTypes.HEAD);
        if (head.length == 0) {
            throw UserError.invalid("whatsapp.media.upload.empty");
        }
        byte[] bytes = MediaTypes.needsWholeFile(head) ? read(file, Integer.MAX_VALUE - 8) : head;
        String mimeType = realType(bytes, declaredType, filename);
        MediaKind kind = MediaKind.ofMimeType(mimeType).orElseThrow();
        checkSize(kind, mimeType, Math.max(size, bytes.length), head);
        if (bytes == head && head.length == MediaTypes.HEAD) {
            // Only the start was read, and the size said is within the limit: read the rest, no more than the limit allows.
            bytes = read(file, (int) Math.min(Integer.MAX_VALUE - 8, kind.maxBytes() + 1));
            checkSize(kind, mimeType, bytes.length, head);
        }

        Instant now = clock.instant();
        UUID id = Ids.newId();
        String name = MediaPresentation.safeFilename(filename, kind.messageType(), mimeType);
        MediaUpload upload = new MediaUpload(id, kind, mimeType, bytes.length, HexFormat.of().formatHex(sha256(bytes)), name, now);
        String key = TenantContext.tenantId() + "/uploads/" + id;
        Actor actor = TenantContext.actor();
        blobs.put(key, bytes);
        try {
            rows.insert(upload, key, actor.userId() != null ? "USER" : actor.tokenId() != null ? "API_TOKEN" : "SYSTEM",
                    actor.userId() != null ? actor.userId() : actor.tokenId());
        } catch (RuntimeException e) {
            blobs.delete(key);
            throw e;
        }
        return upload;
    }

    /** An upload of the current workspace. */
    public Optional<MediaUpload> find(UUID uploadId) {
        return rows.find(uploadId);
    }

    /** Makes the upload the file of an outbound message, so the conversation shows what was sent. */
    public void attach(UUID messageId, MediaUpload upload) {
        String key = rows.blobKey(upload.id()).orElseThrow(() -> new Missing(upload.id()));
        files.linkOutbound(messageId, upload, key, clock.instant());
    }

    /** The upload an outbound message sends, if it sends one of ours. */
    public Optional<UUID> uploadOf(UUID messageId) {
        return files.uploadOf(messageId);
    }

    /**
     * Meta's media id for sending the upload from a number: the copy uploaded earlier while Meta keeps
     * it, or a new upload to Meta's media endpoint, remembered at once. Called by the sender outside
     * any transaction; a Graph API failure is thrown as it is, for the sender to classify.
     */
    public AtMeta atMeta(UUID uploadId, UUID connectionId, GraphEndpoint endpoint, String phoneNumberId) {
        Optional<String> known = rows.atMeta(uploadId, connectionId, clock.instant().minus(REUSE_AT_META));
        if (known.isPresent()) {
            return new AtMeta(known.get(), true);
        }
        MediaUpload upload = rows.find(uploadId).orElseThrow(() -> new Missing(uploadId));
        byte[] bytes = rows.blobKey(uploadId).flatMap(blobs::get).orElseThrow(() -> new Missing(uploadId));
        String mediaId = graph.uploadMedia(endpoint, phoneNumberId, bytes, upload.mimeType(), upload.filename());
        rows.rememberAtMeta(uploadId, connectionId, mediaId, clock.instant());
        return new AtMeta(mediaId, false);
    }

    /** Meta no longer knows a copy we remembered (it lost or expired it): the next send uploads again. */
    public void forgetAtMeta(UUID uploadId, UUID connectionId, String mediaId) {
        rows.forgetAtMeta(uploadId, connectionId, mediaId);
    }

    private static String realType(byte[] bytes, String declaredType, String filename) {
        Optional<String> real = MediaTypes.sniff(bytes, declaredType, filename);
        boolean claimed = MediaTypes.isClaim(declaredType);
        String claim = declaredType == null ? "" : MediaKind.baseType(declaredType);
        if (real.isEmpty()) {
            if (claimed && MediaKind.ofMimeType(claim).isPresent()) {
                throw new UserError(HttpStatus.BAD_REQUEST, "media_type_mismatch", "whatsapp.media.upload.not-what-it-claims", claim);
            }
            throw new UserError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "media_type_unsupported", "whatsapp.media.upload.unsupported",
                    claimed ? claim : "?");
        }
        if (claimed && !MediaTypes.sameFamily(claim, real.get())) {
            throw new UserError(HttpStatus.BAD_REQUEST, "media_type_mismatch", "whatsapp.media.upload.claims-other-type", claim,
                    real.get());
        }
        return real.get();
    }

    private static void checkSize(MediaKind kind, String mimeType, long size, byte[] head) {
        long limit = kind == MediaKind.STICKER && !MediaTypes.isAnimatedWebp(head) ? MediaKind.STATIC_STICKER_MAX : kind.maxBytes();
        if (size > limit) {
            String given = NumberFormat.getIntegerInstance(Locale.ENGLISH).format(size);
            if (kind == MediaKind.STICKER) {
                throw new UserError(HttpStatus.PAYLOAD_TOO_LARGE, "media_too_large", "whatsapp.media.upload.sticker-too-large",
                        MediaKind.readableSize(limit), given, MediaKind.readableSize(MediaKind.STATIC_STICKER_MAX),
                        MediaKind.readableSize(MediaKind.STICKER.maxBytes()));
            }
            throw new UserError(HttpStatus.PAYLOAD_TOO_LARGE, "media_too_large", "whatsapp.media.upload.too-large",
                    kind.messageType(), mimeType, MediaKind.readableSize(limit), given);
        }
    }

    private static byte[] read(InputStreamSource file, int max) {
        try (InputStream in = file.getInputStream()) {
            return in.readNBytes(max);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the uploaded file", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
