package hexa.platform;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * One background thread that works through a queue in the database until nothing is due. {@link #wake}
 * starts it when it is idle; a wake while it works makes it look once more, so new work is not left
 * for the next sweep.
 */
public final class QueueWorker implements AutoCloseable {

    private final BooleanSupplier step;
    private final ExecutorService thread;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    /** {@code step} does one piece of work and answers false when none was due. */
    public QueueWorker(String name, BooleanSupplier step) {
        this.step = step;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    public void wake() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            thread.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (again.getAndSet(false)) {
                while (!Thread.currentThread().isInterrupted() && step.getAsBoolean()) {
                    // keep going while there is due work
                }
            }
        } finally {
            running.set(false);
        }
        if (again.get() && !thread.isShutdown()) {
            wake();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
