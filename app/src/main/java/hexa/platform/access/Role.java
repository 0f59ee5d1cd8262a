package hexa.platform.access;

import java.util.Locale;
import java.util.Optional;

/** What a member (or an API token) may do in a workspace; the matrix is in {@link Permission}. */
public enum Role {
    OWNER, ADMIN, SUPERVISOR, AGENT, ANALYST;

    public boolean can(Permission permission) {
        return permission.grantedTo(this);
    }

    public String messageKey() {
        return "role." + name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Role.valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
