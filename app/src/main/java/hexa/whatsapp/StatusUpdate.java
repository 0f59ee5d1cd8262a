package hexa.whatsapp;

import java.time.Instant;

/** What Meta reports about a message the business sent. */
public record StatusUpdate(String wamid, Status status, Instant occurredAt, String recipientId, String errorsJson,
                           String pricingJson, Integer errorCode, String errorTitle, String errorDetails, java.util.UUID ourMessageId) {

    /** Statuses only move forward: sent, delivered, read, played. Failed ends a message's story. */
    public enum Status {
        SENT(1), DELIVERED(2), READ(3), PLAYED(4), FAILED(9);

        private final int rank;

        Status(int rank) {
            this.rank = rank;
        }

        public int rank() {
            return rank;
        }
    }
}
