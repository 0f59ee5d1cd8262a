package hexa.whatsapp.media;

import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import hexa.platform.database.AfterCommit;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * The media of the current workspace's messages, for people and for other features (the inbox shows
 * it, retention and erasure remove it). Another workspace's message is simply not found.
 */
@Service
public class MediaLibrary {

    private static final Logger log = LoggerFactory.getLogger(MediaLibrary.class);

    private final MediaFiles files;
    private final MediaBlobs blobs;
    private final MediaFetcher fetcher;
    private final MediaUploadRows uploads;
    private final Clock clock;

    MediaLibrary(MediaFiles files, MediaBlobs blobs, MediaFetcher fetcher, MediaUploadRows uploads, Clock clock) {
        this.files = files;
        this.uploads = uploads;
        this.blobs = blobs;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** A stored file's bytes, decrypted, with what a browser needs to show or save it. */
    public record Content(MediaFile file, byte[] bytes) {
    }

    /** The file of a message, whatever its state; empty when the message has no media (or is not this workspace's). */
    public Optional<MediaFile> of(UUID messageId) {
        return files.find(messageId);
    }

    /**
     * The stored bytes of a message's file, or of an upload waiting to be sent; 404 with an
     * explanation while a customer's file is still being fetched or could not be.
     */
    public Content content(UUID messageId) {
        Optional<MediaFile> found = files.find(messageId);
        if (found.isEmpty()) {
            return upload(messageId).orElseThrow(NotFoundException::new);
        }
        MediaFile file = found.get();
        if (file.state() == MediaFile.State.PENDING) {
            throw new UserError(HttpStatus.NOT_FOUND, "media_pending", "whatsapp.media.pending");
        }
        if (file.state() == MediaFile.State.FAILED) {
            throw new UserError(HttpStatus.NOT_FOUND, "media_failed", "whatsapp.media.failed");
        }
        byte[] bytes = files.blobKey(messageId).flatMap(blobs::get)
                .orElseThrow(() -> new UserError(HttpStatus.NOT_FOUND, "media_missing", "whatsapp.media.missing"));
        return new Content(file, bytes);
    }

    private Optional<Content> upload(UUID uploadId) {
        return uploads.find(uploadId).map(upload -> {
            byte[] bytes = uploads.blobKey(uploadId).flatMap(blobs::get)
                    .orElseThrow(() -> new UserError(HttpStatus.NOT_FOUND, "media_missing", "whatsapp.media.upload-missing"));
            MediaFile file = new MediaFile(upload.id(), upload.kind().messageType(), null, upload.mimeType(), null, upload.sha256(),
                    upload.sizeBytes(), upload.filename(), MediaFile.State.STORED, 0, null, null, upload.createdAt(), upload.createdAt());
            return new Content(file, bytes);
        });
    }

    /**
     * Fetches a file again that is waiting, was given up on, or went missing from storage ("fetch
     * again"): due now, with all its attempts. False when the message has no media here; a file that
     * is stored and present stays as it is.
     */
    public boolean retry(UUID messageId) {
        Optional<MediaFile> file = files.find(messageId);
        if (file.isEmpty()) {
            return false;
        }
        if (file.get().state() == MediaFile.State.STORED && files.blobKey(messageId).map(blobs::exists).orElse(false)) {
            return true;
        }
        files.retry(messageId, clock.instant());
        fetcher.wake();
        return true;
    }

    /** How many files the messages of one contact of the current workspace have (what erasing them would remove). */
    public int countOfContact(UUID contactId) {
        return files.countOfContact(TenantContext.tenantId(), contactId);
    }

    /**
     * Removes the file rows of every message of one contact now, in the caller's transaction, and their blobs in the
     * background once it has committed (an erasure: the database's part stays quick however many files there are).
     * Answers how many file rows went.
     */
    public int forgetAllOfContact(UUID tenant, UUID contactId) {
        List<Optional<String>> rows = files.deleteOfContact(tenant, contactId);
        List<String> keys = rows.stream().flatMap(Optional::stream).toList();
        if (!keys.isEmpty()) {
            AfterCommit.run(() -> CompletableFuture.runAsync(() -> keys.forEach(this::deleteBlob)));
        }
        return rows.size();
    }

    private void deleteBlob(String key) {
        try {
            blobs.delete(key);
        } catch (RuntimeException e) {
            // Its row is gone, so nothing serves it any more; the file itself stays until someone removes it by hand.
            log.warn("Could not delete media blob {} of an erased person", key, e);
        }
    }

    /** Removes a message's file and its row, before the message itself is deleted (retention, erasure). */
    public void forget(UUID messageId) {
        // An outbound message shares its upload's blob, which stays with the upload.
        if (files.uploadOf(messageId).isEmpty()) {
            files.blobKey(messageId).ifPresent(blobs::delete);
        }
        files.delete(messageId);
    }
}
