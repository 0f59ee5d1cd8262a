package hexa.whatsapp;

import hexa.platform.access.Public;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where Meta calls us: {@code /webhooks/whatsapp/{connection key}}. The GET handshake echoes the
 * challenge only for the right verify token. A POST is checked against the connection's app secret
 * over its raw bytes before anything else; a good one is stored durably and only then acknowledged.
 */
@RestController
@Public
class WebhookController {

    /** Meta's payloads are up to 3 MB; anything far larger is not Meta. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final ConnectionService connections;
    private final WebhookEvents events;
    private final WebhookProcessor processor;
    private final MeterRegistry meters;
    private final java.time.Clock clock;

    WebhookController(ConnectionService connections, WebhookEvents events, WebhookProcessor processor, MeterRegistry meters,
                      java.time.Clock clock) {
        this.connections = connections;
        this.events = events;
        this.processor = processor;
        this.meters = meters;
        this.clock = clock;
    }

    @GetMapping(value = "/webhooks/whatsapp/{key}", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> verify(@PathVariable String key,
                                  @RequestParam(name = "hub.mode", required = false) String mode,
                                  @RequestParam(name = "hub.verify_token", required = false) String verifyToken,
                                  @RequestParam(name = "hub.challenge", required = false) String challenge) {
        Optional<Connection> connection = connections.byCallbackKey(key);
        if (connection.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        if (mode == null || verifyToken == null || challenge == null) {
            return ResponseEntity.badRequest().body("hub.mode, hub.verify_token and hub.challenge are required");
        }
        if (!"subscribe".equals(mode) || !connections.verifyTokenMatches(connection.get(), verifyToken)) {
            count("bad_verify_token");
            log.warn("Security: webhook verification with a wrong verify token for connection {}", connection.get().id());
            return ResponseEntity.status(403).body("verify token does not match");
        }
        count("verified");
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(challenge);
    }

    @PostMapping("/webhooks/whatsapp/{key}")
    ResponseEntity<Void> receive(@PathVariable String key,
                                 @RequestHeader(name = "X-Hub-Signature-256", required = false) String signature,
                                 HttpServletRequest request) throws IOException {
        Optional<ConnectionService.Receiver> receiver = connections.receiver(key);
        if (receiver.isEmpty()) {
            count("unknown_connection");
            return ResponseEntity.notFound().build();
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            count("too_large");
            return ResponseEntity.status(413).build();
        }
        byte[] body = readBounded(request.getInputStream());
        if (body == null) {
            count("too_large");
            return ResponseEntity.status(413).build();
        }
        Connection connection = receiver.get().connection();
        if (!receiver.get().signatureMatches(body, signature)) {
            count("bad_signature");
            log.warn("Security: webhook with {} signature for connection {} from {}",
                    signature == null ? "no" : "a wrong", connection.id(), request.getRemoteAddr());
            return ResponseEntity.status(401).build();
        }
        events.store(connection, body, clock.instant());
        count("accepted");
        processor.wake();
        return ResponseEntity.ok().build();
    }

    private void count(String outcome) {
        meters.counter("hexa.whatsapp.webhooks", "outcome", outcome).increment();
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? null : bytes;
    }
}
