package hexa.contacts;

import hexa.platform.tenant.Actor;
import java.time.Instant;
import java.util.UUID;

/** A note about a contact, with who wrote it (a member, or an API token) and when; only its author changes it. */
public record ContactNote(UUID id, UUID contactId, UUID authorId, UUID authorTokenId, String authorName, String body,
                          Instant createdAt, Instant updatedAt) {

    public boolean writtenBy(Actor actor) {
        return (authorId != null && authorId.equals(actor.userId())) || (authorTokenId != null && authorTokenId.equals(actor.tokenId()));
    }

    public boolean edited() {
        return updatedAt != null && !updatedAt.equals(createdAt);
    }
}
