package hexa.whatsapp;

import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.graph.GraphErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Meta's pacing errors that come later, in a {@code failed} status webhook rather than as the send's answer: a bulk
 * message failed with the per-user marketing limit (131049) is sent again once after 24 hours; the spam rate limit
 * (131048) and the messaging limit from template classification (131064) pause the number's bulk lane as they do when
 * the send answers them. 130472 and 131050 stay failed for that recipient.
 */
@Component
class PacingFromStatuses {

    private static final Logger log = LoggerFactory.getLogger(PacingFromStatuses.class);

    private final OutboundQueue queue;
    private final Connections connections;
    private final Clock clock;

    PacingFromStatuses(OutboundQueue queue, Connections connections, Clock clock) {
        this.queue = queue;
        this.connections = connections;
        this.clock = clock;
    }

    @ApplicationModuleListener(id = "whatsapp.pacing-from-statuses")
    void on(MessageStatusChanged changed) {
        if (changed.status() != StatusUpdate.Status.FAILED || changed.errorCode() == null) {
            return;
        }
        int code = changed.errorCode();
        if (code != 131049 && code != 131048 && code != 131064) {
            return;
        }
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(changed.tenantId(), "WhatsApp"))) {
            Instant now = clock.instant();
            String reason = GraphProblems.describe(GraphErrors.explain(code, null));
            if (code == 131049) {
                if (queue.requeueAfterMarketingLimit(changed.messageId(), now.plus(Duration.ofHours(24)), reason)) {
                    log.info("Message {} met the customer's marketing limit; sent again in 24 hours", changed.messageId());
                }
                return;
            }
            queue.connectionOf(changed.messageId()).ifPresent(connection -> {
                Instant until = connections.pauseBulk(changed.tenantId(), connection, Duration.ofMinutes(15), Duration.ofHours(6), reason, now);
                log.warn("Bulk sending on number {} paused until {} after Meta reported {}", connection, until, code);
            });
        }
    }
}
