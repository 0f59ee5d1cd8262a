package hexa.platform.timers;

import hexa.support.Eventually;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The application down for a while, then started again, for tests of what timers do across a restart: the running
 * node's scheduler is paused (its timers wait in the table), the test moves the clock meanwhile, then a node built as
 * the application builds its own (every {@link TimerHandler} bean, the same database) starts, fires what fell due,
 * and stops once the test's effect is seen; the running node then resumes.
 */
public final class TimersRestart {

    private TimersRestart() {
    }

    /** What the started node fired: each timer as {@code kind/key}, once per firing. */
    public static List<String> afterDowntime(ApplicationContext app, Runnable whileDown, BooleanSupplier started, String awaited) {
        DatabaseTimers running = app.getBean(DatabaseTimers.class);
        TimerSettings settings = app.getBean(TimerSettings.class);
        List<String> fired = new CopyOnWriteArrayList<>();
        List<TimerHandler> handlers = app.getBeanProvider(TimerHandler.class).orderedStream()
                .map(handler -> (TimerHandler) new TimerHandler() {
                    @Override
                    public String kind() {
                        return handler.kind();
                    }

                    @Override
                    public void fire(String key, String data) {
                        handler.fire(key, data);
                        fired.add(handler.kind() + "/" + key);
                    }
                }).toList();
        running.pause();
        try {
            // a poll under way when it paused ends within its interval
            Thread.sleep(settings.pollingInterval().multipliedBy(2).toMillis());
            whileDown.run();
            DatabaseTimers restarted = new DatabaseTimers(app.getBean(DataSource.class), app.getBean(PlatformTransactionManager.class),
                    app.getBean(Clock.class), () -> handlers, settings, "restarted");
            try {
                restarted.start();
                Eventually.until(started, awaited);
            } finally {
                restarted.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            running.resume();
        }
        return List.copyOf(fired);
    }
}
