package hexa.platform.time;

import java.time.ZoneId;

/**
 * The time zone of the workspace being worked in, in which times are shown. Provided by the module
 * that owns workspaces, so that any module can show times without depending on it.
 */
public interface WorkspaceZone {

    ZoneId zone();
}
