package hexa.whatsapp.media;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How inbound media is fetched, from {@code hexa.whatsapp.media.*} ({@code HEXA_WHATSAPP_MEDIA_*}).
 *
 * @param sweep         how often due downloads are looked for
 * @param workers       downloads running at once on this node
 * @param retryDelay    the wait after the first failed attempt; each further failure waits four times longer
 * @param maxRetryDelay the longest wait between attempts
 * @param maxAttempts   failed attempts before the file is marked FAILED (a person can still fetch it again)
 * @param lease         how long a claimed download is left to one node before another may take it over
 */
@ConfigurationProperties("hexa.whatsapp.media")
public record MediaSettings(
        @DefaultValue("1s") Duration sweep,
        @DefaultValue("2") int workers,
        @DefaultValue("2s") Duration retryDelay,
        @DefaultValue("1h") Duration maxRetryDelay,
        @DefaultValue("12") int maxAttempts,
        @DefaultValue("10m") Duration lease) {

    public MediaSettings {
        workers = Math.max(1, workers);
        maxAttempts = Math.max(1, maxAttempts);
    }

    /** The wait before attempt {@code failedAttempts + 1}: 2 s, 8 s, 32 s, ... up to the maximum. */
    Duration delayAfter(int failedAttempts) {
        long factor = 1L << (2 * Math.min(15, Math.max(0, failedAttempts - 1)));
        return Duration.ofMillis(Math.min(retryDelay.toMillis() * factor, maxRetryDelay.toMillis()));
    }
}
