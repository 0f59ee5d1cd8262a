package hexa.contacts;

import java.util.List;
import java.util.UUID;

/** A tag was removed from contacts that had it. */
public record ContactsUntagged(UUID tenantId, List<UUID> contactIds, String tag) {
}
