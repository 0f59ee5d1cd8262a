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
        add(line, line.at());
    }

    /**
     * Adds a bubble; a customer's message opens the service window from {@code windowFrom}: when it reached Meta's side,
     * which for a message a script dates back (to fill in a conversation's past) is when it was sent through the sandbox,
     * as the app too counts the window from when it received the message.
     */
    public synchronized void add(ChatLine line, Instant windowFrom) {
        lines.add(line);
        if (line.from() == ChatLine.From.CUSTOMER) {
            Instant last = lastCustomerMessageAt;
            if (last == null || windowFrom.isAfter(last)) {
                lastCustomerMessageAt = windowFrom;
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
