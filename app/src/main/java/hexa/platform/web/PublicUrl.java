package hexa.platform.web;

import hexa.platform.config.HexaProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The address people reach us at, for links we hand out: {@code HEXA_PUBLIC_URL} when set, else the
 * address of the request being served (proxies' X-Forwarded headers included), else localhost.
 */
@Component
public class PublicUrl {

    private final HexaProperties properties;

    PublicUrl(HexaProperties properties) {
        this.properties = properties;
    }

    /** The address to announce once the server has started, when no request is at hand. */
    public String atStartup(org.springframework.context.ApplicationContext context) {
        if ((properties.publicUrl() == null || properties.publicUrl().isBlank())
                && context instanceof org.springframework.boot.web.server.context.WebServerApplicationContext web
                && web.getWebServer() != null) {
            return "http://localhost:" + web.getWebServer().getPort();
        }
        return properties.baseUrl();
    }

    public String base() {
        if (properties.publicUrl() != null && !properties.publicUrl().isBlank()) {
            return properties.baseUrl();
        }
        if (RequestContextHolder.getRequestAttributes() != null) {
            return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        }
        return properties.baseUrl();
    }
}
