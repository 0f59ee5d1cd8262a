package hexa.sandbox.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxProperties;

/**
 * The secret that opens the whole control API to scripts, tests and benchmarks ({@code Authorization: Bearer}):
 * {@code hexa.sandbox.control-token}, or a random one made at start and printed.
 */
@Component
public class ControlToken {

    private final String value;
    private final boolean generated;

    public ControlToken(SandboxProperties properties) {
        String configured = properties.getControlToken();
        this.generated = configured == null || configured.isBlank();
        if (generated) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            this.value = "sbx_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        } else {
            this.value = configured.strip();
        }
    }

    public String value() {
        return value;
    }

    public boolean generated() {
        return generated;
    }

    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }
}
