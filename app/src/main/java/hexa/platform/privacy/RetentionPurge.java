package hexa.platform.privacy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A module's part of the daily retention purge: implemented by each module whose declared tables expire, called by the
 * privacy module once a day per workspace (and for the dry run that Settings → Privacy shows).
 */
public interface RetentionPurge {

    /**
     * Removes (or, with {@code dryRun}, only counts) the rows of this module that the rules say have expired, in small
     * batches so that the app keeps serving; files go with their rows. Answers the rows per table.
     */
    Map<String, Long> purge(Rules rules, boolean dryRun);

    /**
     * Modules are purged in ascending order: the channel's messages first, then the inbox's conversations left empty,
     * then contacts (whose deletion takes what is left of theirs), then the logs.
     */
    default int order() {
        return 0;
    }

    /**
     * One workspace's retention at one moment. A rule that is empty keeps its data.
     *
     * @param messagesBefore     messages and media created before this have expired
     * @param logsBefore         audit and access logs, and parked problems, before this have expired
     * @param inactiveContactsBefore contacts whose last activity is before this have expired
     * @param webhookBodiesBefore raw webhook bodies processed before this have expired
     * @param held               contacts on legal hold: nothing about them is removed
     */
    record Rules(UUID tenantId, Instant now, Optional<Instant> messagesBefore, Instant logsBefore, Optional<Instant> inactiveContactsBefore,
                 Instant webhookBodiesBefore, Set<UUID> held) {

        public Rules {
            held = Set.copyOf(held);
        }
    }
}
