package hexa.whatsapp;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import hexa.platform.Ids;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/whatsapp/connections}: the connected numbers, never with their secrets. */
@RestController
class ConnectionsApiController {

    private final ConnectionService connections;

    ConnectionsApiController(ConnectionService connections) {
        this.connections = connections;
    }

    public record ConnectionJson(UUID id, String kind, String phoneNumberId, String displayPhoneNumber, String verifiedName,
                                 String wabaId, String appId, String callbackUrl, String verifyToken, String status,
                                 String statusDetail, Instant checkedAt, Instant createdAt, boolean coexistence) {
        /** {@code coexistence}: the number is also used in the WhatsApp Business app. */
        static ConnectionJson of(ConnectionService.View v, java.util.Set<UUID> coexistence) {
            return new ConnectionJson(v.id(), v.kind().name().toLowerCase(Locale.ROOT), v.phoneNumberId(), v.displayPhoneNumber(),
                    v.verifiedName(), v.wabaId(), v.appId(), v.callbackUrl(), v.verifyToken(), v.status().name().toLowerCase(Locale.ROOT),
                    v.statusDetail(), v.checkedAt(), v.createdAt(), coexistence.contains(v.id()));
        }
    }

    public record Items<T>(List<T> items, String nextCursor) {
    }

    public record ConnectRequest(String appId, String appSecret, String accessToken, String wabaId, String phoneNumberId) {
    }

    public record CheckJson(boolean ok, String status, String explanation) {
    }

    /** Connects a number of a Meta app; the answer carries the callback URL and verify token for Meta's dashboard. */
    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/api/v1/whatsapp/connections")
    ResponseEntity<ConnectionJson> connect(@RequestBody ConnectRequest request) {
        ConnectionService.View view = connections.connectMeta(
                new ConnectionService.MetaApp(request.appId(), request.appSecret(), request.accessToken(), request.wabaId()),
                request.phoneNumberId());
        return ResponseEntity.status(201).body(ConnectionJson.of(view, connections.withCoexistence()));
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @GetMapping("/api/v1/whatsapp/connections/{id}")
    ConnectionJson get(@PathVariable String id) {
        return ConnectionJson.of(connections.connection(Ids.parseOrNotFound(id)), connections.withCoexistence());
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @PostMapping("/api/v1/whatsapp/connections/{id}/check")
    CheckJson check(@PathVariable String id) {
        UUID connection = Ids.parseOrNotFound(id);
        ConnectionService.CheckResult result = connections.check(connection);
        return new CheckJson(result.ok(), connections.connection(connection).status().name().toLowerCase(Locale.ROOT), result.explanation());
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @GetMapping("/api/v1/whatsapp/connections")
    Items<ConnectionJson> list() {
        java.util.Set<UUID> coexistence = connections.withCoexistence();
        return new Items<>(connections.connections().stream().map(v -> ConnectionJson.of(v, coexistence)).toList(), null);
    }
}
