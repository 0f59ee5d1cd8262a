package hexa.contacts;

import java.util.UUID;

/** One contact was merged into another: everything of {@code mergedId} is now {@code keptId}'s, and it is gone. */
public record ContactsMerged(UUID tenantId, UUID keptId, UUID mergedId) {
}
