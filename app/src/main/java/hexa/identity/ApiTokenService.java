package hexa.identity;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.crypto.TenantTokens;
import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens act in one workspace for the member who created them, with a chosen role that their creator's current
 * role caps; they stop while their creator is deactivated, and may expire. The secret is shown once and stored hashed.
 */
@Service
class ApiTokenService {

    static final String PREFIX = "hexa_";
    /** The longest expiry a token may be given, in days. */
    static final int MAX_EXPIRY_DAYS = 3650;
    /** A token's last use is noted at most this often, so busy integrations do not write on every call. */
    static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);
    private static final int MAX_ADDRESS = 64;

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

    /** What a bearer token is worth: an actor, or the reason it is refused. */
    public sealed interface Check permits Accepted, Refused {
    }

    public record Accepted(Actor actor) implements Check {
    }

    /** {@code code} for the API's error, {@code messageKey} and {@code args} for its message. */
    public record Refused(String code, String messageKey, Object... args) implements Check {
    }

    @Transactional
    public Created create(String name, Role role) {
        return create(name, role, null);
    }

    /** A token made by the signed-in member; {@code expiresInDays} null for a token that does not expire. */
    @Transactional
    public Created create(String name, Role role, Integer expiresInDays) {
        Actor actor = TenantContext.actor();
        if (!actor.isPerson()) {
            // A token that could mint tokens would outlive its own revocation and expiry through them.
            throw new hexa.platform.web.ForbiddenException("api-tokens.people-only");
        }
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 80) {
            throw UserError.invalid("api-tokens.name.invalid");
        }
        if (role == null || role == Role.OWNER) {
            throw UserError.invalid("api-tokens.role.invalid");
        }
        if (!actor.can(Permission.MANAGE_OWNERS) && ApiToken.within(role, actor.role()).filter(r -> r == role).isEmpty()) {
            throw UserError.invalid("api-tokens.role.above-yours");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_EXPIRY_DAYS)) {
            throw UserError.invalid("api-tokens.expiry.invalid", MAX_EXPIRY_DAYS);
        }
        String secret = TenantTokens.issue(PREFIX, actor.tenantId());
        Instant now = clock.instant();
        Instant expiresAt = expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays));
        ApiToken token = new ApiToken(Ids.newId(), trimmed, role, secret.substring(secret.length() - 4), actor.userId(), actor.name(),
                now, expiresAt, null, null, null, actor.role(), true);
        tokens.insert(actor.tenantId(), token, TenantTokens.parse(PREFIX, secret).orElseThrow().hash());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", role.name());
        details.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        audit.record(AuditEntry.of("api_token.created").target("api_token", token.id(), trimmed).details(details));
        return new Created(token, secret);
    }

    /** Every token of the workspace for an Owner; one's own (a token: its creator's) for anyone else. */
    public List<ApiToken> visible() {
        Actor actor = TenantContext.actor();
        if (actor.can(Permission.MANAGE_ALL_API_TOKENS)) {
            return tokens.all(actor.tenantId());
        }
        return personActing(actor).map(person -> tokens.createdBy(actor.tenantId(), person)).orElse(List.of());
    }

    /** Whether the list shows tokens of other people, with their creator. */
    public boolean seesEveryone() {
        return TenantContext.actor().can(Permission.MANAGE_ALL_API_TOKENS);
    }

    /** One token the actor may see; 404 otherwise, as for another workspace's. */
    public ApiToken visible(UUID id) {
        Actor actor = TenantContext.actor();
        ApiToken token = tokens.find(actor.tenantId(), id).orElseThrow(NotFoundException::new);
        if (!actor.can(Permission.MANAGE_ALL_API_TOKENS) && !personActing(actor).map(token.createdBy()::equals).orElse(false)) {
            throw new NotFoundException();
        }
        return token;
    }

    public Instant now() {
        return clock.instant();
    }

    @Transactional
    public ApiToken revoke(UUID id) {
        UUID tenant = TenantContext.tenantId();
        ApiToken token = visible(id);
        if (tokens.revoke(tenant, id, clock.instant())) {
            audit.record(AuditEntry.of("api_token.revoked").target("api_token", id, token.name())
                    .details(Map.of("createdBy", token.createdBy().toString(), "state", token.state(clock.instant()).code())));
        }
        return tokens.find(tenant, id).orElseThrow();
    }

    /**
     * Runs a change of the member {@code userId}'s membership (a new role, deactivation, reactivation) and audits what it
     * did to each of their live tokens: suspended, working again, or acting with another role.
     */
    void followingCreator(UUID tenant, UUID userId, AuditActor by, Runnable change) {
        Instant now = clock.instant();
        Map<UUID, ApiToken> before = tokens.createdBy(tenant, userId).stream()
                .filter(t -> t.active() && !t.expired(now))
                .collect(Collectors.toMap(ApiToken::id, Function.identity()));
        change.run();
        if (before.isEmpty()) {
            return;
        }
        for (ApiToken after : tokens.createdBy(tenant, userId)) {
            ApiToken was = before.get(after.id());
            if (was == null) {
                continue;
            }
            Optional<ApiToken.Suspension> suspension = after.suspension();
            if (suspension.isPresent() && was.suspension().isEmpty()) {
                audit.record(tenant, by, AuditEntry.of("api_token.suspended").target("api_token", after.id(), after.name())
                        .details(Map.of("reason", suspension.get().code(), "createdBy", userId.toString())));
            } else if (suspension.isEmpty() && was.suspension().isPresent()) {
                audit.record(tenant, by, AuditEntry.of("api_token.resumed").target("api_token", after.id(), after.name())
                        .details(Map.of("role", after.effectiveRole().orElseThrow().name(), "createdBy", userId.toString())));
            } else if (suspension.isEmpty() && was.effectiveRole().orElseThrow() != after.effectiveRole().orElseThrow()) {
                audit.record(tenant, by, AuditEntry.of("api_token.role_limited").target("api_token", after.id(), after.name())
                        .details(Map.of("role", after.role().name(), "from", was.effectiveRole().orElseThrow().name(),
                                "to", after.effectiveRole().orElseThrow().name(), "createdBy", userId.toString())));
            }
        }
    }

    /**
     * Who a bearer token acts as, with the lower of its role and its creator's current role; refused alike for unknown,
     * malformed and revoked tokens, and with their reason for expired and suspended ones.
     */
    public Check authenticate(String secret, String address) {
        Optional<TenantTokens.Parsed> parsed = TenantTokens.parse(PREFIX, secret);
        Optional<ApiToken> found = parsed.flatMap(p -> tokens.byHash(p.tenantId(), p.hash()));
        if (found.isEmpty()) {
            return new Refused("invalid_token", "error.api-invalid-token");
        }
        ApiToken token = found.get();
        UUID tenant = parsed.get().tenantId();
        Instant now = clock.instant();
        switch (token.state(now)) {
            case REVOKED:
                return new Refused("invalid_token", "error.api-invalid-token");
            case EXPIRED:
                return new Refused("token_expired", "error.api-token-expired", token.expiresAt().toString());
            case SUSPENDED:
                return new Refused("token_suspended", token.suspension().orElseThrow().messageKey(), token.createdByName());
            default:
                break;
        }
        if (token.lastUsedAt() == null || !token.lastUsedAt().plus(LAST_USE_PRECISION).isAfter(now)) {
            tokens.touch(tenant, token.id(), now, address == null || address.length() <= MAX_ADDRESS ? address : address.substring(0, MAX_ADDRESS));
        }
        return new Accepted(Actor.apiToken(tenant, token.effectiveRole().orElseThrow(), token.id(), token.name()));
    }

    private Optional<UUID> personActing(Actor actor) {
        if (actor.isPerson()) {
            return Optional.of(actor.userId());
        }
        return Optional.ofNullable(actor.tokenId()).flatMap(id -> tokens.find(actor.tenantId(), id)).map(ApiToken::createdBy);
    }
}
