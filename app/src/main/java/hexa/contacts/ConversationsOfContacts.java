package hexa.contacts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the contacts feature needs of a contact's conversations, which another module (the inbox) owns
 * and provides: listed on the contact's timeline, counted before the contact is deleted, moved to
 * another contact when two are merged, and deleted with the contact. Contacts depend on this port, the
 * inbox implements it, so the dependency points one way (inbox to contacts).
 */
public interface ConversationsOfContacts {

    /** One conversation as a line of the contact's timeline. */
    record Summary(UUID id, String status, Instant openedAt, Instant lastMessageAt, int messages) {
    }

    /** How much a contact's conversations hold. */
    record Counts(int conversations, int messages) {
    }

    /**
     * The contact's conversations that the acting member may see, newest opened first, strictly before
     * ({@code beforeAt}, {@code beforeId}) when given.
     */
    List<Summary> visibleOf(UUID contactId, Instant beforeAt, UUID beforeId, int limit);

    /** How many conversations and messages the contact has (all of them, whoever may see them). */
    Counts countOf(UUID contactId);

    /** Every conversation of one contact becomes the other's. */
    Counts moveAll(UUID from, UUID to);

    /** Deletes the contact's conversations with their messages, media and notes. */
    Counts deleteAll(UUID contactId);

    /** As {@link #deleteAll(UUID)} for many contacts of one workspace at once. */
    Counts deleteAllOf(UUID tenant, List<UUID> contactIds);

    /**
     * The published query for set-based work on many contacts in one SQL statement: a condition true for
     * a contact aliased {@code c} that has at least one conversation (open or not), one index probe each.
     */
    String hasConversationCondition();
}
