package hexa.contacts;

import java.util.List;
import java.util.UUID;

/**
 * New contacts: added by a person or the API ({@code agent}, {@code api}), met when they first wrote
 * ({@code whatsapp}), or imported ({@code import}). One event per set written together.
 */
public record ContactsCreated(UUID tenantId, List<UUID> contactIds, String source) {
}
