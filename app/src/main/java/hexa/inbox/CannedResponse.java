package hexa.inbox;

import java.util.UUID;

/** A prepared answer an agent inserts by typing /shortcut; its text may hold {{contact.name}} and similar variables. */
public record CannedResponse(UUID id, String shortcut, String body) {
}
