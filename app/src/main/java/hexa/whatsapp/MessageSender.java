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
    private final Duration sendGrace;
    private final UncertainSends uncertain;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SecureRandom random = new SecureRandom();
    private final QueueWorker worker = new QueueWorker("message-sender", this::sendOne);

    MessageSender(TransactionTemplate transaction, OutboundQueue messages, hexa.contacts.ContactService contacts, GraphClient graph, GraphSettings graphSettings,
                  ConnectionService connections, Connections connectionRows, ThroughputLimits limits, MediaUploads uploads,
                  @org.springframework.beans.factory.annotation.Value("${hexa.whatsapp.send-grace:2m}") Duration sendGrace, UncertainSends uncertain,
                  Clock clock) {
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
     * Sends one due message; answers false when none was due. The message is claimed and its attempt
     * marked in one short transaction; Meta is called outside any transaction; the answer is stored
     * in another. After a crash between the two, or when Meta's answer never came, the attempt's outcome is
     * unknown: the message is held as uncertain ({@link UncertainSends}), during which Meta's status webhook (which
     * carries our message id in {@code biz_opaque_callback_data}) tells us it was sent, so that it is never sent
     * twice; it goes again only when the hold has passed with Meta's webhooks for its number flowing.
     */
    boolean sendOne() {
        OutboundQueue.DueMessage due;
        try {
            due = transaction.execute(status -> claim());
        } catch (RuntimeException e) {
            log.error("Could not claim a message to send", e);
            return false;
        }
        if (due == null) {
            return false;
        }
        if (due.unanswered()) {
            // An uncertain message was looked at (held, or failed as not confirmed): nothing to send now.
            return true;
        }
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(due.tenantId(), "WhatsApp"))) {
            String recipient = contacts.byId(due.contactId())
                    .map(contact -> contact.waId() != null ? contact.waId() : contact.whatsappUserId())
                    .orElse(null);
            send(new Claimed(due.tenantId(), due.id(), due.connectionId(), due.content(), recipient, due.attempts(), due.claimedAt()));
        } catch (RuntimeException e) {
            log.error("Sending message {} failed unexpectedly; it will be tried again after the grace period", due.id(), e);
        }
        return true;
    }

    /**
     * The next due message, leased to this worker when it is to be sent now. One whose earlier attempt was never
     * answered is decided on here, under the claim's lock: held as uncertain, failed as not confirmed, or (its hold
     * passed) leased for a new attempt.
     */
    private OutboundQueue.DueMessage claim() {
        OutboundQueue.DueMessage due = messages.claimNextDue(sendGrace).orElse(null);
        if (due == null || !due.unanswered()) {
            return due;
        }
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
                    now, null, null, due.neverResend());
        }
    }

    private record Claimed(UUID tenantId, UUID id, UUID connectionId, String content, String to, int attempts, Instant claimedAt) {
    }

    private void send(Claimed message) {
        Optional<Connection> connection = connectionRows.find(message.tenantId(), message.connectionId());
        if (connection.isEmpty()) {
            messages.markFailed(message.id(), null, Text.t("whatsapp.send.disconnected"), null);
            return;
        }
        ObjectNode request = (ObjectNode) json.readTree(message.content());
        GraphEndpoint endpoint = new GraphEndpoint(connection.get().graphUrl(), graphSettings.apiVersion(),
                connections.accessToken(connection.get()));
        MediaUploads.AtMeta media = null;
        Optional<UUID> upload = uploads.uploadOf(message.id());
        if (upload.isPresent()) {
            media = uploadToMeta(message, connection.get(), endpoint, upload.get());
            if (media == null) {
                return;
            }
            ((ObjectNode) request.get(request.get("type").asString())).put("id", media.mediaId());
        }
        Duration wait = limits.reserve(connection.get().id(), connection.get().messagesPerSecond(), message.to());
        if (!wait.isZero()) {
            // Not a failure: the message waits its turn.
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
            transaction.executeWithoutResult(status -> failed(message, connection.get(), e, true));
            return;
        }
        transaction.executeWithoutResult(status -> messages.markAccepted(message.id(), sent.wamid()));
    }

    /**
     * Meta's media id for the message's upload: reused for this number while Meta keeps it, otherwise
     * uploaded now (and remembered, so a retry or a restart does not upload it again). Null when the
     * message cannot go on now: the upload failed (retried or failed as any send), the file is gone,
     * or the upload took so long that the message's lease ran out and another worker has it.
     */
    private MediaUploads.AtMeta uploadToMeta(Claimed message, Connection connection, GraphEndpoint endpoint, UUID upload) {
        MediaUploads.AtMeta media;
        try {
            media = uploads.atMeta(upload, connection.id(), endpoint, connection.phoneNumberId());
        } catch (MediaUploads.Missing e) {
            log.error("Message {} cannot be sent: {}", message.id(), e.getMessage());
            messages.markFailed(message.id(), null, Text.t("whatsapp.send.media-missing"), null);
            return null;
        } catch (GraphApiException e) {
            // Nothing was sent yet: whatever happened to the upload, trying again cannot send twice.
            transaction.executeWithoutResult(status -> failed(message, connection, e, false));
            return null;
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
