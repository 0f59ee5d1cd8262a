package hexa.whatsapp;

/**
 * Where a message is in its life: a customer's message is {@code RECEIVED}; the business's is {@code QUEUED}
 * until Meta accepts it ({@code SENT}), then moves only forward ({@code DELIVERED}, {@code READ},
 * {@code PLAYED}), or ends {@code FAILED}. {@code UNCERTAIN} is how a queued message shows while its send's answer
 * was lost and WhatsApp has not yet confirmed it ({@link UncertainSends}); it is never stored.
 */
public enum MessageStatus {
    RECEIVED, QUEUED, UNCERTAIN, SENT, DELIVERED, READ, PLAYED, FAILED;

    /** As the API writes it: {@code "delivered"}. */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
