package hexa.sandbox.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxStats;
import hexa.sandbox.SandboxSwitches;

/**
 * Webhook POSTs a callback has not accepted yet and that wait for their next attempt, across every callback URL.
 * Meta keeps retrying for up to seven days; the sandbox does too, but only in memory and only up to
 * {@link SandboxSwitches#maxRetryBacklogBytes} of bodies: beyond that the oldest waiting POST is given up, so an app
 * that stays down under load cannot make the sandbox run out of memory. The stats show how many wait and since when,
 * so that a test can tell when Meta's side has drained.
 */
@Component
public class RetryBacklog {

    /** One POST waiting for its next attempt. */
    static final class Waiting {
        final String callbackUrl;
        final Instant since;
        final int bytes;
        final int events;
        private volatile boolean givenUp;

        Waiting(String callbackUrl, Instant since, int bytes, int events) {
            this.callbackUrl = callbackUrl;
            this.since = since;
            this.bytes = bytes;
            this.events = events;
        }

        boolean givenUp() {
            return givenUp;
        }
    }

    private final SandboxSwitches switches;
    private final SandboxClock clock;
    private final SandboxStats stats;
    private final LinkedHashSet<Waiting> waiting = new LinkedHashSet<>();
    private final LongAdder overflowed = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private long bytes;
    private long events;

    public RetryBacklog(SandboxSwitches switches, SandboxClock clock, SandboxStats stats) {
        this.switches = switches;
        this.clock = clock;
        this.stats = stats;
        stats.showBacklog(this::view, () -> {
            overflowed.reset();
            expired.reset();
        });
    }

    /** A POST failed for the first time: it waits for retries from now on (the oldest are given up beyond the cap). */
    Waiting add(String callbackUrl, int bodyBytes, int eventCount) {
        Waiting entry = new Waiting(callbackUrl, clock.now(), bodyBytes, eventCount);
        synchronized (this) {
            waiting.add(entry);
            bytes += bodyBytes;
            events += eventCount;
            Iterator<Waiting> oldest = waiting.iterator();
            while (bytes > Math.max(0, switches.maxRetryBacklogBytes) && oldest.hasNext()) {
                Waiting dropped = oldest.next();
                oldest.remove();
                dropped.givenUp = true;
                bytes -= dropped.bytes;
                events -= dropped.events;
                overflowed.increment();
                stats.webhooksFailed.increment();
            }
        }
        return entry;
    }

    /** The POST was accepted, or given up: it no longer waits. False when the cap had given it up already. */
    synchronized boolean remove(Waiting entry) {
        if (!waiting.remove(entry)) {
            return false;
        }
        bytes -= entry.bytes;
        events -= entry.events;
        return true;
    }

    /** Whether the next attempt would come later than Meta's seven days (or the {@code retryForMs} switch) after the first failure. */
    boolean expiresBefore(Waiting entry, long nextDelayMs) {
        return Duration.between(entry.since, clock.now()).toMillis() + nextDelayMs > switches.retryForMs;
    }

    void expired(Waiting entry) {
        if (remove(entry)) {
            expired.increment();
            stats.webhooksFailed.increment();
        }
    }

    /**
     * {@code waiting} POSTs, the {@code events} they carry, their {@code bytes}, the {@code oldestAgeSeconds}, what was
     * given up, and the same per callback URL ({@code callbacks}), so that a test reads only its own app's.
     */
    public Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Map<String, Object>> callbacks = new java.util.TreeMap<>();
        Instant now = clock.now();
        synchronized (this) {
            out.put("waiting", waiting.size());
            out.put("events", events);
            out.put("bytes", bytes);
            Instant oldest = waiting.isEmpty() ? null : waiting.iterator().next().since;
            out.put("oldestAgeSeconds", age(oldest, now));
            out.put("oldestSince", oldest == null ? null : oldest.toString());
            for (Waiting entry : waiting) {
                Map<String, Object> one = callbacks.computeIfAbsent(entry.callbackUrl, url -> {
                    Map<String, Object> fresh = new LinkedHashMap<>();
                    fresh.put("waiting", 0);
                    fresh.put("events", 0L);
                    fresh.put("oldestAgeSeconds", age(entry.since, now));
                    return fresh;
                });
                one.put("waiting", (Integer) one.get("waiting") + 1);
                one.put("events", (Long) one.get("events") + entry.events);
            }
        }
        out.put("maxBytes", switches.maxRetryBacklogBytes);
        out.put("droppedOverCap", overflowed.sum());
        out.put("expired", expired.sum());
        out.put("callbacks", callbacks);
        return out;
    }

    private static double age(Instant since, Instant now) {
        return since == null ? 0 : Math.max(0, Duration.between(since, now).toMillis()) / 1000.0;
    }

    /** How many POSTs wait for a retry. */
    public synchronized int size() {
        return waiting.size();
    }
}
