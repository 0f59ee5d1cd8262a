package hexa.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The one fake the tests use: time, so that expiry and lock-outs can be tested without waiting. */
public final class MutableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;
    private volatile Instant frozenAt;

    /** Stops time where it is; {@link #advance} still moves it. */
    public void freeze() {
        frozenAt = Instant.now().plus(offset);
    }

    /** Back to the real time, running: what every test starts from. */
    public void reset() {
        offset = Duration.ZERO;
        frozenAt = null;
    }

    public void advance(Duration duration) {
        offset = offset.plus(duration);
        if (frozenAt != null) {
            frozenAt = frozenAt.plus(duration);
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant frozen = frozenAt;
        return frozen != null ? frozen : Instant.now().plus(offset);
    }
}
