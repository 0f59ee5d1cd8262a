package hexa.platform.timers;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.Waiter;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import hexa.platform.database.AfterCommit;
import hexa.platform.database.Sql;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link Timers} on db-scheduler: each timer is a row of {@code scheduled_tasks} (task name = the timer's kind, task
 * instance = its key), and every node runs a scheduler that polls that table for due rows, claims each by an update
 * guarded by the row's version (so that one node fires it), and deletes it once its handler has committed. A row due
 * while no node ran is simply due at the next poll, so it fires at start. (db-scheduler's default fetch-then-claim
 * polling rather than its lock-and-fetch: a node that does not know a kind, say an older node during a rolling
 * upgrade, then leaves those rows alone instead of claiming them.)
 *
 * <p>Setting and cancelling go through db-scheduler's client on a {@link TransactionAwareDataSourceProxy}, so they
 * are part of the caller's transaction; a transaction-scoped advisory lock on the timer makes "schedule, or else move"
 * safe when two transactions set the same timer at once. A timer that is firing right now (picked) is moved by
 * updating its row and its version, which its completion sees ({@link TimerTask}).
 */
final class DatabaseTimers implements Timers {

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Supplier<List<TimerHandler>> handlers;
    private final TimerSettings settings;
    private final String nodeName;
    private volatile Built built;

    private record Built(Scheduler scheduler, Map<String, TimerTask> tasks) {
    }

    /**
     * @param handlers asked once, on first use: handlers may themselves depend on {@link Timers}
     * @param nodeName this node's name in {@code scheduled_tasks.picked_by} (at most 50 characters are kept)
     */
    DatabaseTimers(DataSource dataSource, PlatformTransactionManager transactions, Clock clock,
                   Supplier<List<TimerHandler>> handlers, TimerSettings settings, String nodeName) {
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.handlers = handlers;
        this.settings = settings;
        this.nodeName = nodeName.length() > 50 ? nodeName.substring(0, 50) : nodeName;
    }

    /** Starts polling for due timers (those that fell due while the application was down first). */
    void start() {
        built().scheduler().start();
    }

    /** Stops polling; timers firing get {@link TimerSettings#shutdownWait()} to finish. */
    void stop() {
        Built current = built;
        if (current != null) {
            current.scheduler().stop();
        }
    }

    /** Stops firing timers until {@link #resume()}: they wait in the table as if this node were down (for tests of a restart). */
    void pause() {
        built().scheduler().pause();
    }

    void resume() {
        built().scheduler().resume();
    }

    @Override
    public void set(String kind, String key, Instant at, String data) {
        TimerTask task = task(kind);
        Scheduler scheduler = built().scheduler();
        TaskInstanceId id = TaskInstanceId.of(kind, key);
        transaction.executeWithoutResult(status -> {
            lock(kind, key);
            for (int attempt = 1; ; attempt++) {
                Optional<Boolean> picked = picked(kind, key);
                if (picked.isEmpty()) {
                    scheduler.schedule(task.instance(key, data), at);
                    break;
                }
                if (picked.get() ? moveWhileFiring(kind, key, at, data) : scheduler.reschedule(id, at, data)) {
                    break;
                }
                if (attempt == 5) {
                    throw new IllegalStateException("Could not set the timer " + kind + "/" + key);
                }
            }
            if (!at.isAfter(clock.instant())) {
                AfterCommit.run(scheduler::triggerCheckForDueExecutions);
            }
        });
    }

    @Override
    public void setAbsent(String kind, Map<String, Due> timers) {
        if (timers.isEmpty()) {
            return;
        }
        task(kind);
        Scheduler scheduler = built().scheduler();
        StringBuilder sql = new StringBuilder("insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version) values ");
        List<Object> params = new ArrayList<>();
        boolean dueNow = false;
        for (Map.Entry<String, Due> timer : timers.entrySet()) {
            sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, false, 1)");
            params.add(kind);
            params.add(timer.getKey());
            params.add(TimerDataSerializer.bytes(timer.getValue().data()));
            params.add(Sql.ts(timer.getValue().at()));
            dueNow |= !timer.getValue().at().isAfter(clock.instant());
        }
        sql.append(" on conflict (task_name, task_instance) do nothing");
        boolean wake = dueNow;
        transaction.executeWithoutResult(status -> {
            jdbc.sql(sql.toString()).params(params).update();
            if (wake) {
                AfterCommit.run(scheduler::triggerCheckForDueExecutions);
            }
        });
    }

    @Override
    public boolean cancel(String kind, String key) {
        task(kind);
        // The row itself, in the caller's transaction: a timer firing right now finds it gone at its completion and
        // leaves it so. (Not db-scheduler's cancel: it reads the row again and removes it by its version, which a
        // completion or a move in between makes it miss, and it then throws.)
        Boolean cancelled = transaction.execute(status -> {
            lock(kind, key);
            return jdbc.sql("delete from scheduled_tasks where task_name = ? and task_instance = ?").params(kind, key).update() > 0;
        });
        return Boolean.TRUE.equals(cancelled);
    }

    @Override
    public Optional<Instant> due(String kind, String key) {
        task(kind);
        return built().scheduler().getScheduledExecution(TaskInstanceId.of(kind, key)).map(execution -> execution.getExecutionTime());
    }

    private TimerTask task(String kind) {
        TimerTask task = built().tasks().get(kind);
        if (task == null) {
            throw new IllegalArgumentException("No TimerHandler handles timers of the kind " + kind);
        }
        return task;
    }

    /** Serialises setting and cancelling one timer until the transaction ends (two transactions may set it at once). */
    private void lock(String kind, String key) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('hexa.timers'), hashtext(? || '/' || ?))").params(kind, key)
                .query((rs, row) -> 1).list();
    }

    private Optional<Boolean> picked(String kind, String key) {
        return jdbc.sql("select picked from scheduled_tasks where task_name = ? and task_instance = ?").params(kind, key)
                .query(Boolean.class).optional();
    }

    private boolean moveWhileFiring(String kind, String key, Instant at, String data) {
        return jdbc.sql("""
                        update scheduled_tasks set execution_time = ?, task_data = ?, version = version + 1
                         where task_name = ? and task_instance = ? and picked
                        """)
                .params(Sql.ts(at), TimerDataSerializer.bytes(data), kind, key).update() == 1;
    }

    private Built built() {
        Built current = built;
        if (current == null) {
            synchronized (this) {
                current = built;
                if (current == null) {
                    current = build();
                    built = current;
                }
            }
        }
        return current;
    }

    private Built build() {
        Map<String, TimerTask> tasks = new LinkedHashMap<>();
        for (TimerHandler handler : handlers.get()) {
            if (tasks.put(handler.kind(), new TimerTask(handler, transaction, jdbc, settings)) != null) {
                throw new IllegalStateException("Two TimerHandlers handle timers of the kind " + handler.kind());
            }
        }
        Scheduler scheduler = new Builder(new TransactionAwareDataSourceProxy(dataSource), new ArrayList<Task<?>>(tasks.values()),
                clock, settings, nodeName).build();
        return new Built(scheduler, Map.copyOf(tasks));
    }

    /** db-scheduler's builder, polling with a waiter on real time. */
    private static final class Builder extends SchedulerBuilder {

        Builder(DataSource dataSource, List<Task<?>> tasks, Clock clock, TimerSettings settings, String nodeName) {
            super(dataSource, tasks);
            clock(new ApplicationClock(clock));
            pollingInterval(settings.pollingInterval());
            threads(settings.threads());
            schedulerName(new SchedulerName.Fixed(nodeName));
            serializer(new TimerDataSerializer());
            shutdownMaxWait(settings.shutdownWait());
            // TimerTask.Backoff logs a failure once, with what happens next
            failureLogging(LogLevel.DEBUG, false);
        }

        /** The wait between polls is measured on real time: a test's clock may stand still, and the wait would never end. */
        @Override
        protected Waiter buildWaiter() {
            return new Waiter(poolingInterval);
        }
    }
}
