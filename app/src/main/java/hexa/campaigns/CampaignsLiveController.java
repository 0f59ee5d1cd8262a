package hexa.campaigns;

import hexa.identity.MemberService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code /campaigns/{id}/live}: server-sent events for a campaign's open page (the htmx SSE extension). The stream says
 * {@code funnel} when the funnel's numbers changed and {@code status} when the campaign's status did; the page then reads
 * them again through the normal, permission-checked fragments. It learns of a change from the campaign's live news
 * ({@link LiveUpdates}, topic {@value #TOPIC}: the funnel's statuses, throttled) and by looking every
 * {@value #CHECK_MILLIS} ms, which also catches what is written without news (recipients handed to the send queue).
 * Nothing is sent while nothing changed but a heartbeat; a member who may no longer manage campaigns loses the stream.
 */
@RestController
class CampaignsLiveController implements DisposableBean, SmartLifecycle {

    static final String TOPIC = CampaignLive.TOPIC;
    static final long CHECK_MILLIS = 1_000;
    private static final Duration LOOK_ANYWAY = Duration.ofSeconds(2);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration MEMBERSHIP_CHECK = Duration.ofSeconds(5);
    private static final long TIMEOUT_MILLIS = Duration.ofMinutes(30).toMillis();

    private final LiveUpdates live;
    private final CampaignService campaigns;
    private final CampaignFigures figures;
    private final MemberService members;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "campaign-live-send");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "campaign-live");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;

    CampaignsLiveController(LiveUpdates live, CampaignService campaigns, CampaignFigures figures, MemberService members) {
        this.live = live;
        this.campaigns = campaigns;
        this.figures = figures;
        this.members = members;
        ticker.scheduleWithFixedDelay(this::tickAll, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping(value = "/campaigns/{id}/live", produces = "text/event-stream")
    SseEmitter live(@PathVariable String id) throws IOException {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        Actor actor = TenantContext.actor();
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        Watch watch = new Watch(actor, campaign.id(), emitter, state(campaign.id()));
        watch.subscription = live.subscribe(actor.tenantId(), watch::hear);
        watches.add(watch);
        emitter.onCompletion(() -> {
            watch.close();
            watch.finished.countDown();
        });
        emitter.onTimeout(watch::close);
        emitter.onError(e -> {
            watch.broken = true;
            watch.close();
        });
        emitter.send(SseEmitter.event().reconnectTime(3_000).comment("open"));
        // What changed between the page being drawn and the stream opening is told at once.
        watch.dirty = true;
        return emitter;
    }

    /** What the page shows that may change: the status and the funnel's numbers. */
    private record State(Campaign.Status status, CampaignService.Funnel funnel) {
    }

    private State state(UUID campaignId) {
        return new State(campaigns.get(campaignId).status(), figures.funnel(campaignId));
    }

    private void tickAll() {
        for (Watch watch : watches) {
            if (watch.busy.compareAndSet(false, true)) {
                try {
                    senders.execute(() -> {
                        try {
                            watch.tick();
                        } finally {
                            watch.busy.set(false);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    watch.busy.set(false);
                }
            }
        }
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
        senders.shutdownNow();
        watches.forEach(Watch::close);
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends the open streams before the web server drains its requests on shutdown; browsers reconnect. */
    @Override
    public void stop() {
        running = false;
        List<Watch> open = new ArrayList<>(watches);
        open.forEach(Watch::close);
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        for (Watch watch : open) {
            try {
                watch.finished.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    /** One open page of one campaign. */
    private final class Watch {
        private volatile Actor actor;
        private final UUID campaignId;
        private final SseEmitter emitter;
        private volatile State shown;
        private volatile boolean dirty;
        private volatile long lookedAt = System.nanoTime();
        private volatile long sentAt = System.nanoTime();
        private volatile long membershipCheckedAt = System.nanoTime();
        private volatile AutoCloseable subscription;
        private volatile boolean broken;
        private final AtomicBoolean busy = new AtomicBoolean();
        private final CountDownLatch finished = new CountDownLatch(1);

        Watch(Actor actor, UUID campaignId, SseEmitter emitter, State shown) {
            this.actor = actor;
            this.campaignId = campaignId;
            this.emitter = emitter;
            this.shown = shown;
        }

        void hear(LiveUpdates.News news) {
            if (news.resync() || (TOPIC.equals(news.topic()) && campaignId.toString().equals(news.id()))) {
                dirty = true;
            }
        }

        void tick() {
            try {
                if (!stillAllowed()) {
                    close();
                    return;
                }
                if (dirty || System.nanoTime() - lookedAt > LOOK_ANYWAY.toNanos()) {
                    dirty = false;
                    lookedAt = System.nanoTime();
                    State now;
                    try (TenantContext.Scope ignored = TenantContext.enter(actor)) {
                        now = state(campaignId);
                    }
                    State before = shown;
                    shown = now;
                    if (now.status() != before.status()) {
                        send("status");
                    }
                    if (!now.funnel().equals(before.funnel()) || now.status() != before.status()) {
                        send("funnel");
                    }
                }
                if (System.nanoTime() - sentAt > HEARTBEAT.toNanos()) {
                    emitter.send(SseEmitter.event().comment("still here"));
                    sentAt = System.nanoTime();
                }
            } catch (hexa.platform.web.NotFoundException e) {
                close();
            } catch (IOException | RuntimeException e) {
                broken = true;
                close();
            }
        }

        private boolean stillAllowed() {
            if (actor.userId() == null || System.nanoTime() - membershipCheckedAt < MEMBERSHIP_CHECK.toNanos()) {
                return true;
            }
            membershipCheckedAt = System.nanoTime();
            Optional<hexa.platform.access.Role> role = members.activeRole(actor.tenantId(), actor.userId());
            if (role.isEmpty() || !role.get().can(Permission.MANAGE_CAMPAIGNS)) {
                return false;
            }
            if (role.get() != actor.role()) {
                actor = Actor.member(actor.tenantId(), role.get(), actor.userId(), actor.name());
            }
            return true;
        }

        private void send(String name) throws IOException {
            emitter.send(SseEmitter.event().name(name).data(campaignId.toString()));
            sentAt = System.nanoTime();
        }

        void close() {
            watches.remove(this);
            if (!broken) {
                try {
                    emitter.complete();
                } catch (RuntimeException ignored) {
                    // the response is already finished
                }
            }
            AutoCloseable s = subscription;
            if (s != null) {
                try {
                    s.close();
                } catch (Exception ignored) {
                    // nothing to release
                }
            }
        }
    }
}
