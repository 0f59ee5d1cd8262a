package hexa.platform;

import java.util.Map;
import java.util.UUID;

/**
 * Published while {@code ./hexa run --demo} prepares the demo workspace: each capability may add
 * its own sample data and its own entry to {@code demo.json}.
 *
 * @param entries what demo.json will hold; listeners add to it
 */
public record DemoData(UUID workspaceId, UUID ownerId, String ownerName, Map<String, Object> entries) {
}
