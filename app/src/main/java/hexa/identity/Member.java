package hexa.identity;

import hexa.platform.access.Role;
import java.time.Instant;
import java.util.UUID;

/** A person's membership of the current workspace, as the members page lists it. */
public record Member(UUID userId, String name, String email, Role role, boolean active, Instant joinedAt) {
}
