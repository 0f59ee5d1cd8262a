package hexa.identity;

import hexa.platform.web.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an OpenID provider's discovery document ({@code /.well-known/openid-configuration}), with short timeouts so
 * that a provider that does not answer cannot hold a page or a sign-in for long. A document read is kept for ten
 * minutes: a sign-in needs it twice (going there and coming back).
 */
@Component
class OpenIdDiscovery {

    private static final Duration KEEP = Duration.ofMinutes(10);

    record Document(String issuer, Map<String, Object> metadata, Instant readAt) {
        String endpoint(String name) {
            Object value = metadata.get(name);
            return value instanceof String text && !text.isBlank() ? text : null;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, Document> read = new ConcurrentHashMap<>();
    private final Clock clock;

    OpenIdDiscovery(Clock clock) {
        this.clock = clock;
    }

    /** The issuer as entered, checked for form: https, or http to this machine only. */
    static String normalizedIssuer(String issuer) {
        String trimmed = issuer == null ? "" : issuer.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw UserError.invalid("sso.issuer.invalid");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean local = uri.getHost() != null && (uri.getHost().equals("localhost") || uri.getHost().equals("127.0.0.1"));
        if (trimmed.length() > 500 || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(scheme.equals("https") || (scheme.equals("http") && local))) {
            throw UserError.invalid("sso.issuer.invalid");
        }
        return trimmed;
    }

    /** Reads the document now, refusing with a message that says what is wrong. */
    Document read(String issuer) {
        String location = issuer + "/.well-known/openid-configuration";
        Map<String, Object> metadata;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(location)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw UserError.invalid("sso.issuer.unreadable", location, "HTTP " + response.statusCode());
            }
            metadata = json.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw UserError.invalid("sso.issuer.unreadable", location, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserError.invalid("sso.issuer.unreadable", location, "interrupted");
        } catch (tools.jackson.core.JacksonException e) {
            throw UserError.invalid("sso.issuer.unreadable", location, "not a JSON document");
        }
        Object named = metadata.get("issuer");
        if (!issuer.equals(named)) {
            throw UserError.invalid("sso.issuer.mismatch", location, String.valueOf(named));
        }
        Document document = new Document(issuer, metadata, clock.instant());
        if (document.endpoint("authorization_endpoint") == null || document.endpoint("token_endpoint") == null
                || document.endpoint("jwks_uri") == null) {
            throw UserError.invalid("sso.issuer.incomplete", location);
        }
        read.put(issuer, document);
        return document;
    }

    /** The document, read again when the one kept is older than ten minutes. */
    Document current(String issuer) {
        Document kept = read.get(issuer);
        if (kept != null && kept.readAt().plus(KEEP).isAfter(clock.instant())) {
            return kept;
        }
        return read(issuer);
    }
}
