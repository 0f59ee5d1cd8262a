package hexa.sandbox;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/** Runs what Meta does "later": statuses, template reviews, webhook retries, load. */
@Component
public class SandboxScheduler implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SandboxScheduler.class);

    private final ScheduledExecutorService executor;

    public SandboxScheduler() {
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "sandbox-scheduler-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public ScheduledFuture<?> later(long delayMs, Runnable task) {
        return executor.schedule(guarded(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    public ScheduledExecutorService executor() {
        return executor;
    }

    private static Runnable guarded(Runnable task) {
        // An exception would silently cancel a scheduled task; log it instead.
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("Sandbox task failed", e);
            }
        };
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
