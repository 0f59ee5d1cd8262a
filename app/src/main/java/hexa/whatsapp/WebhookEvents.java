package hexa.whatsapp;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable inbox of webhook POSTs: written before Meta gets its 200, processed after.
 *
 * <p>Group commit: POSTs that arrive while earlier ones are being written wait together and are then
 * written in one transaction, so a burst costs one commit (one WAL flush) per group instead of one per
 * POST. Each caller still returns only once its own row is committed. A group that fails is written
 * again row by row, so that one bad row fails only its own POST.
 */
@Repository
class WebhookEvents {

    private static final Logger log = LoggerFactory.getLogger(WebhookEvents.class);
    private static final String INSERT = """
            insert into webhook_events (tenant_id, id, connection_id, received_at, body, next_attempt_at)
            values (?, ?, ?, ?, ?, ?)
            """;
    /** Most POSTs per group, and most bytes: Meta's POSTs are up to 3 MB. */
    private static final int MAX_GROUP = 64;
    private static final long MAX_GROUP_BYTES = 4L * 1024 * 1024;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final boolean groupCommit;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;

    private record Pending(Object[] row, long bytes, CompletableFuture<Void> committed) {
    }

    WebhookEvents(JdbcTemplate jdbc, TransactionTemplate transaction,
                  @Value("${hexa.whatsapp.webhook-group-commit:true}") boolean groupCommit) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.groupCommit = groupCommit;
        this.writer = new Thread(this::writeGroups, "webhook-store");
        writer.setDaemon(true);
        if (groupCommit) {
            writer.start();
        }
    }

    /** Stores a POST durably; returns once it is committed. */
    UUID store(Connection connection, byte[] body, Instant receivedAt) {
        UUID id = Ids.newId();
        Object[] row = {connection.tenantId(), id, connection.id(), Sql.ts(receivedAt), new String(body, StandardCharsets.UTF_8), Sql.ts(receivedAt)};
        if (!groupCommit) {
            jdbc.update(INSERT, row);
            return id;
        }
        Pending pending = new Pending(row, body.length, new CompletableFuture<>());
        queue.add(pending);
        try {
            pending.committed().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            // Not acknowledged: Meta sends it again, and processing is idempotent if it was stored after all.
            throw new IllegalStateException("Storing the webhook took longer than 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while storing a webhook", e);
        }
        return id;
    }

    private void writeGroups() {
        while (!Thread.currentThread().isInterrupted()) {
            List<Pending> group = new ArrayList<>();
            try {
                Pending first = queue.take();
                group.add(first);
                long bytes = first.bytes();
                while (group.size() < MAX_GROUP && bytes < MAX_GROUP_BYTES) {
                    Pending next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    group.add(next);
                    bytes += next.bytes();
                }
            } catch (InterruptedException e) {
                return;
            }
            write(group);
        }
    }

    private void write(List<Pending> group) {
        try {
            transaction.executeWithoutResult(status -> jdbc.batchUpdate(INSERT, group.stream().map(Pending::row).toList()));
            group.forEach(p -> p.committed().complete(null));
        } catch (RuntimeException groupFailed) {
            if (group.size() > 1) {
                log.warn("Storing {} webhooks together failed ({}); storing them one by one", group.size(), groupFailed.toString());
            }
            for (Pending p : group) {
                try {
                    jdbc.update(INSERT, p.row());
                    p.committed().complete(null);
                } catch (RuntimeException e) {
                    p.committed().completeExceptionally(e);
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        writer.interrupt();
    }
}
