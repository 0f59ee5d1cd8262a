package hexa.whatsapp;

import hexa.platform.QueueWorker;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Text;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends queued read receipts to Meta in the background, so that an agent opening a conversation
 * never waits for Meta. A receipt is claimed with {@code SKIP LOCKED} and leased; a failure Meta
 * may get over (an outage, a rate limit, an expired token that a person replaces) is tried again
 * with growing waits; a receipt Meta refuses as such (an unknown or too old message) is given up.
 */
@Component
class ReadReceiptSender implements DisposableBean {

    static final int MAX_ATTEMPTS = 10;
    private static final Logger log = LoggerFactory.getLogger(ReadReceiptSender.class);
    private static final Duration LEASE = Duration.ofMinutes(2);

    private final ReadReceiptRows receipts;
    private final Connections connectionRows;
    private final ConnectionService connections;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final QueueWorker worker = new QueueWorker("read-receipt-sender", this::sendOne);

    ReadReceiptSender(ReadReceiptRows receipts, Connections connectionRows, ConnectionService connections, GraphClient graph,
                      GraphSettings graphSettings, Clock clock) {
        this.receipts = receipts;
        this.connectionRows = connectionRows;
        this.connections = connections;
        this.graph = graph;
        this.graphSettings = graphSettings;
        this.clock = clock;
    }

    /** Asks for due receipts to be sent soon (after one was queued). */
    void wake() {
        worker.wake();
    }

    @Scheduled(fixedDelayString = "${hexa.whatsapp.read-receipt-sweep:1s}", initialDelayString = "${hexa.whatsapp.read-receipt-sweep:1s}")
    void sweep() {
        wake();
    }

    @Override
    public void destroy() {
        worker.close();
    }

    /** Sends one due receipt; false when none was due. */
    boolean sendOne() {
        Optional<ReadReceiptRows.Claim> next;
        try {
            Instant now = clock.instant();
            next = receipts.claimNextDue(now, now.plus(LEASE));
        } catch (RuntimeException e) {
            log.error("Could not look for read receipts to send", e);
            return false;
        }
        if (next.isEmpty()) {
            return false;
        }
        ReadReceiptRows.Claim claim = next.get();
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(claim.tenantId(), "WhatsApp"))) {
            send(claim);
        } catch (RuntimeException e) {
            log.error("Read receipt for {} failed unexpectedly; it is tried again when its lease ends", claim.wamid(), e);
        }
        return true;
    }

    private void send(ReadReceiptRows.Claim claim) {
        Optional<Connection> connection = connectionRows.find(claim.tenantId(), claim.connectionId())
                .filter(c -> c.status() != Connection.Status.DISCONNECTED);
        if (connection.isEmpty()) {
            receipts.failed(claim, Text.t("whatsapp.send.disconnected"), null);
            return;
        }
        GraphEndpoint endpoint = new GraphEndpoint(connection.get().graphUrl(), graphSettings.apiVersion(),
                connections.accessToken(connection.get()));
        try {
            graph.markAsRead(endpoint, connection.get().phoneNumberId(), claim.wamid(), false);
        } catch (GraphApiException e) {
            String explanation = GraphProblems.describe(e);
            boolean mayPass = e.isRetryable() || e.kind() == hexa.whatsapp.graph.GraphFailure.Kind.AUTHENTICATION
                    || e.kind() == hexa.whatsapp.graph.GraphFailure.Kind.PERMISSION;
            if (mayPass && claim.attempts() < MAX_ATTEMPTS) {
                Duration wait = backoff(claim.attempts());
                log.info("Read receipt for {} not sent (attempt {}), trying again in {}: {}", claim.wamid(), claim.attempts(), wait,
                        explanation);
                receipts.failed(claim, explanation, clock.instant().plus(wait));
            } else {
                log.warn("Read receipt for {} given up: {}", claim.wamid(), explanation);
                receipts.failed(claim, explanation, null);
            }
            return;
        }
        receipts.sent(claim, clock.instant());
    }

    /** 2 s, 4 s, 8 s … up to an hour, with up to a fifth of jitter. */
    private Duration backoff(int attempts) {
        long millis = Math.min(Duration.ofHours(1).toMillis(), 1000L << Math.min(Math.max(attempts, 1), 22));
        return Duration.ofMillis(millis + (long) (random.nextDouble() * millis / 5));
    }
}
