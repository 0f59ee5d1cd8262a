package hexa.privacy;

import hexa.identity.AllWorkspaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Starts the retention purge once a day (at {@code hexa.privacy.purge-cron}, UTC; 03:30 by default). Every node
 * starts it; each workspace's run of the day is claimed by one row (PurgeRuns.claimDaily), so it runs once.
 */
@Component
class DailyPurge {

    private static final Logger log = LoggerFactory.getLogger(DailyPurge.class);

    private final RetentionPurges purges;
    private final AllWorkspaces workspaces;

    DailyPurge(RetentionPurges purges, AllWorkspaces workspaces) {
        this.purges = purges;
        this.workspaces = workspaces;
    }

    @Scheduled(cron = "${hexa.privacy.purge-cron:0 30 3 * * *}", zone = "UTC")
    void run() {
        try {
            int ran = purges.runDaily(workspaces.ids());
            log.info("Retention purge ran for {} workspaces", ran);
        } catch (RuntimeException e) {
            log.error("The daily retention purge could not run", e);
        }
    }
}
