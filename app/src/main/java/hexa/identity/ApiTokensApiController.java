package hexa.identity;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/api-tokens}: the tokens a token's creator may see (their own), with their state and last use; revoking
 * one. Tokens are created only by people, on the page: a token that could mint tokens would outlive its own revocation.
 */
@RestController
class ApiTokensApiController {

    private final ApiTokenService tokens;

    ApiTokensApiController(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    public record CreatorJson(UUID id, String name) {
    }

    /**
     * {@code role} as given, {@code effectiveRole} what it acts with now (null unless active), {@code state} one of
     * {@code active}, {@code suspended}, {@code expired}, {@code revoked}, and {@code suspendedBecause} why.
     */
    public record TokenJson(UUID id, String name, String role, String effectiveRole, String hint, CreatorJson createdBy,
                            Instant createdAt, Instant expiresAt, Instant lastUsedAt, String lastUsedFrom, Instant revokedAt,
                            String state, String suspendedBecause) {

        static TokenJson of(ApiToken token, Instant now) {
            ApiToken.State state = token.state(now);
            return new TokenJson(token.id(), token.name(), lower(token.role().name()),
                    state == ApiToken.State.ACTIVE ? lower(token.effectiveRole().orElseThrow().name()) : null, token.hint(),
                    new CreatorJson(token.createdBy(), token.createdByName()), token.createdAt(), token.expiresAt(),
                    token.lastUsedAt(), token.lastUsedFrom(), token.revokedAt(), state.code(),
                    state == ApiToken.State.SUSPENDED ? token.suspension().orElseThrow().code() : null);
        }

        private static String lower(String value) {
            return value.toLowerCase(Locale.ROOT);
        }
    }

    public record TokenPage(List<TokenJson> items, String nextCursor) {
    }

    @Requires(Permission.MANAGE_API_TOKENS)
    @GetMapping("/api/v1/api-tokens")
    TokenPage list() {
        Instant now = tokens.now();
        return new TokenPage(tokens.visible().stream().map(t -> TokenJson.of(t, now)).toList(), null);
    }

    @Requires(Permission.MANAGE_API_TOKENS)
    @GetMapping("/api/v1/api-tokens/{id}")
    TokenJson one(@PathVariable String id) {
        return TokenJson.of(tokens.visible(Ids.parseOrNotFound(id)), tokens.now());
    }

    @Requires(Permission.MANAGE_API_TOKENS)
    @DeleteMapping("/api/v1/api-tokens/{id}")
    TokenJson revoke(@PathVariable String id) {
        return TokenJson.of(tokens.revoke(Ids.parseOrNotFound(id)), tokens.now());
    }
}
