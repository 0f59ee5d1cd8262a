package hexa.platform.events;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A domain event whose listener failed (the database went away, a bug) or whose node died while handling it
 * is tried again, every minute, once it is a minute old: nothing a module published is dropped because one
 * attempt to react to it failed.
 */
@Component
class FailedEventRetries {

    private static final Logger log = LoggerFactory.getLogger(FailedEventRetries.class);

    private final FailedEventPublications failed;

    FailedEventRetries(FailedEventPublications failed) {
        this.failed = failed;
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
