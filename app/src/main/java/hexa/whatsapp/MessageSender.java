package hexa.whatsapp;

import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.inbox.MessageLog;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphErrors;
import hexa.whatsapp.graph.GraphFailure;
import hexa.whatsapp.graph.GraphSettings;
import hexa.whatsapp.graph.SentMessage;
import hexa.platform.web.Text;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends queued messages through the Graph API. A message is claimed with {@code FOR UPDATE SKIP
 * LOCKED}, so several nodes share the queue without sending anything twice at the same time.
 * Transient failures are retried with backoff and jitter, permanent ones fail the message with
 * Meta's code, and an expired token or missing permission marks the number as needing attention
 * while its messages wait.
 */
@Component
class MessageSender {

    static final int MAX_ATTEMPTS = 8;
    private static final Logger log = LoggerFactory.getLogger(MessageSender.class);
    private static final Duration WAIT_FOR_ATTENTION = Duration.ofMinutes(5);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final MessageLog messages;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final ConnectionService connections;
    private final Connections connectionRows;
    private final ThroughputLimits limits;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "message-sender");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean sending = new AtomicBoolean();

    MessageSender(JdbcClient jdbc, TransactionTemplate transaction, MessageLog messages, GraphClient graph, GraphSettings graphSettings,
                  ConnectionService connections, Connections connectionRows, ThroughputLimits limits, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.messages = messages;
        this.graph = graph;
        this.graphSettings = graphSettings;
        this.connections = connections;
        this.connectionRows = connectionRows;
        this.limits = limits;
        this.clock = clock;
    }

    /** Asks for the queue to be worked on soon (after a message was queued). */
    void wake() {
        if (sending.compareAndSet(false, true)) {
            worker.execute(() -> {
                try {
                    while (sendOne()) {
                        // keep going while there is due work
                    }
                } finally {
                    sending.set(false);
                }
            });
        }
    }

    @Scheduled(fixedDelayString = "${hexa.whatsapp.send-sweep:1s}", initialDelayString = "${hexa.whatsapp.send-sweep:1s}")
    void sweep() {
        wake();
    }

    private record Claimed(UUID tenantId, UUID id, UUID connectionId, String content, String to, int attempts) {
    }

    /** Sends one due message; answers false when none was due. */
    boolean sendOne() {
        try {
            Boolean found = transaction.execute(status -> {
                Optional<Claimed> next = jdbc.sql("""
                        select m.tenant_id, m.id, m.connection_id, m.content::text as content, m.attempts,
                               coalesce(c.wa_id, c.whatsapp_user_id) as recipient
                          from messages m join contacts c on c.tenant_id = m.tenant_id and c.id = m.contact_id
                         where m.status = 'QUEUED' and m.next_attempt_at <= :now
                         order by m.next_attempt_at, m.created_at
                         limit 1
                           for update of m skip locked
                        """)
                        .param("now", Sql.ts(clock.instant()))
                        .query((rs, n) -> new Claimed(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), Sql.uuid(rs, "connection_id"),
                                rs.getString("content"), rs.getString("recipient"), rs.getInt("attempts")))
                        .optional();
                if (next.isEmpty()) {
                    return false;
                }
                try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(next.get().tenantId(), "WhatsApp"))) {
                    send(next.get());
                }
                return true;
            });
            return Boolean.TRUE.equals(found);
        } catch (RuntimeException e) {
            log.error("Sending failed unexpectedly", e);
            return false;
        }
    }

    private void send(Claimed message) {
        Optional<Connection> connection = connectionRows.find(message.tenantId(), message.connectionId());
        if (connection.isEmpty()) {
            messages.markFailed(message.id(), null, Text.t("whatsapp.send.disconnected"), null);
            return;
        }
        Duration wait = limits.reserve(connection.get().id(), connection.get().messagesPerSecond(), message.to());
        if (!wait.isZero()) {
            // Not a failure: the message waits its turn.
            messages.deferUntil(message.id(), clock.instant().plus(wait));
            return;
        }
        ObjectNode request = (ObjectNode) json.readTree(message.content());
        request.put("messaging_product", "whatsapp");
        request.put("recipient_type", "individual");
        request.put("to", message.to());
        // Echoed in every status webhook for this message, tying Meta's reports to our row.
        request.put("biz_opaque_callback_data", message.id().toString());
        GraphEndpoint endpoint = new GraphEndpoint(connection.get().graphUrl(), graphSettings.apiVersion(),
                connections.accessToken(connection.get()));
        try {
            SentMessage sent = graph.sendMessage(endpoint, connection.get().phoneNumberId(), request);
            messages.markAccepted(message.id(), sent.wamid());
        } catch (GraphApiException e) {
            failed(message, connection.get(), e);
        }
    }

    private void failed(Claimed message, Connection connection, GraphApiException e) {
        GraphFailure.Kind kind = e.kind();
        String explanation = Text.t(GraphErrors.explain(e).key(), GraphErrors.explain(e).arguments().toArray());
        if (kind == GraphFailure.Kind.AUTHENTICATION || kind == GraphFailure.Kind.PERMISSION) {
            connectionRows.recordCheck(connection.tenantId(), connection.id(), Connection.Status.NEEDS_ATTENTION, explanation, null, null,
                    clock.instant());
            messages.retryLater(message.id(), clock.instant().plus(WAIT_FOR_ATTENTION), explanation);
            return;
        }
        if (e.isRetryable() && message.attempts() + 1 < MAX_ATTEMPTS) {
            messages.retryLater(message.id(), clock.instant().plus(backoff(message.attempts())), explanation);
            return;
        }
        messages.markFailed(message.id(), e.failure().code(), e.graphMessage(), explanation);
    }

    /** 2 s, 4 s, 8 s … up to 5 minutes, with up to a fifth of jitter so that retries do not come in waves. */
    private Duration backoff(int attempts) {
        long millis = Math.min(Duration.ofMinutes(5).toMillis(), 2000L << Math.min(attempts, 16));
        return Duration.ofMillis(millis + (long) (random.nextDouble() * millis / 5));
    }
}
