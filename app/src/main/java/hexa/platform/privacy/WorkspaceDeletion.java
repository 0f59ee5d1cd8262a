package hexa.platform.privacy;

import java.util.Map;
import java.util.UUID;

/**
 * Deleting a whole workspace once its closing's grace period has ended: implemented by each module for its own tables
 * (every row of the workspace), called by the privacy module inside one transaction. Files (media, exports) are deleted
 * after the commit.
 */
public interface WorkspaceDeletion {

    /** Deletes every row of this module that belongs to the workspace; answers the rows deleted per table. */
    Map<String, Long> deleteWorkspace(UUID tenantId);

    /**
     * Modules are deleted in ascending order: the channel's messages and media (10), the inbox (20), contacts (30), the
     * channel's connections (40), the logs and the privacy module's rows (50–90), the identity module's workspace row and
     * memberships last (100).
     */
    default int order() {
        return 0;
    }
}
