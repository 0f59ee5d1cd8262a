package hexa.whatsapp;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
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
                                 String statusDetail, Instant checkedAt, Instant createdAt) {
        static ConnectionJson of(ConnectionService.View v) {
            return new ConnectionJson(v.id(), v.kind().name().toLowerCase(Locale.ROOT), v.phoneNumberId(), v.displayPhoneNumber(),
                    v.verifiedName(), v.wabaId(), v.appId(), v.callbackUrl(), v.verifyToken(), v.status().name().toLowerCase(Locale.ROOT),
                    v.statusDetail(), v.checkedAt(), v.createdAt());
        }
    }

    public record Items<T>(List<T> items, String nextCursor) {
    }

    @Requires(Permission.MANAGE_CHANNELS)
    @GetMapping("/api/v1/whatsapp/connections")
    Items<ConnectionJson> list() {
        return new Items<>(connections.connections().stream().map(ConnectionJson::of).toList(), null);
    }
}
