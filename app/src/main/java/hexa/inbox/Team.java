package hexa.inbox;

import java.util.List;
import java.util.UUID;

/** A group of members that conversations can be given to. */
public record Team(UUID id, String name, List<UUID> memberIds) {
}
