package hexa.platform.web;

import hexa.platform.config.HexaProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The address people reach us at, for links we hand out and addresses we store (invitation links, webhook
 * callback URLs, the sandbox's Graph URL): {@code HEXA_PUBLIC_URL} when set, else this server on localhost at the
 * port it listens on. Never the request's {@code Host} (or a proxy's {@code X-Forwarded-Host}): anyone can write
 * those, and a stored URL made from them would send tokens and customers' messages to the writer's host. Without
 * {@code HEXA_PUBLIC_URL}, a request that reached us by any name other than localhost cannot make such an
 * address: {@link #base()} refuses it with {@link PublicUrlRequired}, which says what to set.
 */
@Component
public class PublicUrl implements ApplicationListener<WebServerInitializedEvent> {

    private final HexaProperties properties;
    private volatile int listeningPort;

    PublicUrl(HexaProperties properties) {
        this.properties = properties;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (!"management".equals(event.getApplicationContext().getServerNamespace())) {
            listeningPort = event.getWebServer().getPort();
        }
    }

    /**
     * The address to put in a link or a stored URL. Without {@code HEXA_PUBLIC_URL}, only a request made to this
     * server as localhost (or from no request at all: a worker) may have one, the listening address.
     */
    public String base() {
        if (configured()) {
            return properties.baseUrl();
        }
        HttpServletRequest request = currentRequest();
        if (request != null && !isLocalName(request.getServerName())) {
            throw new PublicUrlRequired(request.getServerName());
        }
        return local();
    }

    /**
     * The address to show, where nothing is stored or sent (a page listing a connection's callback URL): as
     * {@link #base()}, but the listening address instead of a refusal.
     */
    public String shown() {
        return configured() ? properties.baseUrl() : local();
    }

    /** The address to announce once the server has started, when no request is at hand. */
    public String atStartup() {
        return shown();
    }

    /** The port the main web server listens on (not the management port); 0 until it has started. */
    public int listeningPort() {
        return listeningPort;
    }

    /** Whether {@code HEXA_PUBLIC_URL} is set. */
    public boolean configured() {
        return properties.publicUrl() != null && !properties.publicUrl().isBlank();
    }

    private String local() {
        return listeningPort > 0 ? "http://localhost:" + listeningPort : properties.baseUrl();
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes ? attributes.getRequest() : null;
    }

    static boolean isLocalName(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.equals("localhost") || name.endsWith(".localhost") || name.equals("::1") || name.equals("0:0:0:0:0:0:0:1")
                || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
