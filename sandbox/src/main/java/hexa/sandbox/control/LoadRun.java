package hexa.sandbox.control;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** N customers sending M messages each at R messages per second, and how far it got. */
public class LoadRun {

    private final String id;
    private final String phoneNumberId;
    private final int customers;
    private final int messagesPerCustomer;
    private final double messagesPerSecond;
    private final Instant startedAt;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    private volatile Instant finishedAt;
    private volatile boolean cancelled;
    private volatile Thread driver;

    LoadRun(String id, String phoneNumberId, int customers, int messagesPerCustomer, double messagesPerSecond, Instant startedAt) {
        this.id = id;
        this.phoneNumberId = phoneNumberId;
        this.customers = customers;
        this.messagesPerCustomer = messagesPerCustomer;
        this.messagesPerSecond = messagesPerSecond;
        this.startedAt = startedAt;
    }

    public String id() {
        return id;
    }

    public String phoneNumberId() {
        return phoneNumberId;
    }

    public int customers() {
        return customers;
    }

    public int messagesPerCustomer() {
        return messagesPerCustomer;
    }

    public double messagesPerSecond() {
        return messagesPerSecond;
    }

    public long total() {
        return (long) customers * messagesPerCustomer;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    void finish() {
        finishedAt = Instant.now();
    }

    void drivenBy(Thread thread) {
        driver = thread;
    }

    /** Stops the run at once, even while it waits for its next message. */
    void cancel() {
        cancelled = true;
        Thread thread = driver;
        if (thread != null) {
            java.util.concurrent.locks.LockSupport.unpark(thread);
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    public long sent() {
        return sent.get();
    }
}
