package hexa.whatsapp.media;

import hexa.platform.crypto.SecretBox;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphFailure;
import hexa.whatsapp.graph.GraphSettings;
import hexa.whatsapp.graph.MediaInfo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Downloads the media customers send. Each due {@code media_files} row is claimed with
 * {@code FOR UPDATE SKIP LOCKED} (any number of nodes share the work), then: the media object from
 * the Graph API (a fresh five-minute URL every attempt), the bytes with the number's token, Meta's
 * sha256 checked, the bytes stored encrypted. A failed attempt is tried again with growing waits;
 * only an error that cannot change (Meta does not know the media id) or too many attempts mark the
 * file FAILED, and even then the message and Meta's media id stay, so {@link MediaLibrary#retry} can
 * fetch it later.
 */
@Component
class MediaFetcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MediaFetcher.class);

    private final MediaFiles files;
    private final MediaBlobs blobs;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final SecretBox secrets;
    private final MediaSettings settings;
    private final Clock clock;
    private final ExecutorService workers;
    private final AtomicInteger running = new AtomicInteger();

    MediaFetcher(MediaFiles files, MediaBlobs blobs, GraphClient graph, GraphSettings graphSettings, SecretBox secrets,
            MediaSettings settings, Clock clock) {
        this.files = files;
        this.blobs = blobs;
        this.graph = graph;
        this.graphSettings = graphSettings;
        this.secrets = secrets;
        this.settings = settings;
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread thread = new Thread(r, "media-fetcher-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts workers (up to the configured number) that download until nothing is due. */
    public void wake() {
        while (true) {
            int now = running.get();
            if (now >= settings.workers()) {
                return;
            }
            if (running.compareAndSet(now, now + 1)) {
                workers.execute(() -> {
                    try {
                        drain();
                    } finally {
                        running.decrementAndGet();
                    }
                });
            }
        }
    }

    @Scheduled(fixedDelayString = "${hexa.whatsapp.media.sweep:1s}", initialDelayString = "${hexa.whatsapp.media.sweep:1s}")
    void sweep() {
        wake();
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }

    private void drain() {
        while (!Thread.currentThread().isInterrupted() && fetchNext()) {
            // one download at a time per worker
        }
    }

    /** Claims and fetches one due download; false when none was due. */
    boolean fetchNext() {
        Optional<MediaFiles.Claim> next;
        try {
            Instant now = clock.instant();
            next = files.claimNextDue(now, now.plus(settings.lease()));
        } catch (RuntimeException e) {
            log.error("Could not look for media to download", e);
            return false;
        }
        if (next.isEmpty()) {
            return false;
        }
        MediaFiles.Claim claim = next.get();
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(claim.tenantId(), "WhatsApp media"))) {
            fetch(claim);
        } catch (RuntimeException e) {
            log.error("Media of message {} could not be fetched", claim.messageId(), e);
            try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(claim.tenantId(), "WhatsApp media"))) {
                tryAgainLater(claim, e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (RuntimeException again) {
                // The row keeps its lease: another attempt follows when it ends.
                log.error("Could not record the failed media download of message {}", claim.messageId(), again);
            }
        }
        return true;
    }

    private void fetch(MediaFiles.Claim claim) {
        if (claim.mediaId() == null) {
            giveUp(claim, "The webhook named no media id, so there is nothing to download.");
            return;
        }
        if (claim.graphUrl() == null) {
            giveUp(claim, "The message's WhatsApp number is not known.");
            return;
        }
        GraphEndpoint endpoint = new GraphEndpoint(claim.graphUrl(), graphSettings.apiVersion(),
                secrets.openString(claim.accessTokenSealed()));
        MediaInfo info;
        try {
            info = graph.mediaInfo(endpoint, claim.mediaId());
        } catch (GraphApiException e) {
            if (e.kind() == GraphFailure.Kind.BAD_REQUEST || e.kind() == GraphFailure.Kind.PERMANENT) {
                // Meta does not know the media id (or no longer: webhook media ids live 7 days).
                giveUp(claim, e.getMessage());
            } else {
                // Rate limits, outages, and also an expired token: a person may replace it, then this succeeds.
                tryAgainLater(claim, e.getMessage());
            }
            return;
        }
        if (info.fileSize() > graphSettings.maxMediaSize().toBytes()) {
            giveUp(claim, "The file has " + info.fileSize() + " bytes, more than the " + graphSettings.maxMediaSize().toBytes()
                    + " bytes accepted (hexa.whatsapp.max-media-size).");
            return;
        }
        byte[] bytes;
        try {
            bytes = graph.downloadMedia(endpoint, info.url());
        } catch (GraphApiException e) {
            if (e.failure().reason() == GraphFailure.Reason.TOO_LARGE) {
                giveUp(claim, e.getMessage());
            } else {
                // Meta answers 404 for an expired URL; the next attempt asks for a fresh one.
                tryAgainLater(claim, e.getMessage());
            }
            return;
        } catch (IllegalArgumentException e) {
            tryAgainLater(claim, "Meta gave no usable download URL: " + e.getMessage());
            return;
        }
        String actual = HexFormat.of().formatHex(sha256(bytes));
        for (String declared : new String[] {info.sha256(), claim.declaredSha256()}) {
            if (declared != null && !declared.isBlank() && !new MediaInfo(null, null, null, declared, -1).isChecksumOf(bytes)) {
                tryAgainLater(claim, "Checksum mismatch: Meta announced sha256 " + declared + ", the " + bytes.length
                        + " bytes received hash to " + actual + ". The file was not kept.");
                return;
            }
        }
        if (blank(info.sha256()) && blank(claim.declaredSha256())) {
            log.warn("Media of message {} came without a checksum to verify; stored as received", claim.messageId());
        }
        String key = claim.tenantId() + "/" + claim.messageId();
        blobs.put(key, bytes);
        String mimeType = blank(info.mimeType()) ? claim.mimeType() : info.mimeType().trim();
        if (!files.stored(claim, key, mimeType, actual, bytes.length, clock.instant())) {
            // The sender deleted the message while its file was on its way: nothing of it is kept.
            blobs.delete(key);
            return;
        }
        log.debug("Stored media of message {} ({} bytes, {})", claim.messageId(), bytes.length, mimeType);
    }

    private void tryAgainLater(MediaFiles.Claim claim, String error) {
        if (claim.attempts() >= settings.maxAttempts()) {
            giveUp(claim, error + " (gave up after " + claim.attempts() + " attempts)");
            return;
        }
        Duration wait = settings.delayAfter(claim.attempts());
        log.info("Media of message {} not fetched (attempt {}), trying again in {}: {}", claim.messageId(), claim.attempts(), wait, error);
        files.failed(claim, error, clock.instant().plus(wait));
    }

    private void giveUp(MediaFiles.Claim claim, String error) {
        log.warn("Media of message {} could not be fetched: {}", claim.messageId(), error);
        files.failed(claim, error, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
