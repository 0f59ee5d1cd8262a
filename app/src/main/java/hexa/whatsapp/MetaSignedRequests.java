package hexa.whatsapp;

import hexa.platform.crypto.SecretBox;
import hexa.platform.tenant.TenantContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Meta's {@code signed_request} (a data deletion callback, a deauthorisation): {@code <signature>.<payload>}, both
 * base64url, the signature an HMAC-SHA256 of the payload's text under the app secret. Checked against the app secret of
 * each of the workspace's connections, in constant time; the secrets never leave this module.
 */
@Service
public class MetaSignedRequests {

    private final Connections connections;
    private final SecretBox secrets;
    private final JsonMapper json = JsonMapper.builder().build();

    MetaSignedRequests(Connections connections, SecretBox secrets) {
        this.connections = connections;
        this.secrets = secrets;
    }

    /** The payload of a request signed with one of the current workspace's app secrets; empty when it is not. */
    public Optional<JsonNode> verify(String signedRequest) {
        if (signedRequest == null) {
            return Optional.empty();
        }
        int dot = signedRequest.indexOf('.');
        if (dot <= 0 || dot == signedRequest.length() - 1 || signedRequest.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        String encodedPayload = signedRequest.substring(dot + 1);
        byte[] signature;
        JsonNode payload;
        try {
            signature = Base64.getUrlDecoder().decode(strip(signedRequest.substring(0, dot)));
            payload = json.readTree(new String(Base64.getUrlDecoder().decode(strip(encodedPayload)), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (payload == null || !payload.isObject() || !"HMAC-SHA256".equalsIgnoreCase(payload.path("algorithm").asString(""))) {
            return Optional.empty();
        }
        boolean matches = false;
        for (Connection connection : connections.all(TenantContext.tenantId())) {
            byte[] expected = hmac(encodedPayload, secrets.openString(connection.appSecretSealed()));
            // Every secret is tried, so that the time taken does not tell which one matched.
            matches |= MessageDigest.isEqual(expected, signature);
        }
        return matches ? Optional.of(payload) : Optional.empty();
    }

    /** Signs a payload as Meta does (for the sandbox and tests): {@code <signature>.<payload>}. */
    public static String sign(String payloadJson, String appSecret) {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(payload, appSecret)) + "." + payload;
    }

    private static byte[] hmac(String text, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String strip(String base64) {
        // Meta pads some, not others; the decoder takes either once the padding is gone.
        return base64.replace("=", "");
    }
}
