package hexa.whatsapp;

/**
 * Where a message is in its life: a customer's message is {@code RECEIVED}; the business's is {@code QUEUED}
 * until Meta accepts it ({@code SENT}), then moves only forward ({@code DELIVERED}, {@code READ},
 * {@code PLAYED}), or ends {@code FAILED}.
 */
public enum MessageStatus {
    RECEIVED, QUEUED, SENT, DELIVERED, READ, PLAYED, FAILED;

    /** As the API writes it: {@code "delivered"}. */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
