package hexa.identity;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

public record Workspace(UUID id, String name, ZoneId timeZone, String defaultCountry, Instant createdAt) {
}
