package hexa.whatsapp;

import java.util.UUID;

/** Who a message goes to and from which of the workspace's numbers (null: its only number). */
public record Recipient(UUID contactId, UUID connectionId) {
}
