package hexa.contacts;

import java.util.List;
import java.util.UUID;

/** Contacts were deleted (one, or a bulk action's chunk), with whatever of theirs was asked to go with them. */
public record ContactsDeleted(UUID tenantId, List<UUID> contactIds) {
}
