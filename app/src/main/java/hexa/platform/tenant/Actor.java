package hexa.platform.tenant;

import hexa.platform.access.Permission;
import hexa.platform.access.Role;
import java.util.UUID;

/**
 * Who is acting, in which workspace, with which role: a signed-in member or an API token.
 *
 * @param userId the person, or null when an API token acts
 * @param tokenId the API token, or null when a person acts
 */
public record Actor(UUID tenantId, Role role, UUID userId, UUID tokenId, String name) {

    public static Actor member(UUID tenantId, Role role, UUID userId, String name) {
        return new Actor(tenantId, role, userId, null, name);
    }

    public static Actor apiToken(UUID tenantId, Role role, UUID tokenId, String name) {
        return new Actor(tenantId, role, null, tokenId, name);
    }

    /** Hexa CRM itself, working in a workspace in the background (processing webhooks, say). */
    public static Actor system(UUID tenantId, String name) {
        return new Actor(tenantId, null, null, null, name);
    }

    public boolean can(Permission permission) {
        return role != null && role.can(permission);
    }

    public boolean isPerson() {
        return userId != null;
    }
}
