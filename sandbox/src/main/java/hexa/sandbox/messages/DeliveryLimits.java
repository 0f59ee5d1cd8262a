package hexa.sandbox.messages;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxSwitches;
import hexa.sandbox.customers.Customer;
import hexa.sandbox.numbers.BusinessNumber;

/**
 * Meta's limits on who receives what, decided when a message is accepted and told later by a {@code failed} status
 * (CONTRACT.md §6, §10):
 *
 * <ul>
 *   <li><b>Per-user marketing limit</b> (131049): a person receives at most {@link SandboxSwitches#marketingLimitPerUser}
 *       marketing templates in a rolling 24 hours, from any business; a marketing template sent while the person's
 *       customer service window with that number is open is neither limited nor counted. 0 (the default) switches it
 *       off.</li>
 *   <li><b>Marketing experiment</b> (130472): a person in Meta's experiment receives no marketing templates: a
 *       customer marked so, or a share {@link SandboxSwitches#marketingExperimentRate} of people (the same people every
 *       time, by their id).</li>
 *   <li><b>Messaging limit</b>: the unique people a business may reach outside a customer service window in a moving
 *       24 hours (250, 2,000, 10,000, 100,000 or unlimited). Meta sets it per business portfolio and its numbers share
 *       it; here the numbers of one WABA share one count, and a send is held to its own number's limit. A message to one
 *       more person beyond it fails with {@link SandboxSwitches#messagingLimitFailureCode}: the contract names no code for
 *       it (§10, a gap), so the sandbox's choice is a switch.</li>
 * </ul>
 *
 * Only messages that will be delivered count (one already failing for another reason does not).
 */
@Component
public class DeliveryLimits {

    static final Duration DAY = Duration.ofHours(24);

    private final SandboxSwitches switches;
    private final SandboxClock clock;
    /** Per person (wa_id or user id): when they received counted marketing templates, oldest first. */
    private final Map<String, ArrayDeque<Instant>> marketingReceived = new ConcurrentHashMap<>();
    /** Per WABA: the people reached outside a service window in the moving 24 hours. */
    private final Map<String, Reached> reachedByWaba = new ConcurrentHashMap<>();

    public DeliveryLimits(SandboxSwitches switches, SandboxClock clock) {
        this.switches = switches;
        this.clock = clock;
    }

    /**
     * The error code this accepted message will fail with because of a limit, or 0 when it goes through (and is then
     * counted).
     *
     * @param category   the template's category (MARKETING, UTILITY, AUTHENTICATION), null for a free-form message
     * @param windowOpen whether the person's customer service window with the number is open
     */
    public int check(BusinessNumber number, Customer customer, String category, boolean windowOpen) {
        String person = customer.key();
        boolean marketing = "MARKETING".equalsIgnoreCase(category);
        if (marketing && inExperiment(customer)) {
            return 130472;
        }
        Instant now = clock.now();
        if (marketing && !windowOpen && switches.marketingLimitPerUser > 0 && !takeMarketing(person, now)) {
            return 131049;
        }
        if (!windowOpen && category != null && number.messagingLimit() > 0) {
            Reached reached = reachedByWaba.computeIfAbsent(number.wabaId(), w -> new Reached());
            if (!reached.take(person, now, number.messagingLimit())) {
                if (marketing && switches.marketingLimitPerUser > 0) {
                    giveBackMarketing(person);
                }
                return switches.messagingLimitFailureCode;
            }
        }
        return 0;
    }

    private boolean inExperiment(Customer customer) {
        if (customer.inMarketingExperiment()) {
            return true;
        }
        double rate = switches.marketingExperimentRate;
        if (rate <= 0) {
            return false;
        }
        // The same people every time: a share of ids, not of sends.
        int bucket = Math.floorMod(customer.key().hashCode() * 0x9E3779B1, 10_000);
        return bucket < rate * 10_000;
    }

    private boolean takeMarketing(String person, Instant now) {
        ArrayDeque<Instant> received = marketingReceived.computeIfAbsent(person, p -> new ArrayDeque<>());
        synchronized (received) {
            Instant since = now.minus(DAY);
            while (!received.isEmpty() && !received.peekFirst().isAfter(since)) {
                received.pollFirst();
            }
            if (received.size() >= switches.marketingLimitPerUser) {
                return false;
            }
            received.addLast(now);
            return true;
        }
    }

    private void giveBackMarketing(String person) {
        ArrayDeque<Instant> received = marketingReceived.get(person);
        if (received != null) {
            synchronized (received) {
                received.pollLast();
            }
        }
    }

    /** How many people the WABA has reached outside a service window in the moving 24 hours. */
    public int reached(String wabaId) {
        Reached reached = reachedByWaba.get(wabaId);
        return reached == null ? 0 : reached.count(clock.now());
    }

    /** Forgets every count (as after a quiet day). */
    public void reset() {
        marketingReceived.clear();
        reachedByWaba.clear();
    }

    /** The people a WABA reached, each with their latest time, expiring in the order they were reached. */
    private static final class Reached {
        private final Map<String, Instant> latest = new HashMap<>();
        private final ArrayDeque<Map.Entry<String, Instant>> order = new ArrayDeque<>();

        synchronized boolean take(String person, Instant now, int limit) {
            expire(now);
            if (!latest.containsKey(person) && latest.size() >= limit) {
                return false;
            }
            latest.put(person, now);
            order.addLast(Map.entry(person, now));
            return true;
        }

        synchronized int count(Instant now) {
            expire(now);
            return latest.size();
        }

        private void expire(Instant now) {
            Instant since = now.minus(DAY);
            while (!order.isEmpty() && !order.peekFirst().getValue().isAfter(since)) {
                Map.Entry<String, Instant> oldest = order.pollFirst();
                // Reached again later: that later time keeps the person counted.
                if (oldest.getValue().equals(latest.get(oldest.getKey()))) {
                    latest.remove(oldest.getKey());
                }
            }
        }
    }
}
