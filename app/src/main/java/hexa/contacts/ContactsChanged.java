package hexa.contacts;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Contacts' own fields or custom attributes changed, named as the API names them ({@code name}, {@code phone},
 * {@code ownerId}, …; an attribute as {@code attribute:<key>}). Tags and consent have events of their own.
 */
public record ContactsChanged(UUID tenantId, List<UUID> contactIds, Set<String> fields) {
}
