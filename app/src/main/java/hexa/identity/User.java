package hexa.identity;

import java.time.Instant;
import java.util.UUID;

/** A person who can sign in; they may be a member of several workspaces. */
record User(UUID id, String email, String name, String passwordHash, Instant passwordChangedAt, UUID lastWorkspaceId) {
}
