package hexa.platform.hours;

import java.time.Instant;
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
}
