package hexa.platform.hours;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Whether a workspace, or one of its teams, is open for business at a time: its weekly hours in the workspace's time
 * zone, less its holidays. The automation module keeps the hours and implements this; rules (open or closed), the
 * inbox (an "open now" badge) and reports (response times in business hours) ask it. A workspace without hours is
 * always open; a team without hours of its own keeps the workspace's.
 */
public interface BusinessHours {

    /** Whether the workspace {@code tenantId} (or its team {@code teamId}, when not null) is open at {@code at}. */
    boolean openAt(UUID tenantId, UUID teamId, Instant at);

    /**
     * When the workspace (or its team) next opens or closes after {@code from}: the first instant after it at which
     * {@link #openAt} answers otherwise. Empty when that does not happen within a year: no hours set, open around the
     * clock, or a week without any opening.
     */
    Optional<Instant> nextChange(UUID tenantId, UUID teamId, Instant from);

    /**
     * Whether the workspace (or its team) has hours at all: a week or holidays. Without, it is always open, and an
     * "open now" would tell nobody anything.
     */
    boolean hasHours(UUID tenantId, UUID teamId);

    /** Open or closed at a time, and until when; empty when no hours are set. */
    default Optional<Now> now(UUID tenantId, UUID teamId, Instant at) {
        if (!hasHours(tenantId, teamId)) {
            return Optional.empty();
        }
        return Optional.of(new Now(openAt(tenantId, teamId, at), nextChange(tenantId, teamId, at).orElse(null)));
    }

    /**
     * Open or closed at a time.
     *
     * @param open       whether open
     * @param nextChange when that changes (opens when closed, closes when open); null when it does not within a year
     */
    record Now(boolean open, Instant nextChange) {
    }
}
