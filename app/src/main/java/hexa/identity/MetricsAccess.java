package hexa.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may read {@code /actuator/prometheus}: anyone who reaches the management port ({@code HEXA_MANAGEMENT_PORT},
 * kept private by the operator), and on the main port only a scraper that sends {@code HEXA_METRICS_TOKEN} as
 * {@code Authorization: Bearer}; without a token set, the main port does not serve metrics at all (404). They name
 * the installation's workspaces' activity (message rates, webhook outcomes), not something for the whole internet.
 */
@Component
class MetricsAccess extends OncePerRequestFilter {

    private final String token;
    private final hexa.platform.web.PublicUrl server;

    MetricsAccess(@Value("${hexa.metrics-token:}") String token, hexa.platform.web.PublicUrl server) {
        this.token = token == null ? "" : token.strip();
        this.server = server;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int mainPort = server.listeningPort();
        if (mainPort > 0 && request.getLocalPort() != mainPort) {
            chain.doFilter(request, response);
            return;
        }
        if (token.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String authorization = request.getHeader("Authorization");
        String given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip() : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            response.setHeader("WWW-Authenticate", "Bearer");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        chain.doFilter(request, response);
    }
}
