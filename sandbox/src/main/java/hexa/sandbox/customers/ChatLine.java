package hexa.sandbox.customers;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

/**
 * One bubble on the simulated phone: a message the customer sent or one the business sent, with its
 * ticks and reactions.
 */
public class ChatLine {

    public enum From { CUSTOMER, BUSINESS }

    private final String id;
    private final From from;
    private final String type;
    private final ObjectNode content;
    private final Instant at;
    private volatile ObjectNode rendered;
    private volatile String status;
    private volatile Integer errorCode;
    private volatile String customerReaction;
    private volatile String businessReaction;
    private volatile ObjectNode edited;
    private volatile boolean deleted;

    public ChatLine(String id, From from, String type, ObjectNode content, Instant at, String status) {
        this.id = id;
        this.from = from;
        this.type = type;
        this.content = content;
        this.at = at;
        this.status = status;
    }

    public String id() {
        return id;
    }

    public From from() {
        return from;
    }

    public String type() {
        return type;
    }

    public ObjectNode content() {
        return content;
    }

    public Instant at() {
        return at;
    }

    public ObjectNode rendered() {
        return rendered;
    }

    public void render(ObjectNode rendered) {
        this.rendered = rendered;
    }

    public String status() {
        return status;
    }

    public void changeStatus(String status, Integer errorCode) {
        this.status = status;
        this.errorCode = errorCode;
    }

    public Integer errorCode() {
        return errorCode;
    }

    public String customerReaction() {
        return customerReaction;
    }

    public String businessReaction() {
        return businessReaction;
    }

    /** The message as its sender last edited it ({@code {"type":"text","text":{...}}}); null when never edited. */
    public ObjectNode edited() {
        return edited;
    }

    public void edit(ObjectNode message) {
        this.edited = message;
    }

    /** Whether its sender deleted it for everyone. */
    public boolean deleted() {
        return deleted;
    }

    public void delete() {
        this.deleted = true;
    }

    /** An empty or null emoji removes the reaction. */
    public void react(From by, String emoji) {
        String value = emoji == null || emoji.isEmpty() ? null : emoji;
        if (by == From.CUSTOMER) {
            customerReaction = value;
        } else {
            businessReaction = value;
        }
    }
}
