package hexa.identity;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/me}: which workspace a token acts in, and with which role. */
@RestController
class MeApiController {

    private final WorkspaceService workspaces;
    private final ApiTokenService tokens;

    MeApiController(WorkspaceService workspaces, ApiTokenService tokens) {
        this.workspaces = workspaces;
        this.tokens = tokens;
    }

    public record Me(WorkspaceJson workspace, String role, TokenJson token) {
    }

    public record WorkspaceJson(UUID id, String name, String timeZone, String defaultCountry) {
    }

    /** {@code role} is the one the token was given; the answer's {@code role} is what it acts with now. */
    public record TokenJson(UUID id, String name, String role, java.time.Instant expiresAt, java.time.Instant lastUsedAt) {
    }

    @Requires(Permission.VIEW_WORKSPACE)
    @GetMapping("/api/v1/me")
    Me me() {
        Actor actor = TenantContext.actor();
        Workspace workspace = workspaces.current();
        return new Me(new WorkspaceJson(workspace.id(), workspace.name(), workspace.timeZone().getId(), workspace.defaultCountry()),
                actor.role().name().toLowerCase(java.util.Locale.ROOT),
                actor.tokenId() == null ? null : token(tokens.visible(actor.tokenId())));
    }

    private static TokenJson token(ApiToken token) {
        return new TokenJson(token.id(), token.name(), token.role().name().toLowerCase(java.util.Locale.ROOT), token.expiresAt(),
                token.lastUsedAt());
    }
}
