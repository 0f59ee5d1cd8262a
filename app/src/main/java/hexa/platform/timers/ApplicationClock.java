package hexa.platform.timers;

import java.time.Instant;

/** db-scheduler asks the application's clock what time it is, so that tests which move that clock see timers fall due. */
final class ApplicationClock implements com.github.kagkarlsson.scheduler.Clock {

    private final java.time.Clock clock;

    ApplicationClock(java.time.Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }
}
