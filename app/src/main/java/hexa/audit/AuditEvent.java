package hexa.audit;

import java.time.Instant;
import java.util.UUID;

/** A recorded event as Owners and Admins browse it. */
public record AuditEvent(UUID id, Instant occurredAt, AuditActor.Kind actorKind, UUID actorId, String actorName,
                         String action, String targetType, String targetId, String targetName, String details,
                         String ipAddress, String userAgent) {
}
