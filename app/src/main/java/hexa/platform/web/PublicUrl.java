package hexa.platform.web;

import hexa.platform.config.HexaProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The address people reach us at, for links we hand out: {@code HEXA_PUBLIC_URL} when set, else the
 * address of the request being served (proxies' X-Forwarded headers included), else this server on
 * localhost at the port it actually listens on.
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

    public String base() {
        if (configured()) {
            return properties.baseUrl();
        }
        if (RequestContextHolder.getRequestAttributes() != null) {
            return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        }
        return local();
    }

    /** The address to announce once the server has started, when no request is at hand. */
    public String atStartup() {
        return configured() ? properties.baseUrl() : local();
    }

    private boolean configured() {
        return properties.publicUrl() != null && !properties.publicUrl().isBlank();
    }

    private String local() {
        return listeningPort > 0 ? "http://localhost:" + listeningPort : properties.baseUrl();
    }
}
