package hexa.sandbox.customers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The conversation between one business number and one customer, as the customer's phone shows it. */
public class Chat {

    /** Meta's customer service window. */
    public static final Duration SERVICE_WINDOW = Duration.ofHours(24);

    private final String phoneNumberId;
    private final Customer customer;
    private final List<ChatLine> lines = new ArrayList<>();
    private volatile Instant lastCustomerMessageAt;
    private volatile Instant typingUntil;

    public Chat(String phoneNumberId, Customer customer) {
        this.phoneNumberId = phoneNumberId;
        this.customer = customer;
    }

    public String phoneNumberId() {
        return phoneNumberId;
    }

    public Customer customer() {
        return customer;
    }

    public synchronized void add(ChatLine line) {
        lines.add(line);
        if (line.from() == ChatLine.From.CUSTOMER) {
            // A message written with an earlier time (a script filling in the past) does not move the window back.
            Instant last = lastCustomerMessageAt;
            if (last == null || line.at().isAfter(last)) {
                lastCustomerMessageAt = line.at();
            }
        } else {
            // The business answered with a message: the typing indicator disappears.
            typingUntil = null;
        }
    }

    public synchronized List<ChatLine> lines() {
        return new ArrayList<>(lines);
    }

    public synchronized int size() {
        return lines.size();
    }

    /** A free-form message may go out only within 24 hours of the customer's last message. */
    public boolean serviceWindowOpen(Instant now) {
        Instant last = lastCustomerMessageAt;
        return last != null && now.isBefore(last.plus(SERVICE_WINDOW));
    }

    public Instant lastCustomerMessageAt() {
        return lastCustomerMessageAt;
    }

    public void showTyping(Instant until) {
        typingUntil = until;
    }

    public boolean businessTyping(Instant now) {
        Instant until = typingUntil;
        return until != null && now.isBefore(until);
    }
}
