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

    public void rejected(int code) {
        rejectedByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public void failedStatus(int code) {
        failedStatusesByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public void batch(int size) {
        largestBatch.accumulateAndGet(size, Math::max);
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
        Map<String, Object> webhooks = new java.util.LinkedHashMap<>();
        webhooks.put("posts", webhookPosts.sum());
        webhooks.put("delivered", webhookEventsDelivered.sum());
        webhooks.put("retried", webhooksRetried.sum());
        webhooks.put("failed", webhooksFailed.sum());
        webhooks.put("duplicates", webhookDuplicatesSent.sum());
        webhooks.put("dropped", webhookEventsDropped.sum());
        webhooks.put("largestBatch", largestBatch.get());
        out.put("webhooks", webhooks);
        return out;
    }

    public void reset() {
        messagesAccepted.reset();
        mediaUploads.reset();
        readReceipts.reset();
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
    }

    private static Map<String, Long> totals(Map<Integer, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((code, count) -> out.put(Integer.toString(code), count.sum()));
        return out;
    }
}
