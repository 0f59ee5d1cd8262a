package hexa.sandbox.messages;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxSwitches;

/**
 * Meta's limit on messages from one business number to one user: a burst of 45, refilled at one
 * message every 6 seconds. Above it Meta answers 131056.
 */
@Component
public class PairRateLimiter {

    private static final class Bucket {
        double tokens;
        long refilledAtNanos;
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final SandboxSwitches switches;

    public PairRateLimiter(SandboxSwitches switches) {
        this.switches = switches;
    }

    public boolean tryTake(String phoneNumberId, String recipient) {
        int burst = switches.pairBurst;
        Bucket bucket = buckets.computeIfAbsent(phoneNumberId + "/" + recipient, k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = burst;
            fresh.refilledAtNanos = System.nanoTime();
            return fresh;
        });
        synchronized (bucket) {
            long now = System.nanoTime();
            double refill = (now - bucket.refilledAtNanos) / 1e9 * switches.pairMessagesPerSecond;
            bucket.tokens = Math.min(burst, bucket.tokens + refill);
            bucket.refilledAtNanos = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }
}
