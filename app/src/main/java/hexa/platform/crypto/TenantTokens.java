package hexa.platform.crypto;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Secrets we hand out (API tokens, invitation links, webhook callback keys) start with the workspace they belong to, so
 * that looking one up is a primary-key read inside that workspace. Only a hash of the secret is kept.
 */
public final class TenantTokens {

    private TenantTokens() {
    }

    public record Parsed(UUID tenantId, String hash) {
    }

    public static String issue(String prefix, UUID tenantId) {
        ByteBuffer buffer = ByteBuffer.allocate(16).putLong(tenantId.getMostSignificantBits()).putLong(tenantId.getLeastSignificantBits());
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array()) + "_" + Tokens.random(32);
    }

    public static Optional<Parsed> parse(String prefix, String token) {
        if (token == null || !token.startsWith(prefix) || token.length() > 200) {
            return Optional.empty();
        }
        String rest = token.substring(prefix.length());
        // The workspace part is always 22 characters of base64url, which may itself contain '_'.
        if (rest.length() < 24 || rest.charAt(22) != '_') {
            return Optional.empty();
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(Base64.getUrlDecoder().decode(rest.substring(0, 22)));
            UUID tenant = new UUID(buffer.getLong(), buffer.getLong());
            return Optional.of(new Parsed(tenant, Tokens.sha256(token)));
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            return Optional.empty();
        }
    }
}
