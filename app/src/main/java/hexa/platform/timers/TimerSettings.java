package hexa.platform.timers;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the timers' scheduler runs ({@code HEXA_TIMERS_*}). A timer fires within {@code pollingInterval} of its time (and
 * at once when it is set already due); {@code threads} timers fire at the same time on each node; a timer whose
 * handler fails fires again after {@code firstRetry}, doubling each time up to {@code maxRetry}; at shutdown, timers
 * firing get {@code shutdownWait} to finish (an unfinished one fires again later, on this node or another).
 */
@ConfigurationProperties("hexa.timers")
public record TimerSettings(
        @DefaultValue("1s") Duration pollingInterval,
        @DefaultValue("4") int threads,
        @DefaultValue("10s") Duration firstRetry,
        @DefaultValue("1h") Duration maxRetry,
        @DefaultValue("5s") Duration shutdownWait) {
}
