package hexa.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * The sandbox's notion of "now". It can be moved forward through the control API so that a test can
 * step outside the 24-hour customer service window without waiting a day.
 */
@Component
public class SandboxClock {

    private final Clock clock = Clock.systemUTC();
    private final AtomicLong offsetMillis = new AtomicLong();

    public Instant now() {
        return clock.instant().plusMillis(offsetMillis.get());
    }

    /** Unix seconds as Meta writes them in webhooks: a string. */
    public String unixSeconds() {
        return Long.toString(now().getEpochSecond());
    }

    public void advance(Duration duration) {
        offsetMillis.addAndGet(duration.toMillis());
    }

    public Duration offset() {
        return Duration.ofMillis(offsetMillis.get());
    }
}
