package hexa.inbox;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code /inbox/live}: server-sent events for a member's open inbox tabs. News of changed
 * conversations is gathered for a moment and sent as one event listing the ids the member may
 * see (checked like every page: another's conversation is never even named), so a burst of
 * webhooks costs each tab one refresh. The browser then reloads the parts that changed.
 */
@RestController
class InboxLiveController implements DisposableBean, org.springframework.context.SmartLifecycle {

    private static final long FLUSH_MILLIS = 400;
    /** Often enough that a tab closed without a goodbye is noticed (the second write after it fails) within seconds. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final long TIMEOUT_MILLIS = Duration.ofMinutes(30).toMillis();
    /** How often an open stream checks that its member still is one, with the role they have now. */
    private static final Duration MEMBERSHIP_CHECK = Duration.ofSeconds(5);

    private final LiveUpdates live;
    private final ConversationService conversations;
    private final hexa.identity.MemberService members;
    private final Set<Tab> tabs = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "inbox-live-send");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "inbox-live");
        thread.setDaemon(true);
        return thread;
    });

    InboxLiveController(LiveUpdates live, ConversationService conversations, hexa.identity.MemberService members) {
        this.live = live;
        this.conversations = conversations;
        this.members = members;
        flusher.scheduleWithFixedDelay(this::flushAll, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping(value = "/inbox/live", produces = "text/event-stream")
    SseEmitter live() throws IOException {
        Actor actor = TenantContext.actor();
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        Tab tab = new Tab(actor, emitter);
        tab.subscription = live.subscribe(actor.tenantId(), tab::hear);
        tabs.add(tab);
        emitter.onCompletion(() -> {
            tab.close();
            tab.finished.countDown();
        });
        emitter.onTimeout(tab::close);
        emitter.onError(e -> {
            tab.broken = true;
            tab.close();
        });
        // Tells the browser how long to wait before reconnecting, and that the stream is open.
        emitter.send(SseEmitter.event().reconnectTime(3_000).comment("open"));
        return emitter;
    }

    /**
     * Each tab is flushed on its own thread, so that a browser gone without a goodbye (a write that
     * waits for a dead connection) never delays the news to everyone else.
     */
    private void flushAll() {
        for (Tab tab : tabs) {
            if (tab.flushing.compareAndSet(false, true)) {
                try {
                    senders.execute(() -> {
                        try {
                            tab.flush();
                        } finally {
                            tab.flushing.set(false);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    tab.flushing.set(false);
                }
            }
        }
    }

    @Override
    public void destroy() {
        flusher.shutdownNow();
        senders.shutdownNow();
        tabs.forEach(Tab::close);
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream before the web server drains its requests on shutdown; otherwise the
     * server would wait for these endless responses. Browsers reconnect to another node or after the restart.
     */
    @Override
    public void stop() {
        running = false;
        List<Tab> open = new ArrayList<>(tabs);
        org.slf4j.LoggerFactory.getLogger(InboxLiveController.class).info("Shutting down: closing {} live inbox streams", open.size());
        open.forEach(Tab::close);
        // Completing a stream is finished by the server on another thread: wait for it before the
        // server pauses its connectors, or the streams would hold the shutdown until its timeout.
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        for (Tab tab : open) {
            try {
                tab.finished.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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

    /** One open browser tab of one member. */
    private final class Tab {
        /** Who the tab is open for, with the role they have now (checked every few seconds). */
        private volatile Actor actor;
        private volatile long membershipCheckedAt = System.nanoTime();
        private final SseEmitter emitter;
        private final Set<UUID> changed = ConcurrentHashMap.newKeySet();
        private volatile boolean resync;
        private volatile boolean mentioned;
        private volatile long lastSent = System.nanoTime();
        private volatile AutoCloseable subscription;
        private final java.util.concurrent.atomic.AtomicBoolean flushing = new java.util.concurrent.atomic.AtomicBoolean();
        /** A write failed: the server ends the response itself, completing it again would only raise errors. */
        private volatile boolean broken;
        private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

        Tab(Actor actor, SseEmitter emitter) {
            this.actor = actor;
            this.emitter = emitter;
        }

        void hear(LiveUpdates.News news) {
            if (news.resync()) {
                resync = true;
            } else if ("conversation".equals(news.topic())) {
                try {
                    changed.add(UUID.fromString(news.id()));
                } catch (IllegalArgumentException ignored) {
                    // not ours
                }
            } else if ("notification".equals(news.topic()) && String.valueOf(actor.userId()).equals(news.id())) {
                mentioned = true;
            }
        }

        /**
         * The member is still an active member who may use the inbox: the role they have now decides what the tab
         * names from here on; deactivated (or no longer allowed), the stream ends.
         */
        private boolean stillAllowed() {
            if (actor.userId() == null || System.nanoTime() - membershipCheckedAt < MEMBERSHIP_CHECK.toNanos()) {
                return true;
            }
            membershipCheckedAt = System.nanoTime();
            java.util.Optional<hexa.platform.access.Role> role = members.activeRole(actor.tenantId(), actor.userId());
            if (role.isEmpty() || !role.get().can(Permission.USE_INBOX)) {
                return false;
            }
            if (role.get() != actor.role()) {
                actor = Actor.member(actor.tenantId(), role.get(), actor.userId(), actor.name());
            }
            return true;
        }

        void flush() {
            try {
                if (!stillAllowed()) {
                    close();
                    return;
                }
                if (resync) {
                    resync = false;
                    changed.clear();
                    send("resync", "");
                }
                if (!changed.isEmpty()) {
                    List<UUID> ids = new ArrayList<>(changed);
                    changed.removeAll(ids);
                    List<UUID> visible;
                    try (TenantContext.Scope ignored = TenantContext.enter(actor)) {
                        visible = conversations.visibleAmong(ids);
                    }
                    if (!visible.isEmpty()) {
                        send("conversations", String.join(",", visible.stream().map(UUID::toString).toList()));
                    }
                }
                if (mentioned) {
                    mentioned = false;
                    send("notification", "");
                }
                if (System.nanoTime() - lastSent > HEARTBEAT.toNanos()) {
                    emitter.send(SseEmitter.event().comment("still here"));
                    lastSent = System.nanoTime();
                }
            } catch (IOException | RuntimeException e) {
                broken = true;
                close();
            }
        }

        private void send(String name, String data) throws IOException {
            emitter.send(SseEmitter.event().name(name).data(data));
            lastSent = System.nanoTime();
        }

        void close() {
            tabs.remove(this);
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
