package hexa.identity;

import hexa.platform.access.Role;
import java.time.Instant;
import java.util.UUID;

/** A named credential for integrations; only its hash and its last four characters are kept. */
public record ApiToken(UUID id, String name, Role role, String hint, UUID createdBy, String createdByName,
                       Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
