package hexa.whatsapp.graph;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the CRM reaches the Graph API, bound from {@code HEXA_WHATSAPP_*} environment variables
 * ({@code HEXA_WHATSAPP_GRAPH_URL}, {@code HEXA_WHATSAPP_API_VERSION}, ...).
 *
 * @param graphUrl       {@code hexa.whatsapp.graph-url}: Meta, or a sandbox standing in for it
 * @param apiVersion     {@code hexa.whatsapp.api-version}
 * @param connectTimeout {@code hexa.whatsapp.connect-timeout}
 * @param readTimeout    {@code hexa.whatsapp.read-timeout}: how long to wait for Meta's answer
 * @param maxMediaSize   {@code hexa.whatsapp.max-media-size}: the largest media download accepted;
 *                       Meta's own ceiling for media is 100 MB
 */
@ConfigurationProperties("hexa.whatsapp")
public record GraphSettings(
        @DefaultValue("https://graph.facebook.com") String graphUrl,
        @DefaultValue("v25.0") String apiVersion,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration readTimeout,
        @DefaultValue("100MB") DataSize maxMediaSize) {

    /** Meta's defaults, for code that builds a client outside Spring. */
    public static GraphSettings defaults() {
        return new GraphSettings("https://graph.facebook.com", "v25.0", Duration.ofSeconds(5), Duration.ofSeconds(30),
                DataSize.ofMegabytes(100));
    }

    /** The configured Graph API, called with this token. */
    public GraphEndpoint endpoint(String accessToken) {
        return new GraphEndpoint(graphUrl, apiVersion, accessToken);
    }

    public GraphSettings withTimeouts(Duration connect, Duration read) {
        return new GraphSettings(graphUrl, apiVersion, connect, read, maxMediaSize);
    }

    public GraphSettings withMaxMediaSize(DataSize size) {
        return new GraphSettings(graphUrl, apiVersion, connectTimeout, readTimeout, size);
    }
}
