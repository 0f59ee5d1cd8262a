package hexa.sandbox;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Component;

/** Counters a benchmark or a test reads from {@code GET /sandbox/api/stats}. */
@Component
public class SandboxStats {

    public final LongAdder messagesAccepted = new LongAdder();
    public final LongAdder mediaUploads = new LongAdder();
    public final LongAdder readReceipts = new LongAdder();
    /** The same three counters for each business number, so that a test reads only what its own number did. */
    private final Map<String, NumberCounters> byNumber = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> rejectedByCode = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> failedStatusesByCode = new ConcurrentHashMap<>();
    public final LongAdder inboundMessages = new LongAdder();
    public final LongAdder statusesEmitted = new LongAdder();
    public final LongAdder webhookPosts = new LongAdder();
    public final LongAdder webhookEventsDelivered = new LongAdder();
    public final LongAdder webhooksRetried = new LongAdder();
    public final LongAdder webhooksFailed = new LongAdder();
    public final LongAdder webhookDuplicatesSent = new LongAdder();
    public final LongAdder webhookEventsDropped = new LongAdder();
    public final AtomicLong largestBatch = new AtomicLong();
    private volatile java.util.function.Supplier<Map<String, Object>> backlog = Map::of;
    private final Object ackLock = new Object();
    private long[] ackMicros = new long[1024];
    private int acks;

    private record NumberCounters(LongAdder accepted, LongAdder mediaUploads, LongAdder readReceipts, Sends sends) {
        NumberCounters() {
            this(new LongAdder(), new LongAdder(), new LongAdder(), new Sends());
        }
    }

    /** Most sends whose order a number keeps (their {@code biz_opaque_callback_data}), for tests of who goes first. */
    static final int KEPT_ORDER = 100_000;
    /** Seconds of per-second counts a number keeps. */
    static final int KEPT_SECONDS = 3600;

    /** A number's send calls: how many are in flight at once (and the most ever), per second, in which order, refused by code. */
    private static final class Sends {
        int inFlight;
        int maxInFlight;
        final java.util.TreeMap<Long, long[]> perSecond = new java.util.TreeMap<>();
        final java.util.List<String> order = new java.util.ArrayList<>();
        final Map<Integer, LongAdder> refused = new ConcurrentHashMap<>();
    }

    /** A send call of the number arrived; {@link #sendEnded} follows when it is answered. */
    public void sendStarted(String phoneNumberId) {
        Sends sends = of(phoneNumberId).sends();
        synchronized (sends) {
            sends.inFlight++;
            sends.maxInFlight = Math.max(sends.maxInFlight, sends.inFlight);
        }
    }

    public void sendEnded(String phoneNumberId) {
        Sends sends = of(phoneNumberId).sends();
        synchronized (sends) {
            sends.inFlight--;
        }
    }

    /** A send the number made was accepted in this second (of the sandbox's real time), with our caller's reference. */
    public void sendAccepted(String phoneNumberId, long epochSecond, String callbackData) {
        Sends sends = of(phoneNumberId).sends();
        synchronized (sends) {
            sends.perSecond.computeIfAbsent(epochSecond, s -> new long[1])[0]++;
            while (sends.perSecond.size() > KEPT_SECONDS) {
                sends.perSecond.pollFirstEntry();
            }
            if (sends.order.size() < KEPT_ORDER) {
                sends.order.add(callbackData == null ? "" : callbackData);
            }
        }
    }

    /** Most repeated recipients a template's counters name (the rest are only counted). */
    static final int KEPT_REPEATS = 20;

    /** Per template name: its accepted sends and to whom, so that "the same person twice" is counted across numbers. */
    private final Map<String, TemplateSends> templateSends = new ConcurrentHashMap<>();

    private static final class TemplateSends {
        long accepted;
        final Map<String, Integer> perRecipient = new java.util.HashMap<>();
        long repeated;
        final java.util.List<String> repeatedSample = new java.util.ArrayList<>();
    }

    /** A template message was accepted for this recipient (wa_id or user id), from any number. */
    public void templateAccepted(String templateName, String recipient) {
        TemplateSends sends = templateSends.computeIfAbsent(templateName, n -> new TemplateSends());
        synchronized (sends) {
            sends.accepted++;
            int times = sends.perRecipient.merge(recipient, 1, Integer::sum);
            if (times > 1) {
                sends.repeated++;
                if (times == 2 && sends.repeatedSample.size() < KEPT_REPEATS) {
                    sends.repeatedSample.add(recipient);
                }
            }
        }
    }

    private Map<String, Object> templateTotals() {
        Map<String, Object> out = new TreeMap<>();
        templateSends.forEach((name, sends) -> {
            synchronized (sends) {
                Map<String, Object> one = new java.util.LinkedHashMap<>();
                one.put("accepted", sends.accepted);
                one.put("recipients", sends.perRecipient.size());
                one.put("repeated", sends.repeated);
                one.put("repeatedSample", java.util.List.copyOf(sends.repeatedSample));
                out.put(name, one);
            }
        });
        return out;
    }

    /** A send of the number was refused with this Meta error code. */
    public void sendRefused(String phoneNumberId, int code) {
        of(phoneNumberId).sends().refused.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    private NumberCounters of(String phoneNumberId) {
        return byNumber.computeIfAbsent(phoneNumberId, n -> new NumberCounters());
    }

    /** A message the number sent was accepted. */
    public void accepted(String phoneNumberId) {
        messagesAccepted.increment();
        of(phoneNumberId).accepted().increment();
    }

    /** The number uploaded a file. */
    public void mediaUploaded(String phoneNumberId) {
        mediaUploads.increment();
        of(phoneNumberId).mediaUploads().increment();
    }

    /** The number marked a customer's message as read. */
    public void readReceipt(String phoneNumberId) {
        readReceipts.increment();
        of(phoneNumberId).readReceipts().increment();
    }

    /** What one business number did: {@code accepted}, {@code mediaUploads}, {@code readReceipts} (all 0 for a number that did nothing). */
    public Map<String, Object> snapshotOf(String phoneNumberId) {
        NumberCounters counters = byNumber.getOrDefault(phoneNumberId, new NumberCounters());
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("phoneNumberId", phoneNumberId);
        out.put("accepted", counters.accepted().sum());
        out.put("mediaUploads", counters.mediaUploads().sum());
        out.put("readReceipts", counters.readReceipts().sum());
        Sends sends = counters.sends();
        synchronized (sends) {
            out.put("maxConcurrentSends", sends.maxInFlight);
            Map<String, Long> perSecond = new java.util.LinkedHashMap<>();
            sends.perSecond.forEach((second, count) -> perSecond.put(Long.toString(second), count[0]));
            out.put("acceptedPerSecond", perSecond);
            out.put("maxPerSecond", sends.perSecond.values().stream().mapToLong(c -> c[0]).max().orElse(0));
            out.put("order", java.util.List.copyOf(sends.order));
        }
        out.put("refused", totals(sends.refused));
        return out;
    }

    private volatile Runnable resetBacklogCounters = () -> { };

    /**
     * Where {@link #snapshot()} reads the webhooks waiting for a retry ({@code hexa.sandbox.webhooks.RetryBacklog}), and
     * how {@link #reset()} zeroes its counters (what waits keeps waiting).
     */
    public void showBacklog(java.util.function.Supplier<Map<String, Object>> backlog, Runnable resetCounters) {
        this.backlog = backlog;
        this.resetBacklogCounters = resetCounters;
    }

    public void rejected(int code) {
        rejectedByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public void failedStatus(int code) {
        failedStatusesByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public void batch(int size) {
        largestBatch.accumulateAndGet(size, Math::max);
    }

    /** How long a callback took to answer a webhook POST with 200, as its sender measured it. */
    public void acknowledged(long micros) {
        synchronized (ackLock) {
            if (acks == ackMicros.length) {
                if (acks >= 10_000_000) {
                    return;
                }
                ackMicros = java.util.Arrays.copyOf(ackMicros, acks * 2);
            }
            ackMicros[acks++] = micros;
        }
    }

    private Map<String, Object> ackLatency() {
        long[] sorted;
        synchronized (ackLock) {
            sorted = java.util.Arrays.copyOf(ackMicros, acks);
        }
        java.util.Arrays.sort(sorted);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("count", sorted.length);
        for (int percent : new int[] {50, 95, 99}) {
            out.put("p" + percent, percentile(sorted, percent) / 1000.0);
        }
        out.put("max", sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
        return out;
    }

    private static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("accepted", messagesAccepted.sum());
        out.put("mediaUploads", mediaUploads.sum());
        out.put("readReceipts", readReceipts.sum());
        out.put("rejected", totals(rejectedByCode));
        out.put("rejectedTotal", rejectedByCode.values().stream().mapToLong(LongAdder::sum).sum());
        out.put("failedStatuses", totals(failedStatusesByCode));
        out.put("inboundMessages", inboundMessages.sum());
        out.put("statuses", statusesEmitted.sum());
        out.put("templates", templateTotals());
        Map<String, Object> webhooks = new java.util.LinkedHashMap<>();
        webhooks.put("posts", webhookPosts.sum());
        webhooks.put("delivered", webhookEventsDelivered.sum());
        webhooks.put("retried", webhooksRetried.sum());
        webhooks.put("failed", webhooksFailed.sum());
        webhooks.put("duplicates", webhookDuplicatesSent.sum());
        webhooks.put("dropped", webhookEventsDropped.sum());
        webhooks.put("largestBatch", largestBatch.get());
        webhooks.put("ackMillis", ackLatency());
        webhooks.put("backlog", backlog.get());
        out.put("webhooks", webhooks);
        return out;
    }

    public void reset() {
        messagesAccepted.reset();
        mediaUploads.reset();
        readReceipts.reset();
        byNumber.clear();
        templateSends.clear();
        rejectedByCode.clear();
        failedStatusesByCode.clear();
        inboundMessages.reset();
        statusesEmitted.reset();
        webhookPosts.reset();
        webhookEventsDelivered.reset();
        webhooksRetried.reset();
        webhooksFailed.reset();
        webhookDuplicatesSent.reset();
        webhookEventsDropped.reset();
        largestBatch.set(0);
        resetBacklogCounters.run();
        synchronized (ackLock) {
            ackMicros = new long[1024];
            acks = 0;
        }
    }

    private static Map<String, Long> totals(Map<Integer, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((code, count) -> out.put(Integer.toString(code), count.sum()));
        return out;
    }
}
