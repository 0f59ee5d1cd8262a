package hexa.audit;

import hexa.platform.tenant.Actor;
import java.util.UUID;

/** Who did it, as the trail names them. */
public record AuditActor(Kind kind, UUID id, String name) {

    public enum Kind { USER, API_TOKEN, SYSTEM, ANONYMOUS }

    public static AuditActor of(Actor actor) {
        if (actor.userId() == null && actor.tokenId() == null) {
            return new AuditActor(Kind.SYSTEM, null, actor.name());
        }
        return actor.isPerson()
                ? new AuditActor(Kind.USER, actor.userId(), actor.name())
                : new AuditActor(Kind.API_TOKEN, actor.tokenId(), actor.name());
    }

    public static AuditActor person(UUID userId, String name) {
        return new AuditActor(Kind.USER, userId, name);
    }

    public static AuditActor anonymous(String claimedIdentity) {
        return new AuditActor(Kind.ANONYMOUS, null, claimedIdentity);
    }

    public static AuditActor system() {
        return new AuditActor(Kind.SYSTEM, null, "Hexa CRM");
    }
}
