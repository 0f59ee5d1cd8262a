package hexa.sandbox.control;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.customers.CustomerMessages;
import hexa.sandbox.numbers.BusinessNumber;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes many simulated customers write to a number at a steady rate, for benchmarks. Customers take
 * turns, so each sends its messages spread over the run, as real traffic would. The messages go out as webhooks
 * and are counted, but are not kept in the customers' chats (see {@link CustomerMessages#send}).
 */
@Component
public class LoadGenerator {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);

    private final CustomerMessages customerMessages;
    static final int KEPT_FINISHED = 50;

    private final Map<String, LoadRun> runs = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();

    public LoadGenerator(CustomerMessages customerMessages) {
        this.customerMessages = customerMessages;
    }

    /**
     * Starts a run, unless {@code maxRunning} runs are going on already (then null). Finished runs beyond the last
     * {@link #KEPT_FINISHED} are forgotten.
     */
    public synchronized LoadRun start(BusinessNumber number, int customers, int messagesPerCustomer, double messagesPerSecond,
            String customerPrefix, String text, int maxRunning) {
        if (runs.values().stream().filter(r -> r.finishedAt() == null && !r.cancelled()).count() >= maxRunning) {
            return null;
        }
        forgetOldRuns();
        String id = "load-" + sequence.incrementAndGet();
        LoadRun run = new LoadRun(id, number.phoneNumberId(), customers, messagesPerCustomer, messagesPerSecond, Instant.now());
        runs.put(id, run);
        Thread thread = new Thread(() -> drive(run, number, customerPrefix, text), "sandbox-" + id);
        thread.setDaemon(true);
        run.drivenBy(thread);
        thread.start();
        return run;
    }

    private void forgetOldRuns() {
        List<LoadRun> finished = new ArrayList<>(runs.values().stream().filter(r -> r.finishedAt() != null).toList());
        finished.sort(Comparator.comparing(LoadRun::finishedAt));
        for (int i = 0; i < finished.size() - KEPT_FINISHED; i++) {
            runs.remove(finished.get(i).id());
        }
    }

    public LoadRun find(String id) {
        return runs.get(id);
    }

    public java.util.Collection<LoadRun> all() {
        return runs.values();
    }

    private void drive(LoadRun run, BusinessNumber number, String prefix, String text) {
        long start = System.nanoTime();
        double nanosPerMessage = 1e9 / run.messagesPerSecond();
        long total = run.total();
        for (long i = 0; i < total && !run.cancelled(); i++) {
            long due = start + (long) (i * nanosPerMessage);
            long wait = due - System.nanoTime();
            while (wait > 0 && !run.cancelled()) {
                LockSupport.parkNanos(wait);
                wait = due - System.nanoTime();
            }
            if (run.cancelled()) {
                break;
            }
            int customer = (int) (i % run.customers());
            long round = i / run.customers() + 1;
            String waId = prefix + String.format("%08d", customer + 1);
            ObjectNode message = SandboxJson.object();
            message.put("type", "text");
            message.putObject("text").put("body", text + " #" + round + " from customer " + (customer + 1));
            try {
                customerMessages.send(number, waId, "Load Customer " + (customer + 1), null, message, false);
                run.sent.incrementAndGet();
            } catch (RuntimeException e) {
                run.refused.incrementAndGet();
                log.warn("Load message refused: {}", e.getMessage());
            }
        }
        run.finish();
    }
}
