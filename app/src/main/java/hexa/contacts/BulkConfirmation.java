package hexa.contacts;

import java.util.List;
import java.util.UUID;

/** What the confirmation page shows and posts again. */
public record BulkConfirmation(String action, boolean selection, List<UUID> ids, String filter, String tag, UUID owner, String ownerName,
                               long matched, long withConversations, String back) {
    public String ownerValue() {
        return owner == null ? "none" : owner.toString();
    }
}
