package hexa.identity;

import hexa.platform.access.Role;
import java.time.Instant;
import java.util.UUID;

public record Invitation(UUID tenantId, UUID id, String email, Role role, UUID invitedBy, String invitedByName,
                         Instant createdAt, Instant expiresAt, Instant acceptedAt, Instant revokedAt) {

    public boolean usableAt(Instant now) {
        return acceptedAt == null && revokedAt == null && expiresAt.isAfter(now);
    }
}
