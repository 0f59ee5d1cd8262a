package hexa.sandbox.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxStats;
import hexa.sandbox.SandboxSwitches;
import hexa.sandbox.WhatsAppIds;
import hexa.sandbox.numbers.WebhookTarget;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything on its way to one callback URL. Nothing is sent before the verification handshake
 * succeeds; after that one dispatcher posts in order, taking whatever has piled up (so batches grow
 * with load), and failed posts are retried on the side as Meta retries them: after 1, 3, 7, 15, 31 s …
 * (doubling, up to {@code retryMaxDelayMs}) for up to seven days, waiting meanwhile in the {@link RetryBacklog}.
 */
public final class WebhookOutbox {

    private static final Logger log = LoggerFactory.getLogger(WebhookOutbox.class);

    public enum Verification { PENDING, VERIFIED }

    private final WebhookTarget target;
    private final HttpClient http;
    private final ScheduledExecutorService retries;
    private final JsonMapper json;
    private final SandboxSwitches switches;
    private final SandboxStats stats;
    private final SandboxClock clock;
    private final WhatsAppIds ids;
    private final RetryBacklog backlog;
    private final LinkedBlockingQueue<WebhookEvent> queue = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private final java.util.concurrent.ExecutorService concurrentPosts = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "sandbox-webhook-post");
        thread.setDaemon(true);
        return thread;
    });
    private final Object inFlightLock = new Object();
    private int inFlight;
    private final Object verifiedSignal = new Object();
    private volatile Verification verification = Verification.PENDING;
    private volatile String lastProblem = "";
    private volatile boolean running = true;
    private volatile CallbackConnections callbacks;

    WebhookOutbox(WebhookTarget target, HttpClient http, ScheduledExecutorService retries, JsonMapper json,
            SandboxSwitches switches, SandboxStats stats, SandboxClock clock, WhatsAppIds ids, RetryBacklog backlog) {
        this.backlog = backlog;
        this.target = target;
        this.http = http;
        this.retries = retries;
        this.json = json;
        this.switches = switches;
        this.stats = stats;
        this.clock = clock;
        this.ids = ids;
        this.dispatcher = new Thread(this::run, "sandbox-webhooks-" + Integer.toHexString(target.hashCode()));
        this.dispatcher.setDaemon(true);
    }

    void start() {
        dispatcher.start();
    }

    void stop() {
        running = false;
        dispatcher.interrupt();
        concurrentPosts.shutdownNow();
        CallbackConnections connections = callbacks;
        if (connections != null) {
            connections.close();
        }
    }

    public Verification verification() {
        return verification;
    }

    public String lastProblem() {
        return lastProblem;
    }

    public int pending() {
        return queue.size();
    }

    public boolean awaitVerified(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (verifiedSignal) {
            while (verification != Verification.VERIFIED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(verifiedSignal, left);
            }
        }
        return true;
    }

    void publish(WebhookEvent event) {
        if (switches.outOfOrderRate > 0 && ids.random().nextDouble() < switches.outOfOrderRate) {
            retries.schedule(() -> queue.add(event), switches.outOfOrderDelayMs, TimeUnit.MILLISECONDS);
        } else {
            queue.add(event);
        }
    }

    private void run() {
        try {
            verifyUntilAccepted();
            while (running) {
                if (switches.deliveryConcurrency > 1) {
                    deliverAlongside();
                    continue;
                }
                List<WebhookEvent> batch = nextBatch();
                if (!batch.isEmpty()) {
                    deliver(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void verifyUntilAccepted() throws InterruptedException {
        long pause = 250;
        while (running) {
            if (handshake()) {
                synchronized (verifiedSignal) {
                    verification = Verification.VERIFIED;
                    verifiedSignal.notifyAll();
                }
                return;
            }
            // The app may still be starting when it registers its number: keep asking, gently.
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 5000);
        }
    }

    private boolean handshake() {
        String challenge = ids.challenge();
        String url = target.callbackUrl() + (target.callbackUrl().contains("?") ? "&" : "?")
                + "hub.mode=subscribe&hub.challenge=" + challenge
                + "&hub.verify_token=" + URLEncoder.encode(target.verifyToken(), StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET()
                    .timeout(Duration.ofMillis(switches.deliveryTimeoutMs)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && challenge.equals(response.body())) {
                lastProblem = "";
                return true;
            }
            lastProblem = "verification answered " + response.statusCode() + " without echoing the challenge";
        } catch (IOException | IllegalArgumentException e) {
            lastProblem = "verification failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private List<WebhookEvent> nextBatch() throws InterruptedException {
        List<WebhookEvent> batch = new ArrayList<>();
        WebhookEvent first = queue.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        if (switches.batchWindowMs > 0) {
            Thread.sleep(switches.batchWindowMs);
        }
        queue.drainTo(batch, Math.max(0, switches.maxBatchSize - 1));
        return batch;
    }

    /**
     * Waits for one of {@code deliveryConcurrency} POST slots, then posts what has piled up meanwhile
     * beside the POSTs already in flight, as Meta does under load.
     */
    private void deliverAlongside() throws InterruptedException {
        synchronized (inFlightLock) {
            while (inFlight >= Math.max(1, switches.deliveryConcurrency)) {
                inFlightLock.wait();
            }
            inFlight++;
        }
        List<WebhookEvent> batch;
        try {
            batch = nextBatch();
        } catch (InterruptedException e) {
            release();
            throw e;
        }
        if (batch.isEmpty()) {
            release();
            return;
        }
        concurrentPosts.execute(() -> {
            try {
                deliver(batch);
            } finally {
                release();
            }
        });
    }

    private void release() {
        synchronized (inFlightLock) {
            inFlight--;
            inFlightLock.notifyAll();
        }
    }

    private void deliver(List<WebhookEvent> batch) {
        byte[] body = WebhookPayload.bytes(json, WebhookPayload.assemble(json, batch, clock.now().getEpochSecond()));
        String signature = WebhookSignature.of(body, target.appSecret());
        stats.batch(batch.size());
        attempt(body, signature, batch.size(), 1);
    }

    private void attempt(byte[] body, String signature, int events, int attempt) {
        if (post(body, signature)) {
            delivered(body, signature, events);
            return;
        }
        RetryBacklog.Waiting waiting = backlog.add(target.callbackUrl(), body.length, events);
        retryLater(body, signature, events, attempt, waiting);
    }

    private void delivered(byte[] body, String signature, int events) {
        stats.webhookEventsDelivered.add(events);
        if (switches.duplicateRate > 0 && ids.random().nextDouble() < switches.duplicateRate && post(body, signature)) {
            stats.webhookDuplicatesSent.increment();
        }
    }

    /** Schedules attempt {@code failed + 1} of a POST that waits in the backlog, unless it has had all it may. */
    private void retryLater(byte[] body, String signature, int events, int failed, RetryBacklog.Waiting waiting) {
        if (waiting.givenUp()) {
            log.warn("Giving up a webhook for {}: the retry backlog is full", target.callbackUrl());
            return;
        }
        int limit = switches.maxDeliveryAttempts;
        if (limit > 0 && failed >= limit) {
            if (backlog.remove(waiting)) {
                stats.webhooksFailed.increment();
            }
            log.warn("Giving up a webhook for {} after {} attempts: {}", target.callbackUrl(), failed, lastProblem);
            return;
        }
        long delay = retryDelay(failed);
        if (backlog.expiresBefore(waiting, delay)) {
            backlog.expired(waiting);
            log.warn("Giving up a webhook for {} after {} attempts over {} ms: {}", target.callbackUrl(), failed,
                    switches.retryForMs, lastProblem);
            return;
        }
        stats.webhooksRetried.increment();
        retries.schedule(() -> {
            if (waiting.givenUp() || !running) {
                return;
            }
            boolean accepted;
            try {
                accepted = post(body, signature);
            } catch (RuntimeException e) {
                // Whatever went wrong, the webhook must not be lost from the backlog's count: it is tried again.
                lastProblem = "delivery failed: " + e;
                accepted = false;
            }
            if (accepted) {
                if (backlog.remove(waiting)) {
                    delivered(body, signature, events);
                }
                return;
            }
            retryLater(body, signature, events, failed + 1, waiting);
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Meta's retry intervals: the n-th retry comes {@code initial × (2^n − 1)} after the one before: 1, 3, 7, 15, 31 s … */
    long retryDelay(int failedAttempts) {
        long initial = Math.max(1, switches.retryInitialDelayMs);
        int n = Math.min(40, Math.max(1, failedAttempts));
        long factor = (1L << n) - 1;
        long delay = factor > Long.MAX_VALUE / initial ? Long.MAX_VALUE : initial * factor;
        return Math.min(Math.max(initial, switches.retryMaxDelayMs), delay);
    }

    private boolean post(byte[] body, String signature) {
        stats.webhookPosts.increment();
        try {
            CallbackConnections connections = callbacks;
            if (connections == null) {
                connections = new CallbackConnections(URI.create(target.callbackUrl()));
                callbacks = connections;
            }
            long sent = System.nanoTime();
            CallbackConnections.Answer answer = connections.post(body, (int) Math.min(Integer.MAX_VALUE, switches.deliveryTimeoutMs),
                    "Content-Type", "application/json",
                    WebhookSignature.HEADER, signature,
                    "User-Agent", "facebookexternalua");
            if (answer.status() == 200) {
                stats.acknowledged((System.nanoTime() - sent) / 1000);
                return true;
            }
            lastProblem = "callback answered " + answer.status();
        } catch (IOException | IllegalArgumentException e) {
            lastProblem = "callback unreachable: " + e;
        }
        return false;
    }
}
