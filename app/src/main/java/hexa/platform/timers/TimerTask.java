package hexa.platform.timers;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The db-scheduler task of one timer kind: its executions are that kind's timers (instance id = the timer's key, data
 * = its data). Firing runs the kind's {@link TimerHandler} in a transaction of its own, outside any workspace; a
 * handler that throws has its transaction rolled back and fires again after a growing wait.
 *
 * <p>Completing does what db-scheduler's one-time task does (delete the execution), unless the timer was set again
 * while it fired (its own handler re-arming it, or a use case on another thread): {@link DatabaseTimers#set} then moved
 * the row and bumped its version, so the row is kept, no longer picked, to fire at its new time.
 */
final class TimerTask extends OneTimeTask<String> {

    private static final Logger log = LoggerFactory.getLogger(TimerTask.class);

    private final TimerHandler handler;
    private final TransactionTemplate transaction;
    private final JdbcClient jdbc;

    TimerTask(TimerHandler handler, TransactionTemplate transaction, JdbcClient jdbc, TimerSettings settings) {
        super(handler.kind(), String.class, new Backoff(jdbc, settings), new DeadExecutionHandler.ReviveDeadExecution<>());
        this.handler = handler;
        this.transaction = transaction;
        this.jdbc = jdbc;
    }

    @Override
    public CompletionHandler<String> execute(TaskInstance<String> instance, ExecutionContext context) {
        executeOnce(instance, context);
        return (complete, operations) -> finish(complete.getExecution());
    }

    @Override
    public void executeOnce(TaskInstance<String> instance, ExecutionContext context) {
        log.debug("Timer {}/{} fires", instance.getTaskName(), instance.getId());
        transaction.executeWithoutResult(status -> handler.fire(instance.getId(), instance.getData()));
    }

    private void finish(Execution execution) {
        int removed = jdbc.sql("delete from scheduled_tasks where task_name = ? and task_instance = ? and version = ?")
                .params(execution.taskInstance.getTaskName(), execution.taskInstance.getId(), execution.version)
                .update();
        if (removed == 0) {
            unpick(jdbc, execution);
        }
    }

    /** The timer was set again while it fired: it stays, to fire at the time it was set to. */
    static void unpick(JdbcClient jdbc, Execution execution) {
        jdbc.sql("""
                        update scheduled_tasks set picked = false, picked_by = null, last_heartbeat = null, version = version + 1
                         where task_name = ? and task_instance = ? and picked and picked_by is not distinct from ?
                        """)
                .params(execution.taskInstance.getTaskName(), execution.taskInstance.getId(), execution.pickedBy)
                .update();
    }

    /** Fires a failed timer again after {@code firstRetry}, doubling the wait each time up to {@code maxRetry}: never dropped. */
    static final class Backoff implements FailureHandler<String> {

        private final JdbcClient jdbc;
        private final TimerSettings settings;

        Backoff(JdbcClient jdbc, TimerSettings settings) {
            this.jdbc = jdbc;
            this.settings = settings;
        }

        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<String> operations) {
            Execution execution = complete.getExecution();
            int failures = execution.consecutiveFailures + 1;
            Instant next = complete.getTimeDone().plus(wait(failures));
            log.warn("Timer {}/{} failed ({} in a row); it fires again at {}", execution.taskInstance.getTaskName(),
                    execution.taskInstance.getId(), failures, next, complete.getCause().orElse(null));
            try {
                operations.reschedule(complete, next);
            } catch (RuntimeException setAgainMeanwhile) {
                unpick(jdbc, execution);
            }
        }

        Duration wait(int failures) {
            Duration wait = settings.firstRetry();
            for (int i = 1; i < failures && wait.compareTo(settings.maxRetry()) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(settings.maxRetry()) > 0 ? settings.maxRetry() : wait;
        }
    }
}
