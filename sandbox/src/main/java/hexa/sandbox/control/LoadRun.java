package hexa.sandbox.control;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** N customers sending M messages each at R messages per second, and how far it got. */
public class LoadRun {

    private final String id;
    private final int customers;
    private final int messagesPerCustomer;
    private final double messagesPerSecond;
    private final Instant startedAt;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    private volatile Instant finishedAt;
    private volatile boolean cancelled;

    LoadRun(String id, int customers, int messagesPerCustomer, double messagesPerSecond, Instant startedAt) {
        this.id = id;
        this.customers = customers;
        this.messagesPerCustomer = messagesPerCustomer;
        this.messagesPerSecond = messagesPerSecond;
        this.startedAt = startedAt;
    }

    public String id() {
        return id;
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

    void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    public long sent() {
        return sent.get();
    }
}
