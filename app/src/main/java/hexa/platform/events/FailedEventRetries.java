package hexa.platform.events;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A domain event whose listener failed (the database went away, a bug) or whose node died while handling it
 * is tried again, every minute, once it is a minute old: nothing a module published is dropped because one
 * attempt to react to it failed. The events a crash left incomplete are handed out again once the app has started
 * ({@code hexa.events.republish-on-start}), in the background: Spring Modulith's own republishing runs inside the
 * start, and after a kill -9 in the middle of a campaign its thousands of listeners took every database connection
 * while the start itself waited for one, so the app did not come up.
 */
@Component
class FailedEventRetries {

    private static final Logger log = LoggerFactory.getLogger(FailedEventRetries.class);

    private final FailedEventPublications failed;
    private final IncompleteEventPublications incomplete;
    private final boolean republishOnStart;

    FailedEventRetries(FailedEventPublications failed, IncompleteEventPublications incomplete,
                       @Value("${hexa.events.republish-on-start:true}") boolean republishOnStart) {
        this.failed = failed;
        this.incomplete = incomplete;
        this.republishOnStart = republishOnStart;
    }

    /** Once started: what a crash left incomplete goes out again, on a thread of its own, while the app already serves. */
    @EventListener(ApplicationReadyEvent.class)
    void republishAfterStart() {
        if (!republishOnStart) {
            return;
        }
        Thread republish = new Thread(() -> {
            try {
                incomplete.resubmitIncompletePublications(publication -> true);
            } catch (RuntimeException e) {
                log.warn("Incomplete domain events could not all be handed out again after the start; the retries every minute take them: {}", e.toString());
            }
        }, "events-republish");
        republish.setDaemon(true);
        republish.start();
    }

    @Scheduled(fixedDelayString = "${hexa.events.retry-interval:60s}", initialDelayString = "${hexa.events.retry-interval:60s}")
    void retry() {
        try {
            failed.resubmit(ResubmissionOptions.defaults().withMinAge(Duration.ofMinutes(1)));
        } catch (RuntimeException e) {
            log.warn("Failed domain events could not be resubmitted this time: {}", e.toString());
        }
    }
}
