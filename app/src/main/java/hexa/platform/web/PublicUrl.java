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
