package hexa.contacts;

import java.util.List;
import java.util.UUID;

/** A tag was added to contacts that did not have it (one by one or in bulk). */
public record ContactsTagged(UUID tenantId, List<UUID> contactIds, String tag) {
}
