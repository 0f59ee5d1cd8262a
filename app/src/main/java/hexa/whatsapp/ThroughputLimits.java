package hexa.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Keeps sending within Meta's limits instead of running into them: each number's messages per
 * second in any sliding second, with a margin for the calls' travel time (130429 above it), and the pair rate limit of about one message
 * every 6 seconds to the same person, with a small burst allowance (131056 above it). The limits
 * are kept in this node's memory; with several nodes each keeps its own share, and Meta's answer remains the
 * final word (both errors are retried).
 */
@Component
class ThroughputLimits {

    static final Duration PAIR_INTERVAL = Duration.ofSeconds(6);
    static final int PAIR_BURST = 10;
    /**
     * The sliding "second" is this long: the calls take different times to reach Meta, and a call that left late
     * after one that left early could otherwise land three in one of Meta's seconds where two were allowed. 20 ms of
     * margin was not enough on a loaded machine (seven 130429 in the four-number campaign bench, one in a test run of
     * the full suite); 60 ms costs 6 % of the tier.
     */
    static final Duration WINDOW = Duration.ofMillis(1060);
    /** While a first-lane message waits for its number, a bulk message looks again this soon instead of taking the place. */
    static final Duration YIELD = Duration.ofMillis(2);

    private final Clock clock;
    private final Map<UUID, Deque<Instant>> numbers = new ConcurrentHashMap<>();
    private final Map<String, Bucket> pairs = new ConcurrentHashMap<>();
    private final Map<UUID, java.util.concurrent.atomic.AtomicInteger> firstLaneWaiting = new ConcurrentHashMap<>();
    private final int nodes;

    ThroughputLimits(Clock clock) {
        this(clock, 1);
    }

    /**
     * {@code nodes}: how many nodes send for the same numbers ({@code hexa.whatsapp.sender.nodes}); each keeps its share of
     * every number's rate, so that together they stay within it.
     */
    @org.springframework.beans.factory.annotation.Autowired
    ThroughputLimits(Clock clock, @org.springframework.beans.factory.annotation.Value("${hexa.whatsapp.sender.nodes:1}") int nodes) {
        this.clock = clock;
        this.nodes = Math.max(1, nodes);
    }

    /** This node's share of a number's messages per second. */
    int share(int messagesPerSecond) {
        return Math.max(1, messagesPerSecond / nodes);
    }

    /**
     * As {@link #reserve(UUID, int, String)} for a message in {@code lane}: a bulk message yields its number's place to
     * any first-lane message waiting for it (agents' replies jump a campaign's backlog).
     */
    Duration reserve(UUID connectionId, int messagesPerSecond, String recipient, OutboundQueue.Lane lane) {
        if (lane == OutboundQueue.Lane.BULK) {
            java.util.concurrent.atomic.AtomicInteger waiting = firstLaneWaiting.get(connectionId);
            if (waiting != null && waiting.get() > 0) {
                return YIELD;
            }
        }
        return reserve(connectionId, share(messagesPerSecond), recipient);
    }

    /** A first-lane message begins (+1) or ends (-1) waiting for its number's place. */
    void firstLaneWaiting(UUID connectionId, int change) {
        firstLaneWaiting.computeIfAbsent(connectionId, id -> new java.util.concurrent.atomic.AtomicInteger()).addAndGet(change);
    }

    /**
     * Takes a place for one message from this number to this recipient, or answers how long to wait
     * before trying again (nothing is taken then).
     */
    synchronized Duration reserve(UUID connectionId, int messagesPerSecond, String recipient) {
        Instant now = clock.instant();
        // The number's limit is a sliding second: never more than its rate in any one second.
        Deque<Instant> lastSecond = numbers.computeIfAbsent(connectionId, id -> new ArrayDeque<>());
        if (!lastSecond.isEmpty() && lastSecond.peekLast().isAfter(now)) {
            // The clock was set back: sends counted "later" than now must not hold the number back until then.
            lastSecond.clear();
        }
        while (!lastSecond.isEmpty() && !lastSecond.peekFirst().isAfter(now.minus(WINDOW))) {
            lastSecond.pollFirst();
        }
        Duration numberWait = lastSecond.size() < messagesPerSecond
                ? Duration.ZERO
                : Duration.between(now, lastSecond.peekFirst().plus(WINDOW)).plusMillis(1);
        Bucket pair = pairs.computeIfAbsent(connectionId + "|" + recipient, key -> new Bucket(1.0 / PAIR_INTERVAL.toSeconds(), PAIR_BURST, now));
        Duration wait = max(numberWait, pair.waitFor(now));
        if (!wait.isZero()) {
            return wait;
        }
        lastSecond.addLast(now);
        pair.take();
        return Duration.ZERO;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static final class Bucket {
        private final double perSecond;
        private final double capacity;
        private double tokens;
        private Instant refilled;

        Bucket(double perSecond, double capacity, Instant now) {
            this.perSecond = perSecond;
            this.capacity = capacity;
            this.tokens = capacity;
            this.refilled = now;
        }

        Duration waitFor(Instant now) {
            double elapsed = Math.max(0, Duration.between(refilled, now).toNanos() / 1e9);
            tokens = Math.min(capacity, tokens + elapsed * perSecond);
            refilled = now;
            if (tokens >= 1) {
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9));
        }

        void take() {
            tokens -= 1;
        }
    }
}
