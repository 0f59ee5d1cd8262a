package hexa.identity;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.crypto.TenantTokens;
import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** API tokens act in one workspace with a chosen role. The secret is shown once and stored hashed. */
@Service
class ApiTokenService {

    static final String PREFIX = "hexa_";

    private final ApiTokens tokens;
    private final AuditTrail audit;
    private final Clock clock;

    ApiTokenService(ApiTokens tokens, AuditTrail audit, Clock clock) {
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** The new token and its secret, which will never be shown again. */
    public record Created(ApiToken token, String secret) {
    }

    @Transactional
    public Created create(String name, Role role) {
        Actor actor = TenantContext.actor();
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 80) {
            throw UserError.invalid("api-tokens.name.invalid");
        }
        if (role == null || role == Role.OWNER) {
            throw UserError.invalid("api-tokens.role.invalid");
        }
        String secret = TenantTokens.issue(PREFIX, actor.tenantId());
        Instant now = clock.instant();
        ApiToken token = new ApiToken(Ids.newId(), trimmed, role, secret.substring(secret.length() - 4), actor.userId(), actor.name(), now, null, null);
        tokens.insert(actor.tenantId(), token, TenantTokens.parse(PREFIX, secret).orElseThrow().hash());
        audit.record(AuditEntry.of("api_token.created").target("api_token", token.id(), trimmed).details(Map.of("role", role.name())));
        return new Created(token, secret);
    }

    public List<ApiToken> all() {
        return tokens.all(TenantContext.tenantId());
    }

    @Transactional
    public void revoke(UUID id) {
        UUID tenant = TenantContext.tenantId();
        ApiToken token = tokens.find(tenant, id).orElseThrow(NotFoundException::new);
        if (tokens.revoke(tenant, id, clock.instant())) {
            audit.record(AuditEntry.of("api_token.revoked").target("api_token", id, token.name()));
        }
    }

    /** Who a bearer token acts as; empty for unknown, malformed and revoked tokens alike. */
    public Optional<Actor> authenticate(String secret) {
        return TenantTokens.parse(PREFIX, secret).flatMap(parsed ->
                tokens.activeByHash(parsed.tenantId(), parsed.hash()).map(token -> {
                    tokens.touch(parsed.tenantId(), token.id(), clock.instant());
                    return Actor.apiToken(parsed.tenantId(), token.role(), token.id(), token.name());
                }));
    }
}
