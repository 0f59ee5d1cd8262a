package hexa.campaigns;

import hexa.contacts.Blocking;
import hexa.contacts.ConsentService;
import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.platform.QueueWorker;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.MessageToSend;
import hexa.whatsapp.OutboundQueue;
import hexa.whatsapp.SendService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends campaigns: prepares the audience of those whose time has come, then hands their waiting recipients to the send
 * queue ({@link SendService#queueBulk}) a chunk at a time, marking them QUEUED with their message's id in the same
 * transaction as the messages are written. That transaction is the exactly-once rule: a node that dies before its commit
 * leaves both undone (the recipients wait again), after its commit both done (the send queue then sends each message at
 * most once, never resending one whose answer was lost). Recipients are claimed with {@code skip locked}, so nodes share
 * the work, and the campaign row is held (shared) meanwhile, so that a pause or cancel waits for a chunk in flight and
 * the next chunk sees it.
 *
 * <p>Only a few seconds of each number's rate ({@code hexa.campaigns.backlog-seconds}, 3 by default, at least
 * {@value #MIN_BACKLOG} messages) are in the send queue at a time: the rest wait here, so a pause stops the sending within
 * seconds and a cancellation takes back what is still queued. The numbers of a campaign share its recipients, each taking
 * as many as its own rate makes room for. A campaign is FINISHED when no recipient waits and nothing it handed over is
 * still in the send queue.
 */
@Component
class CampaignDispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CampaignDispatcher.class);
    static final String SENDER_KIND = "CAMPAIGN";
    static final int MIN_BACKLOG = 50;
    static final int MAX_CHUNK = 1_000;

    private final CampaignRows rows;
    private final CampaignAudience audience;
    private final SendService send;
    private final OutboundQueue outbound;
    private final ConnectionService connections;
    private final ContactService contacts;
    private final ConsentService consent;
    private final Blocking blocking;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final int backlogSeconds;
    private final QueueWorker worker = new QueueWorker("campaigns", this::step);

    private final CampaignEstimate estimate;
    /** Media headers' parameters (Meta's media id) by campaign, number and upload: resolved once per number, then reused. */
    private final Map<String, HeaderFile> headerFiles = new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a media id is reused from memory before the whatsapp module is asked again (it remembers Meta's copy for 29 days). */
    static final java.time.Duration HEADER_FILE_REUSE = java.time.Duration.ofHours(1);

    private record HeaderFile(MessageToSend.Parameter parameter, Instant resolvedAt) {
    }

    CampaignDispatcher(CampaignEstimate estimate, CampaignRows rows, CampaignAudience audience, SendService send, OutboundQueue outbound, ConnectionService connections,
                       ContactService contacts, ConsentService consent, Blocking blocking, TransactionTemplate transaction,
                       ApplicationEventPublisher events, Clock clock, @Value("${hexa.campaigns.backlog-seconds:3}") int backlogSeconds) {
        this.estimate = estimate;
        this.rows = rows;
        this.audience = audience;
        this.send = send;
        this.outbound = outbound;
        this.connections = connections;
        this.contacts = contacts;
        this.consent = consent;
        this.blocking = blocking;
        this.transaction = transaction;
        this.events = events;
        this.clock = clock;
        this.backlogSeconds = Math.max(1, backlogSeconds);
    }

    void wake() {
        worker.wake();
    }

    @Scheduled(fixedDelayString = "${hexa.campaigns.sweep:500ms}", initialDelayString = "${hexa.campaigns.sweep:500ms}")
    void sweep() {
        wake();
    }

    @Override
    public void destroy() {
        worker.close();
    }

    /** One round over the campaigns with work; true when something was done (the worker goes round again at once). */
    boolean step() {
        List<CampaignRows.Active> active;
        try {
            active = rows.active(clock.instant());
        } catch (RuntimeException e) {
            log.error("Could not look for campaigns to send", e);
            return false;
        }
        boolean worked = false;
        for (CampaignRows.Active campaign : active) {
            try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(campaign.tenantId(), "Campaign"))) {
                worked |= switch (campaign.status()) {
                    case SCHEDULED -> begin(campaign.id());
                    case PREPARING, PAUSED -> prepare(campaign.id());
                    case SENDING -> dispatch(campaign.id());
                    default -> false;
                };
            } catch (RuntimeException e) {
                log.error("Campaign {} could not go on; it is tried again at the next round", campaign.id(), e);
            }
        }
        return worked;
    }

    /** A scheduled campaign whose time has come: its audience is prepared next. */
    private boolean begin(UUID id) {
        Instant now = clock.instant();
        return Boolean.TRUE.equals(transaction.execute(s -> rows.move(id, List.of(Campaign.Status.SCHEDULED), now,
                Map.of("status", Campaign.Status.PREPARING, "started_at", now))));
    }

    /** Writes one batch of the audience; the last one starts the sending (a campaign paused meanwhile stays paused). */
    boolean prepare(UUID id) {
        try {
            return Boolean.TRUE.equals(transaction.execute(s -> {
                Optional<Campaign> locked = rows.lock(id).filter(c -> c.preparedAt() == null
                        && (c.status() == Campaign.Status.PREPARING || c.status() == Campaign.Status.PAUSED));
                if (locked.isEmpty()) {
                    return false;
                }
                Campaign campaign = locked.get();
                Instant now = clock.instant();
                CampaignAudience.Batch batch = audience.prepareNext(campaign, now);
                Map<String, Object> set = new java.util.HashMap<>();
                set.put("prepared_through", batch.through());
                if (batch.done()) {
                    set.put("prepared_at", now);
                    if (campaign.status() == Campaign.Status.PREPARING) {
                        set.put("status", Campaign.Status.SENDING);
                    }
                }
                rows.move(id, List.of(campaign.status()), now, set);
                if (batch.done()) {
                    // The audience is complete: what it will cost, from Meta's prices by recipient country.
                    estimate.estimate(id);
                }
                if (batch.done() && campaign.status() == Campaign.Status.PREPARING) {
                    long recipients = rows.counts(id).byState().getOrDefault("WAITING", 0L);
                    events.publishEvent(new CampaignStarted(TenantContext.tenantId(), id, campaign.name(), recipients, now));
                }
                return true;
            }));
        } catch (UserError e) {
            stop(id, List.of(Campaign.Status.PREPARING, Campaign.Status.PAUSED), e);
            return false;
        }
    }

    /** Fills each number's share of the send queue up to its backlog; finishes the campaign when all is handed over and sent. */
    boolean dispatch(UUID id) {
        Optional<Campaign> found = rows.find(id);
        if (found.isEmpty() || found.get().status() != Campaign.Status.SENDING) {
            return false;
        }
        Campaign campaign = found.get();
        Map<UUID, Integer> queued = outbound.queuedOf(SENDER_KIND, id);
        boolean worked = false;
        List<UUID> numbers = new ArrayList<>(campaign.connectionIds());
        // Each round starts at another number, so that none is always served last.
        java.util.Collections.rotate(numbers, (int) (clock.millis() / 1000 % Math.max(1, numbers.size())));
        for (UUID number : numbers) {
            int room;
            try {
                room = backlog(number) - queued.getOrDefault(number, 0);
            } catch (NotFoundException disconnected) {
                continue;
            }
            if (room <= 0) {
                continue;
            }
            try {
                // A media header's file goes to Meta once per number, outside the chunk's transaction; every recipient reuses it.
                resolveHeaderFiles(campaign, number);
                Integer handed = transaction.execute(s -> dispatchChunk(id, number, Math.min(room, MAX_CHUNK), clock.instant()));
                worked |= handed != null && handed > 0;
            } catch (UserError e) {
                stop(id, List.of(Campaign.Status.SENDING), e);
                return false;
            }
        }
        if (!worked && !rows.anyWaiting(id) && outbound.queuedOf(SENDER_KIND, id).isEmpty()) {
            finish(campaign);
        }
        return worked;
    }

    /** How many of the campaign's messages a number may have in the send queue: a few seconds of its rate. */
    int backlog(UUID connectionId) {
        return Math.max(MIN_BACKLOG, connections.messagesPerSecond(connectionId) * backlogSeconds);
    }

    /**
     * Hands up to {@code limit} due recipients to the number, in the caller's transaction: renders each one's template,
     * queues the messages, marks the recipients QUEUED with them. Recipients who can no longer get it (opted out or
     * blocked since, a variable now missing) are excluded instead. Answers how many were handed over (0: none due, or the
     * campaign is no longer sending).
     */
    int dispatchChunk(UUID campaignId, UUID connectionId, int limit, Instant now) {
        Optional<Campaign> held = rows.holdIf(campaignId, Campaign.Status.SENDING);
        if (held.isEmpty()) {
            return 0;
        }
        Campaign campaign = held.get();
        boolean restWaits = campaign.ab() != null && campaign.abWinner() == null;
        List<CampaignRows.Due> due = rows.claimDue(campaignId, now, restWaits, limit);
        if (due.isEmpty()) {
            return 0;
        }
        List<UUID> ids = due.stream().map(CampaignRows.Due::contactId).toList();
        Map<UUID, Contact> people = contacts.byIds(ids);
        Set<UUID> allowed = new HashSet<>(campaign.marketing() ? consent.marketingAudience(ids) : ids);
        Set<UUID> blocked = allowed.size() == ids.size() && campaign.marketing() ? Set.of() : blocking.blockedAmong(ids);
        CampaignAudience.Versions versions = audience.versions(campaign).with(upload -> headerFile(campaignId, connectionId, upload));
        List<SendService.BulkRecipient> bulk = new ArrayList<>();
        List<UUID> handed = new ArrayList<>();
        List<UUID> optedOut = new ArrayList<>();
        List<UUID> nowBlocked = new ArrayList<>();
        List<UUID> missing = new ArrayList<>();
        List<UUID> gone = new ArrayList<>();
        for (CampaignRows.Due recipient : due) {
            UUID contactId = recipient.contactId();
            Contact contact = people.get(contactId);
            if (contact == null) {
                gone.add(contactId);
            } else if (blocked.contains(contactId)) {
                nowBlocked.add(contactId);
            } else if (!allowed.contains(contactId)) {
                optedOut.add(contactId);
            } else {
                Optional<MessageToSend.Template> message = versions.render(recipient.variant(), contact);
                if (message.isEmpty()) {
                    missing.add(contactId);
                } else {
                    bulk.add(new SendService.BulkRecipient(contactId, message.get()));
                    handed.add(contactId);
                }
            }
        }
        rows.exclude(campaignId, optedOut, "OPTED_OUT");
        rows.exclude(campaignId, nowBlocked, "BLOCKED");
        rows.exclude(campaignId, missing, "MISSING_VARIABLE");
        rows.exclude(campaignId, gone, "NO_WHATSAPP");
        if (!bulk.isEmpty()) {
            // A send whose answer a crash lost is held until Meta's statuses settle it, and sent again only once that is
            // proven safe (webhooks flowed and none named it): the send queue's rule, so that none is forgotten.
            List<UUID> messages = send.queueBulk(connectionId, new OutboundQueue.Sender(SENDER_KIND, campaignId, campaign.name()), bulk,
                    SendService.WhenUncertain.RESEND);
            rows.markQueued(campaignId, handed, messages, connectionId, now);
        }
        return due.size();
    }

    private void resolveHeaderFiles(Campaign campaign, UUID connectionId) {
        campaign.version("A").variables().headerMedia().ifPresent(upload -> headerFile(campaign.id(), connectionId, upload));
        if (campaign.ab() != null) {
            campaign.version("B").variables().headerMedia().ifPresent(upload -> headerFile(campaign.id(), connectionId, upload));
        }
    }

    /** The media header's parameter of an upload on a number: from memory, else Meta's media id from the whatsapp module. */
    private MessageToSend.Parameter headerFile(UUID campaignId, UUID connectionId, String uploadId) {
        String key = campaignId + "|" + connectionId + "|" + uploadId;
        HeaderFile known = headerFiles.get(key);
        Instant now = clock.instant();
        if (known != null && known.resolvedAt().isAfter(now.minus(HEADER_FILE_REUSE))) {
            return known.parameter();
        }
        SendService.UploadedFile file = send.uploadedFile(UUID.fromString(uploadId));
        String mediaId = send.mediaAtMeta(file.id(), connectionId);
        MessageToSend.Parameter parameter = MessageToSend.Parameter.media(file.kind(), mediaId, file.filename());
        headerFiles.put(key, new HeaderFile(parameter, now));
        return parameter;
    }

    private void finish(Campaign campaign) {
        transaction.executeWithoutResult(s -> {
            Instant now = clock.instant();
            if (!rows.anyWaiting(campaign.id()) && rows.move(campaign.id(), List.of(Campaign.Status.SENDING), now,
                    Map.of("status", Campaign.Status.FINISHED, "finished_at", now))) {
                events.publishEvent(new CampaignFinished(TenantContext.tenantId(), campaign.id(), campaign.name(), now));
            }
        });
        headerFiles.keySet().removeIf(key -> key.startsWith(campaign.id() + "|"));
    }

    /** Something the campaign cannot go on with (its template is no longer approved, its segment deleted): paused, with why. */
    private void stop(UUID id, List<Campaign.Status> from, UserError reason) {
        log.warn("Campaign {} paused: {}", id, reason.text());
        transaction.executeWithoutResult(s -> {
            Instant now = clock.instant();
            Map<String, Object> set = new java.util.HashMap<>();
            set.put("status", Campaign.Status.PAUSED);
            set.put("paused_at", now);
            set.put("failure", reason.text());
            rows.move(id, from, now, set);
        });
    }
}
