package hexa.platform.timers;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.TestTimers;
import hexa.support.TestTimers.Firing;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Durable timers on db-scheduler: they fire at their time on the application's clock, once, in a transaction of their
 * own outside any workspace; they move, cancel and roll back with the caller's transaction; they survive the app being
 * down; two nodes on one database fire each once; a failing handler fires again.
 */
class TimersTest extends HexaIntegrationTest {

    private static final String KIND = TestTimers.KIND;

    @Autowired
    Timers timers;

    @Autowired
    TestTimers handler;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TimerSettings settings;

    @Test
    void a_timer_fires_once_when_the_clock_passes_its_time_outside_any_workspace() {
        String key = key();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS).plus(Duration.ofMinutes(10));
        timers.set(KIND, key, at, "conversation 42");
        assertThat(timers.due(KIND, key)).contains(at);
        assertThat(handler.firings(key)).isEmpty();

        clock.advance(Duration.ofMinutes(11));

        Eventually.until(() -> timers.due(KIND, key).isEmpty(), "the timer to have fired and gone");
        assertThat(handler.firings(key)).containsExactly(new Firing("conversation 42", false));
    }

    @Test
    void setting_a_timer_again_moves_it_and_cancelling_removes_it() {
        String moved = key();
        String cancelled = key();
        String witness = key();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        timers.set(KIND, moved, now.plus(Duration.ofMinutes(10)), "first");
        timers.set(KIND, moved, now.plus(Duration.ofMinutes(30)), "second");
        timers.set(KIND, cancelled, now.plus(Duration.ofMinutes(10)), "never");
        assertThat(timers.due(KIND, moved)).contains(now.plus(Duration.ofMinutes(30)));
        assertThat(timers.cancel(KIND, cancelled)).isTrue();
        assertThat(timers.cancel(KIND, cancelled)).isFalse();
        assertThat(timers.due(KIND, cancelled)).isEmpty();

        // Past its first time: a timer due now fires, the moved one (due later) and the cancelled one do not.
        clock.advance(Duration.ofMinutes(11));
        timers.set(KIND, witness, clock.instant(), "witness");
        Eventually.until(() -> timers.due(KIND, witness).isEmpty(), "the witness to have fired");
        assertThat(handler.firings(moved)).isEmpty();
        assertThat(handler.firings(cancelled)).isEmpty();

        clock.advance(Duration.ofMinutes(20));
        Eventually.until(() -> timers.due(KIND, moved).isEmpty(), "the moved timer to have fired");
        assertThat(handler.firings(moved)).extracting(Firing::data).containsExactly("second");
        assertThat(handler.firings(cancelled)).isEmpty();
    }

    @Test
    void setting_many_where_absent_sets_the_new_ones_in_one_go_and_leaves_the_set_ones_their_time() {
        String waiting = key();
        String fresh = key();
        String other = key();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        timers.set(KIND, waiting, now.plus(Duration.ofMinutes(5)), "already waiting");
        timers.setAbsent(KIND, java.util.Map.of(
                waiting, new Timers.Due(now.plus(Duration.ofMinutes(10)), "not this"),
                fresh, new Timers.Due(now.plus(Duration.ofMinutes(10)), "fresh"),
                other, new Timers.Due(now.plus(Duration.ofMinutes(20)), "other")));
        assertThat(timers.due(KIND, waiting)).as("kept its time").contains(now.plus(Duration.ofMinutes(5)));
        assertThat(timers.due(KIND, fresh)).contains(now.plus(Duration.ofMinutes(10)));
        assertThat(timers.due(KIND, other)).contains(now.plus(Duration.ofMinutes(20)));

        clock.advance(Duration.ofMinutes(11));
        Eventually.until(() -> timers.due(KIND, fresh).isEmpty() && timers.due(KIND, waiting).isEmpty(), "both due to have fired");
        assertThat(handler.firings(waiting)).containsExactly(new Firing("already waiting", false));
        assertThat(handler.firings(fresh)).containsExactly(new Firing("fresh", false));
        assertThat(timers.cancel(KIND, other)).isTrue();
    }

    @Test
    void a_timer_set_in_a_transaction_that_rolls_back_is_not_set() {
        String key = key();
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            timers.set(KIND, key, clock.instant().plus(Duration.ofMinutes(5)), "rolled back");
            assertThat(timers.due(KIND, key)).as("set within the transaction").isPresent();
            status.setRollbackOnly();
        });
        assertThat(timers.due(KIND, key)).isEmpty();
    }

    @Test
    void a_failing_handler_fires_again_after_a_wait() {
        String key = key();
        handler.failTimes(key, 1);
        timers.set(KIND, key, clock.instant(), "flaky");

        Eventually.until(() -> jdbc.sql("select consecutive_failures = 1 and not picked from scheduled_tasks where task_name = ? and task_instance = ?")
                .params(KIND, key).query(Boolean.class).optional().orElse(false), "the failure to be recorded");
        assertThat(handler.firings(key)).hasSize(1);
        Instant retry = timers.due(KIND, key).orElseThrow();
        assertThat(retry).isBetween(clock.instant().plus(settings.firstRetry()).minusSeconds(5), clock.instant().plus(settings.firstRetry()));

        clock.advance(settings.firstRetry());
        Eventually.until(() -> timers.due(KIND, key).isEmpty(), "the retry to have fired");
        assertThat(handler.firings(key)).extracting(Firing::data).containsExactly("flaky", "flaky");
    }

    @Test
    void a_handler_that_sets_its_own_timer_again_while_it_fires_keeps_it() {
        String key = key();
        timers.set(KIND, key, clock.instant(), TestTimers.RE_ARM);
        Eventually.until(() -> jdbc.sql("select not picked and task_data = convert_to(?, 'UTF8') from scheduled_tasks where task_name = ? and task_instance = ?")
                .params(TestTimers.RE_ARMED, KIND, key).query(Boolean.class).optional().orElse(false), "the timer to be set again, an hour on");
        assertThat(handler.firings(key)).extracting(Firing::data).containsExactly(TestTimers.RE_ARM);

        clock.advance(Duration.ofMinutes(61));
        Eventually.until(() -> timers.due(KIND, key).isEmpty(), "the re-armed timer to have fired");
        assertThat(handler.firings(key)).extracting(Firing::data).containsExactly(TestTimers.RE_ARM, TestTimers.RE_ARMED);
    }

    @Test
    void a_timer_that_fell_due_while_the_app_was_down_fires_at_start() {
        // A kind only the restarted node handles: the running app's scheduler leaves its rows alone.
        AtomicInteger fired = new AtomicInteger();
        TimerHandler reminders = new TimerHandler() {
            @Override
            public String kind() {
                return "test.while-down";
            }

            @Override
            public void fire(String key, String data) {
                fired.incrementAndGet();
            }
        };
        DatabaseTimers restarted = node("restarted", List.of(reminders));
        String key = key();
        restarted.set("test.while-down", key, clock.instant().minus(Duration.ofHours(3)), "overdue");
        try {
            restarted.start();
            Eventually.until(() -> restarted.due("test.while-down", key).isEmpty(), "the overdue timer to fire at start");
        } finally {
            restarted.stop();
        }
        assertThat(fired).hasValue(1);
    }

    @Test
    void two_nodes_on_one_database_fire_each_timer_once() {
        Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
        TimerHandler counted = new TimerHandler() {
            @Override
            public String kind() {
                return "test.counted";
            }

            @Override
            public void fire(String key, String data) {
                fired.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
        };
        DatabaseTimers first = node("first", List.of(counted));
        DatabaseTimers second = node("second", List.of(counted));
        List<String> keys = IntStream.range(0, 20).mapToObj(i -> key()).toList();
        Instant at = clock.instant().plus(Duration.ofMinutes(1));
        new TransactionTemplate(transactions).executeWithoutResult(status -> keys.forEach(key -> first.set("test.counted", key, at, key)));
        try {
            first.start();
            second.start();
            clock.advance(Duration.ofMinutes(2));
            Eventually.until(() -> keys.stream().allMatch(key -> first.due("test.counted", key).isEmpty()), "every timer to have fired");
        } finally {
            first.stop();
            second.stop();
        }
        assertThat(fired.keySet()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(fired.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    }

    /** Another app node on the same database, built as the application builds its own. */
    private DatabaseTimers node(String name, List<TimerHandler> handlers) {
        return new DatabaseTimers(dataSource, transactions, clock, () -> handlers, settings, name);
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
