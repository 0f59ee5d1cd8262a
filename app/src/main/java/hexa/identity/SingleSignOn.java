package hexa.identity;

import java.time.Instant;
import java.util.UUID;

/** A workspace's OpenID Connect provider. The client secret stays sealed; {@link SingleSignOnService} opens it when needed. */
record SingleSignOn(UUID workspaceId, String issuer, String clientId, String clientSecretSealed, boolean ssoOnly, Instant updatedAt) {
}
