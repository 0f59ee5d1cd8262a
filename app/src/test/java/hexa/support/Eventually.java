package hexa.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for what happens in the background (webhooks, the sender, the sandbox's phone) to reach a state. */
public final class Eventually {

    private Eventually() {
    }

    /** Probes every 100 ms for up to 30 s until the condition holds; answers the last value probed. */
    public static <T> T await(Supplier<T> probe, Predicate<T> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (condition.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Waited in vain for " + what + "; last seen: " + last);
    }
}
