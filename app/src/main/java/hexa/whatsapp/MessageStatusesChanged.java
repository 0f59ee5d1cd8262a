package hexa.whatsapp;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Statuses Meta reported for the business's messages, each the first time it was reported (a duplicate webhook adds
 * nothing): one event per workspace and processed batch of webhooks, published in the transaction that recorded them.
 * Unlike {@link MessageStatusChanged} (one event per message that moved forward) it also carries a status that came late
 * (a delivered after its read), so that a listener can fill in when each step happened, and Meta's pricing.
 *
 * <p>Why a batch: at a campaign's 1,000 messages a second Meta reports three statuses per message; one event per status
 * would mean, for each listener, 3,000 rows a second written to and deleted from the event publication registry and
 * 3,000 transactions of the listener, each updating one row. One event per batch is a few dozen a second, each applied
 * by the listener with one set-based statement.
 */
public record MessageStatusesChanged(UUID tenantId, List<Item> statuses) {

    public MessageStatusesChanged {
        statuses = List.copyOf(statuses);
    }

    /**
     * One status of one message.
     *
     * @param messageId our message's id
     * @param errorCode Meta's error code of a {@code FAILED} status, else null
     * @param errorTitle Meta's title of that error, else null
     * @param billable whether Meta charges for the message (from the status's {@code pricing}), or null when it did not say
     * @param pricingCategory Meta's pricing category in capitals ({@code MARKETING}, {@code UTILITY}, {@code AUTHENTICATION},
     *                        {@code AUTHENTICATION_INTERNATIONAL}, {@code MARKETING_LITE}, {@code SERVICE} …), or null
     */
    public record Item(UUID messageId, String wamid, StatusUpdate.Status status, Instant occurredAt, Integer errorCode, String errorTitle,
                       Boolean billable, String pricingCategory) {

        /** Meta's category as written in a status webhook ({@code "authentication-international"}), in our spelling. */
        public static String category(String metaCategory) {
            return metaCategory == null || metaCategory.isBlank() ? null
                    : metaCategory.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }
}
