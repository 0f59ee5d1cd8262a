package hexa.platform.privacy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

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

    /**
     * Runs a module's deletes of a workspace in order, each {@code delete from <table> where … = :tenant}, adding the rows
     * each removed to {@code removed} under its table's name.
     */
    static Map<String, Long> deleteInOrder(JdbcClient jdbc, UUID tenantId, List<String> deletes, Map<String, Long> removed) {
        for (String delete : deletes) {
            removed.put(delete.split(" ")[2], (long) jdbc.sql(delete).param("tenant", tenantId).update());
        }
        return removed;
    }
}
