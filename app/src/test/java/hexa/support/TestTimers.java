package hexa.support;

import hexa.platform.tenant.TenantContext;
import hexa.platform.timers.TimerHandler;
import hexa.platform.timers.Timers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;

/**
 * A timer kind for the tests ({@value #KIND}): it records each firing (its data, and whether a workspace was entered),
 * fails on purpose as often as a test asks, and, for data {@value #RE_ARM}, sets its own timer again an hour later with
 * data {@value #RE_ARMED}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestTimers implements TimerHandler {

    public static final String KIND = "test.timer";
    public static final String RE_ARM = "re-arm";
    public static final String RE_ARMED = "re-armed";

    public record Firing(String data, boolean inWorkspace) {
    }

    private final Map<String, List<Firing>> firings = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final ObjectProvider<Timers> timers;
    private final Clock clock;

    TestTimers(ObjectProvider<Timers> timers, Clock clock) {
        this.timers = timers;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void fire(String key, String data) {
        firings.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(new Firing(data, TenantContext.current().isPresent()));
        AtomicInteger left = failures.get(key);
        if (left != null && left.getAndDecrement() > 0) {
            throw new IllegalStateException("the test's timer " + key + " fails on purpose");
        }
        if (RE_ARM.equals(data)) {
            timers.getObject().set(KIND, key, clock.instant().plus(Duration.ofHours(1)), RE_ARMED);
        }
    }

    /** How the timer {@code key} fired so far, in order. */
    public List<Firing> firings(String key) {
        return List.copyOf(firings.getOrDefault(key, List.of()));
    }

    /** The next {@code times} firings of {@code key} throw. */
    public void failTimes(String key, int times) {
        failures.put(key, new AtomicInteger(times));
    }
}
