package hexa.whatsapp;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where the channel's messages belong: the conversations, which the inbox owns and provides. The
 * channel writes every message into the live conversation of its contact on its number, and tells the
 * conversation what happened; this port keeps the dependency pointing one way (inbox to channel).
 */
public interface ConversationsOfMessages {

    /** A contact's conversation on one number. */
    record ContactOnNumber(UUID contactId, UUID connectionId) {
    }

    /** A conversation needed from a moment on: if none is live, one opens then. */
    record Opening(ContactOnNumber conversation, Instant at) {
    }

    /** What a batch of a customer's stored messages did to one conversation. */
    record Arrival(UUID conversationId, Instant latestSentAt, boolean quiet) {
    }

    /**
     * The live (not resolved) conversation of each contact on each number, opening (or reopening) the
     * missing ones at the first moment asked for; racing openers end up with the same one. Conversations
     * opened for a quiet (blocked) contact are not handed out.
     */
    Map<ContactOnNumber, UUID> live(List<Opening> wanted, Set<UUID> quietContacts);

    /**
     * Customers' messages were stored: each conversation's last activity follows, a pending or snoozed one
     * is open again, and one whose messages all came in quiet stays read if it was. Members watching hear
     * of the conversations that are not quiet.
     */
    void inboundStored(Collection<Arrival> arrivals, Instant now);

    /** A message was queued to send in the conversation at {@code at}. */
    void outboundQueued(UUID conversationId, Instant at);

    /** The team read the conversation up to the customer's latest message; false when it already had. */
    boolean readUpToLatest(UUID conversationId);

    /** The number a conversation is on. */
    Optional<UUID> connectionOf(UUID conversationId);

    /** Every conversation, live or resolved, of a contact on one number. */
    List<UUID> allOf(ContactOnNumber conversation);

    /**
     * Whether the conversation exists and the acting member may see it; for {@code null} (a message kept outside any
     * conversation, such as a blocked contact's), whether the member sees every conversation.
     */
    boolean visible(UUID conversationId);
}
