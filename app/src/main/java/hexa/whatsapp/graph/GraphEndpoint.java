package hexa.whatsapp.graph;

import java.util.regex.Pattern;

/**
 * Where one connected number's Graph API calls go, and with which token. Calls take it explicitly
 * because one workspace may connect several numbers, some on Meta and some on the sandbox.
 *
 * @param baseUrl     {@code https://graph.facebook.com}, or the sandbox ({@code http://host:port/sandbox/graph})
 * @param apiVersion  {@code v25.0}
 * @param accessToken the system-user access token of the number's Meta app
 */
public record GraphEndpoint(String baseUrl, String apiVersion, String accessToken) {

    private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+");

    public GraphEndpoint {
        if (baseUrl == null || !(baseUrl.startsWith("https://") || baseUrl.startsWith("http://"))) {
            throw new IllegalArgumentException("The Graph API URL must start with https:// or http://, got " + baseUrl);
        }
        baseUrl = baseUrl.trim().replaceAll("/+$", "");
        if (apiVersion == null || !VERSION.matcher(apiVersion.trim()).matches()) {
            throw new IllegalArgumentException("The Graph API version must look like v25.0, got " + apiVersion);
        }
        apiVersion = apiVersion.trim();
        if (accessToken == null) {
            throw new IllegalArgumentException("An access token is required");
        }
        accessToken = accessToken.trim();
    }

    /** The same place with another token, for example after the token was replaced. */
    public GraphEndpoint withAccessToken(String token) {
        return new GraphEndpoint(baseUrl, apiVersion, token);
    }

    /** Never prints the token: endpoints end up in logs and exception messages. */
    @Override
    public String toString() {
        return "GraphEndpoint[" + baseUrl + "/" + apiVersion + ", token=" + (accessToken.isEmpty() ? "none" : "***") + "]";
    }
}
