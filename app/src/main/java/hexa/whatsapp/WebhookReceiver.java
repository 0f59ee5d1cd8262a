package hexa.whatsapp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Where Meta calls us: {@code /webhooks/whatsapp/{connection key}}. The GET handshake echoes the
 * challenge only for the right verify token. A POST is checked against the connection's app secret
 * over its raw bytes before anything else; a good one is stored durably and only then acknowledged.
 *
 * <p>This is the busiest door of the server (thousands of messages a second from Meta at peak), and the
 * one whose answer time Meta watches, so it is served by a servlet filter placed before every other
 * filter: no security chain, no session, no MVC dispatch, no message converters. Measured, those cost
 * about nine tenths of the CPU of a webhook POST; here a POST costs reading its bytes, one HMAC and
 * waiting for its group commit. Nothing else is served under this path.
 */
class WebhookReceiver extends OncePerRequestFilter {

    /** Meta's payloads are up to 3 MB; anything far larger is not Meta. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    static final String PATH = "/webhooks/whatsapp/";

    private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);

    private final ConnectionService connections;
    private final WebhookEvents events;
    private final WebhookProcessor processor;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    WebhookReceiver(ConnectionService connections, WebhookEvents events, WebhookProcessor processor, MeterRegistry meters, Clock clock) {
        this.connections = connections;
        this.events = events;
        this.processor = processor;
        this.meters = meters;
        this.clock = clock;
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        FilterRegistrationBean<WebhookReceiver> webhookReceiver(ConnectionService connections, WebhookEvents events,
                                                                WebhookProcessor processor, MeterRegistry meters, Clock clock) {
            var registration = new FilterRegistrationBean<>(new WebhookReceiver(connections, events, processor, meters, clock));
            registration.addUrlPatterns(PATH + "*");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            registration.setName("whatsappWebhookReceiver");
            return registration;
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String key = connectionKey(request);
        if (key == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        switch (request.getMethod()) {
            case "GET":
                verify(key, request, response);
                break;
            case "POST":
                receive(key, request, response);
                break;
            default:
                response.setHeader("Allow", "GET, POST");
                response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
        }
    }

    /** The key is the one path segment after the prefix; anything else under the prefix is not ours. */
    private static String connectionKey(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        int start = context.length() + PATH.length();
        if (uri.length() <= start || !uri.startsWith(PATH, context.length())) {
            return null;
        }
        String key = uri.substring(start);
        return key.isEmpty() || key.indexOf('/') >= 0 || key.indexOf(';') >= 0 ? null : key;
    }

    private void verify(String key, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Connection> connection = connections.byCallbackKey(key);
        if (connection.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String mode = request.getParameter("hub.mode");
        String verifyToken = request.getParameter("hub.verify_token");
        String challenge = request.getParameter("hub.challenge");
        if (mode == null || verifyToken == null || challenge == null) {
            text(response, HttpServletResponse.SC_BAD_REQUEST, "hub.mode, hub.verify_token and hub.challenge are required");
            return;
        }
        if (!"subscribe".equals(mode) || !connections.verifyTokenMatches(connection.get(), verifyToken)) {
            count("bad_verify_token");
            log.warn("Security: webhook verification with a wrong verify token for connection {}", connection.get().id());
            text(response, HttpServletResponse.SC_FORBIDDEN, "verify token does not match");
            return;
        }
        count("verified");
        text(response, HttpServletResponse.SC_OK, challenge);
    }

    private void receive(String key, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ConnectionService.Receiver> receiver = connections.receiver(key);
        if (receiver.isEmpty()) {
            count("unknown_connection");
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            count("too_large");
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        byte[] body = readBounded(request.getInputStream());
        if (body == null) {
            count("too_large");
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        Connection connection = receiver.get().connection();
        String signature = request.getHeader("X-Hub-Signature-256");
        if (!receiver.get().signatureMatches(body, signature)) {
            count("bad_signature");
            log.warn("Security: webhook with {} signature for connection {} from {}",
                    signature == null ? "no" : "a wrong", connection.id(), request.getRemoteAddr());
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        try {
            events.store(connection, body, clock.instant());
        } catch (RuntimeException e) {
            // Not acknowledged, so Meta sends it again; nothing was promised.
            count("store_failed");
            log.error("A webhook for connection {} could not be stored; Meta will send it again", connection.id(), e);
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        count("accepted");
        processor.wake();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentLength(0);
    }

    private static void text(HttpServletResponse response, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private void count(String outcome) {
        counters.computeIfAbsent(outcome, o -> meters.counter("hexa.whatsapp.webhooks", "outcome", o)).increment();
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? null : bytes;
    }
}
