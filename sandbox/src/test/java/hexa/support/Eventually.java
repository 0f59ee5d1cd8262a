package hexa.support;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way the tests wait, the sandbox's and the app's (whose tests get it through this module's test jar): for what
 * happens in the background (webhooks, the sender, the sandbox's phone, a job) to reach a state. Probes often at first
 * (most things are there within milliseconds), then every 100 ms, for up to 30 s unless told otherwise; a probe that
 * throws an {@link AssertionError} ends the wait at once with it.
 *
 * <p>Never wait for time to pass instead: wait for the thing itself, or move the app's test clock ({@code MutableClock}).
 * And never use a wait to show that something does <em>not</em> happen; show it by the order of events.
 */
public final class Eventually {

    /** Long enough for a loaded two-core machine; a condition that holds is seen within milliseconds anyway. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private Eventually() {
    }

    /** Probes until the condition holds; answers the last value probed. */
    public static <T> T await(Supplier<T> probe, Predicate<? super T> condition, String what) {
        return await(probe, condition, what, PATIENCE);
    }

    /** The same, giving up after {@code patience}. */
    public static <T> T await(Supplier<T> probe, Predicate<? super T> condition, String what, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        long pause = 5;
        T last;
        while (true) {
            last = probe.get();
            if (condition.test(last)) {
                return last;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Waited " + patience.toSeconds() + " s in vain for " + what + "; last seen: " + last);
            }
            pause(pause);
            pause = Math.min(100, pause * 2);
        }
    }

    /** Probes until something is there; answers it. */
    public static <T> T present(Supplier<Optional<T>> probe, String what) {
        return await(probe, Optional::isPresent, what).orElseThrow();
    }

    /** The same, giving up after {@code patience}. */
    public static <T> T present(Supplier<Optional<T>> probe, String what, Duration patience) {
        return await(probe, Optional::isPresent, what, patience).orElseThrow();
    }

    /** Probes until the condition holds. */
    public static void until(BooleanSupplier condition, String what) {
        await(condition::getAsBoolean, Boolean::booleanValue, what);
    }

    /** The same, giving up after {@code patience}. */
    public static void until(BooleanSupplier condition, String what, Duration patience) {
        await(condition::getAsBoolean, Boolean::booleanValue, what, patience);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        }
    }
}
