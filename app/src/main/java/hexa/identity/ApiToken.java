package hexa.identity;

import hexa.platform.access.Permission;
import hexa.platform.access.Role;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A named credential for integrations; only its hash and its last four characters are kept. It acts for the member who
 * created it and never with more than they may do now: {@code creatorRole} and {@code creatorActive} are that member's
 * current membership (both null when they are not a member of the workspace).
 */
public record ApiToken(UUID id, String name, Role role, String hint, UUID createdBy, String createdByName,
                       Instant createdAt, Instant expiresAt, Instant lastUsedAt, String lastUsedFrom, Instant revokedAt,
                       Role creatorRole, Boolean creatorActive) {

    /** Where a token stands at a moment, in the order they are checked. */
    public enum State {
        REVOKED, EXPIRED, SUSPENDED, ACTIVE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a token is suspended: it follows its creator's membership. */
    public enum Suspension {
        /** The creator was deactivated; reactivating them lifts it. */
        CREATOR_DEACTIVATED,
        /** Nobody the workspace knows stands behind the token (the creator is not, or no longer, a member). */
        CREATOR_NOT_MEMBER,
        /** The creator's role now and the token's role share no role (an Agent's token whose creator became an Analyst). */
        CREATOR_ROLE_UNRELATED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String messageKey() {
            return "api-tokens.suspended." + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public boolean active() {
        return revokedAt == null;
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public State state(Instant now) {
        if (revokedAt != null) {
            return State.REVOKED;
        }
        if (expired(now)) {
            return State.EXPIRED;
        }
        return suspension().isPresent() ? State.SUSPENDED : State.ACTIVE;
    }

    /** Why the token cannot act now for its creator's sake; empty when they stand behind it. */
    public Optional<Suspension> suspension() {
        if (creatorActive == null || creatorRole == null) {
            return Optional.of(Suspension.CREATOR_NOT_MEMBER);
        }
        if (!creatorActive) {
            return Optional.of(Suspension.CREATOR_DEACTIVATED);
        }
        return effectiveRole().isPresent() ? Optional.empty() : Optional.of(Suspension.CREATOR_ROLE_UNRELATED);
    }

    /** The role the token acts with: its own, lowered to what its creator may do now; empty when suspended that way. */
    public Optional<Role> effectiveRole() {
        if (creatorRole == null || !Boolean.TRUE.equals(creatorActive)) {
            return Optional.empty();
        }
        return within(role, creatorRole);
    }

    /** Acts with a lower role than it was given. */
    public boolean limited() {
        return effectiveRole().map(r -> r != role).orElse(false);
    }

    /**
     * The greatest role whose permissions both roles have: the lower of two roles where one covers the other, and
     * nothing for two that do not (Agent and Analyst share only seeing the workspace, which no role has alone).
     */
    static Optional<Role> within(Role a, Role b) {
        Set<Permission> both = permissions(a);
        both.retainAll(permissions(b));
        return Arrays.stream(Role.values())
                .filter(candidate -> both.containsAll(permissions(candidate)))
                .max(Comparator.comparingInt(candidate -> permissions(candidate).size()));
    }

    private static Set<Permission> permissions(Role role) {
        Set<Permission> granted = EnumSet.noneOf(Permission.class);
        for (Permission permission : Permission.values()) {
            if (role.can(permission)) {
                granted.add(permission);
            }
        }
        return granted;
    }
}
