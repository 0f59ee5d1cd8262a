package hexa.whatsapp;

import hexa.platform.QueueWorker;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Text;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphFailure;
import hexa.whatsapp.graph.GraphSettings;
import hexa.whatsapp.graph.SentMessage;
import hexa.whatsapp.media.MediaUploads;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends queued messages through the Graph API, many calls at once: one worker claims due messages in batches (first
 * lane before bulk lane) with {@code FOR UPDATE SKIP LOCKED} and a lease, so several nodes share the queue without
 * sending anything twice, and each claimed message is sent on a thread of a bounded pool, at most
 * {@code hexa.whatsapp.sender.concurrency} in flight per node. Each number keeps its rate and the pair rate
 * ({@link ThroughputLimits}), a first-lane message taking its number's next place before any bulk one; bulk messages to
 * new customers beyond the number's messaging limit are held ({@link MessagingLimits}). Transient failures are retried
 * with backoff and jitter, permanent ones fail the message with Meta's code, Meta's pacing errors pause the number's
 * bulk lane, and an expired token or missing permission marks the number as needing attention while its messages wait.
 */
@Component
class MessageSender {

    static final int MAX_ATTEMPTS = 8;
    private static final Logger log = LoggerFactory.getLogger(MessageSender.class);
    private static final Duration WAIT_FOR_ATTENTION = Duration.ofMinutes(5);
    /** Meta's "media upload error": the media id or file is not usable. */
    private static final int MEDIA_UNUSABLE = 131053;

    private final TransactionTemplate transaction;
    private final OutboundQueue messages;
    private final hexa.contacts.ContactService contacts;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final ConnectionService connections;
    private final Connections connectionRows;
    private final ThroughputLimits limits;
    private final MediaUploads uploads;
    /** Striped locks by file and number, for {@link #uploadToMeta}. */
    private final java.util.concurrent.locks.Lock[] uploadLocks = java.util.stream.Stream.generate(java.util.concurrent.locks.ReentrantLock::new)
            .limit(64).toArray(java.util.concurrent.locks.Lock[]::new);
    private final Duration sendGrace;
    private final UncertainSends uncertain;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SecureRandom random = new SecureRandom();
    private final MessagingLimits messagingLimits;
    private final QueueWorker worker = new QueueWorker("message-sender", this::claimAndDispatch);
    /** Sends in flight (or waiting for their number's place) on this node at most. */
    private final int concurrency;
    private final java.util.concurrent.Semaphore slots;
    /** The sender's threads: one per send in flight, up to {@link #concurrency}; idle ones end after a while. */
    private final java.util.concurrent.ThreadPoolExecutor calls;
    /** Bulk lanes paused on this node after a pacing error, until when (the same pause is stored for other nodes). */
    private final java.util.Map<UUID, Instant> bulkPaused = new java.util.concurrent.ConcurrentHashMap<>();
    /** A message waits in memory for its number's place at most this long; a longer wait is deferred in the queue. */
    static final Duration MAX_WAIT_IN_MEMORY = Duration.ofSeconds(2);
    private static final java.util.Set<String> MEDIA_TYPES = java.util.Set.of("image", "audio", "video", "document", "sticker");
    /** Messages claimed at once. */
    static final int BATCH = 100;

    MessageSender(TransactionTemplate transaction, OutboundQueue messages, hexa.contacts.ContactService contacts, GraphClient graph, GraphSettings graphSettings,
                  ConnectionService connections, Connections connectionRows, ThroughputLimits limits, MediaUploads uploads,
                  @org.springframework.beans.factory.annotation.Value("${hexa.whatsapp.send-grace:2m}") Duration sendGrace, UncertainSends uncertain,
                  Clock clock, MessagingLimits messagingLimits,
                  @org.springframework.beans.factory.annotation.Value("${hexa.whatsapp.sender.concurrency:256}") int concurrency) {
        this.messagingLimits = messagingLimits;
        this.concurrency = Math.max(1, concurrency);
        this.slots = new java.util.concurrent.Semaphore(this.concurrency);
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        this.calls = new java.util.concurrent.ThreadPoolExecutor(this.concurrency, this.concurrency, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "message-sender-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.calls.allowCoreThreadTimeOut(true);
        this.uncertain = uncertain;
        this.transaction = transaction;
        this.contacts = contacts;
        this.messages = messages;
        this.graph = graph;
        this.graphSettings = graphSettings;
        this.connections = connections;
        this.connectionRows = connectionRows;
        this.limits = limits;
        this.uploads = uploads;
        this.sendGrace = sendGrace;
        this.clock = clock;
    }

    /** Asks for the queue to be worked on soon (after a message was queued). */
    void wake() {
        worker.wake();
    }

    @Scheduled(fixedDelayString = "${hexa.whatsapp.send-sweep:1s}", initialDelayString = "${hexa.whatsapp.send-sweep:1s}")
    void sweep() {
        wake();
    }

    /**
     * Claims a batch of due messages and hands each one to be sent to a thread of its own (a bounded pool); answers false when
     * fewer than asked for were due (or no place is free), so the worker rests until woken. The messages are claimed and
     * their attempts marked in one short transaction; Meta is called outside any transaction; each answer is stored in
     * another. After a crash between the two, or when Meta's answer never came, the attempt's outcome is unknown: the
     * message is held as uncertain ({@link UncertainSends}), during which Meta's status webhook (which carries our
     * message id in {@code biz_opaque_callback_data}) tells us it was sent, so that it is never sent twice; it goes again
     * only when the hold has passed with Meta's webhooks for its number flowing.
     */
    boolean claimAndDispatch() {
        int want = Math.min(BATCH, slots.availablePermits());
        if (want <= 0) {
            return false;
        }
        Batch batch;
        try {
            batch = transaction.execute(status -> claimBatch(want));
        } catch (RuntimeException e) {
            log.error("Could not claim messages to send", e);
            return false;
        }
        if (batch == null) {
            return false;
        }
        java.util.Map<UUID, String> recipients = new java.util.HashMap<>();
        java.util.Map<UUID, Optional<Connection>> numbers = new java.util.HashMap<>();
        try {
            prepare(batch.toSend(), recipients, numbers);
        } catch (RuntimeException e) {
            log.error("Could not read the recipients of claimed messages; they are sent after the grace period", e);
            return false;
        }
        for (OutboundQueue.DueMessage due : batch.toSend()) {
            slots.acquireUninterruptibly();
            try {
                calls.execute(() -> {
                    try {
                        sendClaimed(due, recipients.get(due.id()), numbers.get(due.connectionId()));
                    } finally {
                        slots.release();
                        int free = slots.availablePermits();
                        if (free >= Math.min(16, concurrency) || free == concurrency) {
                            worker.wake();
                        }
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                slots.release();
                return false;
            }
        }
        return batch.claimed() >= want;
    }

    /** What one claim found: how many due messages it looked at, and those to send now. */
    private record Batch(int claimed, java.util.List<OutboundQueue.DueMessage> toSend) {
    }

    /** The recipients (WhatsApp ids) and numbers of a claimed batch, read once for the batch (a query per workspace). */
    private void prepare(java.util.List<OutboundQueue.DueMessage> batch, java.util.Map<UUID, String> recipients,
                         java.util.Map<UUID, Optional<Connection>> numbers) {
        java.util.Map<UUID, java.util.List<OutboundQueue.DueMessage>> byTenant = new java.util.LinkedHashMap<>();
        batch.forEach(due -> byTenant.computeIfAbsent(due.tenantId(), t -> new java.util.ArrayList<>()).add(due));
        for (java.util.Map.Entry<UUID, java.util.List<OutboundQueue.DueMessage>> tenant : byTenant.entrySet()) {
            try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant.getKey(), "WhatsApp"))) {
                java.util.Map<UUID, hexa.contacts.Contact> people = contacts.byIds(tenant.getValue().stream().map(OutboundQueue.DueMessage::contactId)
                        .filter(java.util.Objects::nonNull).distinct().toList());
                for (OutboundQueue.DueMessage due : tenant.getValue()) {
                    hexa.contacts.Contact contact = due.contactId() == null ? null : people.get(due.contactId());
                    if (contact != null) {
                        // A contact known by its number only (imported, never written) is reached at that number.
                        recipients.put(due.id(), contact.waId() != null ? contact.waId()
                                : contact.phoneE164() != null ? contact.phoneE164().substring(1) : contact.whatsappUserId());
                    }
                    numbers.computeIfAbsent(due.connectionId(), id -> connectionRows.find(tenant.getKey(), id));
                }
            }
        }
    }

    private void sendClaimed(OutboundQueue.DueMessage due, String recipient, Optional<Connection> connection) {
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(due.tenantId(), "WhatsApp"))) {
            send(new Claimed(due.tenantId(), due.id(), due.connectionId(), due.content(), recipient, due.attempts(), due.claimedAt(),
                    due.lane()), connection);
        } catch (RuntimeException e) {
            log.error("Sending message {} failed unexpectedly; it will be tried again after the grace period", due.id(), e);
        }
    }

    /**
     * Up to {@code want} due messages, those to be sent now leased to this node. Those whose earlier attempt was never
     * answered are decided on here, under the claim's lock ({@link #decideUnanswered}); bulk messages to new customers
     * beyond their number's messaging limit are held.
     */
    private Batch claimBatch(int want) {
        java.util.List<OutboundQueue.DueMessage> due = messages.claimDue(want, sendGrace);
        java.util.List<OutboundQueue.DueMessage> toSend = new java.util.ArrayList<>();
        for (OutboundQueue.DueMessage message : due) {
            if (!message.unanswered()) {
                toSend.add(message);
                continue;
            }
            OutboundQueue.DueMessage decided = decideUnanswered(message);
            if (!decided.unanswered()) {
                toSend.add(decided);
            }
        }
        java.util.Set<UUID> held = messagingLimits.holdBeyondLimits(toSend, sendGrace);
        if (!held.isEmpty()) {
            toSend.removeIf(message -> held.contains(message.id()));
        }
        return new Batch(due.size(), toSend);
    }

    /**
     * A message whose earlier attempt was never answered: held as uncertain, failed as not confirmed, or (its hold
     * passed) leased for a new attempt, which is then answered as not {@link OutboundQueue.DueMessage#unanswered()}.
     */
    private OutboundQueue.DueMessage decideUnanswered(OutboundQueue.DueMessage due) {
        Instant now = due.claimedAt();
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(due.tenantId(), "WhatsApp"))) {
            if (due.uncertainSince() == null) {
                // Its lease ran out without an answer stored: the process that asked Meta died while Meta answered.
                log.warn("Message {} was being sent when its sender stopped; held until WhatsApp confirms it or it is safe to send again", due.id());
                messages.holdUncertain(due.id(), now, now.plus(uncertain.hold(due.unansweredSince(), now)), null);
                return due;
            }
            UncertainSends.Decision decision = uncertain.decide(due.tenantId(), due.connectionId(), due.unansweredSince(),
                    due.uncertainSince(), due.neverResend());
            if (decision instanceof UncertainSends.Wait wait) {
                messages.keepHolding(due.id(), wait.until());
                return due;
            }
            if (decision instanceof UncertainSends.NotConfirmed notConfirmed) {
                log.warn("Message {} was never confirmed by WhatsApp and is not sent again: {}", due.id(), notConfirmed.explanation());
                messages.markFailed(due.id(), null, Text.t("whatsapp.send.not-confirmed"), notConfirmed.explanation());
                return due;
            }
            log.info("Message {} was not confirmed by WhatsApp within its hold while webhooks flowed: sending it again", due.id());
            messages.lease(due, sendGrace);
            return new OutboundQueue.DueMessage(due.tenantId(), due.id(), due.contactId(), due.connectionId(), due.content(), due.attempts(),
                    now, null, null, due.neverResend(), due.lane());
        }
    }

    private record Claimed(UUID tenantId, UUID id, UUID connectionId, String content, String to, int attempts, Instant claimedAt,
                           OutboundQueue.Lane lane) {
    }

    private void send(Claimed message, Optional<Connection> connection) {
        if (connection == null || connection.isEmpty()) {
            messages.markFailed(message.id(), null, Text.t("whatsapp.send.disconnected"), null);
            return;
        }
        ObjectNode request = (ObjectNode) json.readTree(message.content());
        GraphEndpoint endpoint = new GraphEndpoint(connection.get().graphUrl(), graphSettings.apiVersion(),
                connections.accessToken(connection.get()));
        MediaUploads.AtMeta media = null;
        // Only media messages may have an upload of ours to send (a bulk template never has: no query for it).
        Optional<UUID> upload = MEDIA_TYPES.contains(request.path("type").asString("")) ? uploads.uploadOf(message.id()) : Optional.empty();
        if (upload.isPresent()) {
            media = uploadToMeta(message, connection.get(), endpoint, upload.get());
            if (media == null) {
                return;
            }
            ((ObjectNode) request.get(request.get("type").asString())).put("id", media.mediaId());
        }
        Duration wait = awaitPlace(connection.get(), message);
        if (!wait.isZero()) {
            // Not a failure: the message waits its turn in the queue.
            messages.deferUntil(message.id(), clock.instant().plus(wait));
            return;
        }
        request.put("messaging_product", "whatsapp");
        request.put("recipient_type", "individual");
        request.put("to", message.to());
        // Echoed in every status webhook for this message, tying Meta's reports to our row.
        request.put("biz_opaque_callback_data", message.id().toString());
        SentMessage sent;
        try {
            sent = graph.sendMessage(endpoint, connection.get().phoneNumberId(), request);
        } catch (GraphApiException e) {
            if (media != null && media.reused() && Integer.valueOf(MEDIA_UNUSABLE).equals(e.code())) {
                // Meta no longer has the copy uploaded earlier (expired, deleted, or Meta's side lost it):
                // upload the file afresh on the next attempt.
                uploads.forgetAtMeta(upload.get(), connection.get().id(), media.mediaId());
                messages.retryLater(message.id(), clock.instant(), GraphProblems.describe(e));
                return;
            }
            store(status -> failed(message, connection.get(), e, true));
            return;
        }
        store(status -> messages.markAccepted(message.id(), sent.wamid()));
        if (message.lane() == OutboundQueue.Lane.BULK && bulkPaused.containsKey(connection.get().id())
                && !bulkPaused.get(connection.get().id()).isAfter(clock.instant())) {
            // Meta takes the bulk lane's messages again: the next pacing error starts from a short pause.
            bulkPaused.remove(connection.get().id());
            connectionRows.bulkResumed(connection.get().tenantId(), connection.get().id());
        }
    }

    /**
     * Stores Meta's answer in a transaction of its own, again (up to three times) when the database chose it as the
     * loser of a deadlock: with many sends and status webhooks at once two transactions may wait for each other's rows;
     * the answer's statements only change a message still without its outcome, so storing it again is safe.
     */
    private void store(java.util.function.Consumer<org.springframework.transaction.TransactionStatus> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                transaction.executeWithoutResult(work);
                return;
            } catch (org.springframework.dao.PessimisticLockingFailureException e) {
                if (attempt >= 3) {
                    throw e;
                }
                log.info("Storing a send's outcome met a lock conflict ({}); trying again", e.getMostSpecificCause().getMessage());
                try {
                    Thread.sleep(10L * attempt + random.nextInt(20));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Waits (in memory, on this sender thread) for the number's next place within its rate and the recipient's pair
     * rate: zero when the message may go now, otherwise how long it must still wait, which the caller defers in the
     * queue. A bulk message of a number whose bulk lane is paused waits until the pause ends.
     */
    private Duration awaitPlace(Connection connection, Claimed message) {
        boolean first = message.lane() != OutboundQueue.Lane.BULK;
        if (!first) {
            Instant paused = bulkPaused.get(connection.id());
            if (paused != null && paused.isAfter(clock.instant())) {
                return Duration.between(clock.instant(), paused);
            }
        }
        if (first) {
            limits.firstLaneWaiting(connection.id(), 1);
        }
        try {
            long slept = 0;
            while (true) {
                Duration wait = limits.reserve(connection.id(), connection.messagesPerSecond(), message.to(), message.lane());
                if (wait.isZero()) {
                    return Duration.ZERO;
                }
                if (wait.compareTo(MAX_WAIT_IN_MEMORY) > 0 || slept > MAX_WAIT_IN_MEMORY.toMillis()) {
                    return wait;
                }
                long millis = Math.max(1, wait.toMillis());
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return wait;
                }
                slept += millis;
            }
        } finally {
            if (first) {
                limits.firstLaneWaiting(connection.id(), -1);
            }
        }
    }

    /**
     * Meta's media id for the message's upload: reused for this number while Meta keeps it, otherwise
     * uploaded now (and remembered, so a retry or a restart does not upload it again). Null when the
     * message cannot go on now: the upload failed (retried or failed as any send), the file is gone,
     * or the upload took so long that the message's lease ran out and another worker has it.
     */
    private MediaUploads.AtMeta uploadToMeta(Claimed message, Connection connection, GraphEndpoint endpoint, UUID upload) {
        MediaUploads.AtMeta media;
        // Sends of one file from one number wait for each other here, so the second reuses the first's copy at Meta
        // instead of uploading it again while the first upload is under way (on this node; nodes may each upload once).
        java.util.concurrent.locks.Lock sameFile = uploadLocks[Math.floorMod(java.util.Objects.hash(upload, connection.id()), uploadLocks.length)];
        sameFile.lock();
        try {
            media = uploads.atMeta(upload, connection.id(), endpoint, connection.phoneNumberId());
        } catch (MediaUploads.Missing e) {
            log.error("Message {} cannot be sent: {}", message.id(), e.getMessage());
            messages.markFailed(message.id(), null, Text.t("whatsapp.send.media-missing"), null);
            return null;
        } catch (GraphApiException e) {
            // Nothing was sent yet: whatever happened to the upload, trying again cannot send twice.
            store(status -> failed(message, connection, e, false));
            return null;
        } finally {
            sameFile.unlock();
        }
        if (!media.reused() && !messages.renewLease(message.id(), message.claimedAt(), sendGrace)) {
            log.warn("Message {} was taken over by another worker while its media was uploaded; leaving it to that one", message.id());
            return null;
        }
        return media;
    }

    private void failed(Claimed message, Connection connection, GraphApiException e, boolean mayHaveBeenSent) {
        GraphFailure.Kind kind = e.kind();
        String explanation = GraphProblems.describe(e);
        if (mayHaveBeenSent && e.failure().reason() == GraphFailure.Reason.TIMED_OUT) {
            // Meta may have accepted it before the answer was lost: held as uncertain until its status webhook
            // settles it, or the hold passes with Meta's webhooks flowing (UncertainSends).
            Instant now = clock.instant();
            messages.holdUncertain(message.id(), now, now.plus(uncertain.hold(message.claimedAt(), now)), explanation);
            return;
        }
        Integer code = e.failure().code();
        if (code != null && pacing(message, connection, code, e.graphMessage(), explanation)) {
            return;
        }
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

    /**
     * Meta's pacing and limit errors, as the contract's table says: the number's bulk lane pauses (longer after each
     * pause in a row) and the message waits for its end, or the message waits for the recipient (pair rate: 4^n s;
     * per-user marketing limit: 24 hours, once), or it fails for that recipient with the plain reason. False for any
     * other error.
     */
    private boolean pacing(Claimed message, Connection connection, int code, String title, String explanation) {
        Instant now = clock.instant();
        switch (code) {
            case 130429, 80007, 4 -> {
                // Too fast for Meta (another app on the number, or nodes together): the bulk lane pauses briefly, the message retries.
                Instant until = pauseBulk(connection, Duration.ofSeconds(1), Duration.ofMinutes(1), explanation, now);
                if (message.attempts() + 1 < MAX_ATTEMPTS) {
                    messages.retryLater(message.id(), max(until, now.plus(backoff(message.attempts()))), explanation);
                } else {
                    messages.markFailed(message.id(), code, title, explanation);
                }
                return true;
            }
            case 131048, 131064 -> {
                // Spam rate limit / messaging limit from template classification: never hammer; the bulk lane rests for long.
                Instant until = pauseBulk(connection, Duration.ofMinutes(15), Duration.ofHours(6), explanation, now);
                if (message.lane() == OutboundQueue.Lane.BULK) {
                    messages.holdForLimit(message.id(), until, explanation);
                } else {
                    messages.retryLater(message.id(), now.plus(backoff(message.attempts())), explanation);
                }
                return true;
            }
            case 131049 -> {
                // Meta's per-user marketing limit: "wait at least 24 hours before resending", once.
                if (message.attempts() == 0) {
                    messages.retryLater(message.id(), now.plus(Duration.ofHours(24)).plus(jitter(Duration.ofMinutes(30))), explanation);
                } else {
                    messages.markFailed(message.id(), code, title, explanation);
                }
                return true;
            }
            case 131056 -> {
                // Pair rate limit: retry after 4^n seconds.
                if (message.attempts() + 1 < MAX_ATTEMPTS) {
                    long seconds = (long) Math.pow(4, Math.min(message.attempts(), 6));
                    messages.retryLater(message.id(), now.plusSeconds(seconds).plus(jitter(Duration.ofSeconds(seconds).dividedBy(5))), explanation);
                } else {
                    messages.markFailed(message.id(), code, title, explanation);
                }
                return true;
            }
            case 130472, 131050 -> {
                // The recipient is in Meta's experiment, or stopped marketing messages: given up for them, in plain words.
                messages.markFailed(message.id(), code, title, explanation);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Pauses the number's bulk lane (here and, through the queue, on every node); answers until when. */
    private Instant pauseBulk(Connection connection, Duration first, Duration longest, String reason, Instant now) {
        Instant until = connectionRows.pauseBulk(connection.tenantId(), connection.id(), first, longest, reason, now);
        bulkPaused.merge(connection.id(), until, (a, b) -> a.isAfter(b) ? a : b);
        log.warn("Bulk sending on number {} paused until {}: {}", connection.phoneNumberId(), until, reason);
        return until;
    }

    private Duration jitter(Duration upTo) {
        return Duration.ofMillis((long) (random.nextDouble() * Math.max(1, upTo.toMillis())));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** 2 s, 4 s, 8 s … up to 5 minutes, with up to a fifth of jitter so that retries do not come in waves. */
    private Duration backoff(int attempts) {
        long millis = Math.min(Duration.ofMinutes(5).toMillis(), 2000L << Math.min(attempts, 16));
        return Duration.ofMillis(millis + (long) (random.nextDouble() * millis / 5));
    }
}
