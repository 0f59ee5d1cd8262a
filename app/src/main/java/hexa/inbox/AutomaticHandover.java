package hexa.inbox;

import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Automation handing a conversation over to people (a chatbot flow's last step): the conversation goes to the team,
 * with a private note of what the automation collected, written in its name. Joins the caller's transaction and does
 * not fail it: a team deleted meanwhile leaves the conversation where it is (the note still tells the agents).
 */
@Service
public class AutomaticHandover {

    private final ConversationService conversations;
    private final NoteService notes;
    private final InboxSettings settings;

    AutomaticHandover(ConversationService conversations, NoteService notes, InboxSettings settings) {
        this.conversations = conversations;
        this.notes = notes;
        this.settings = settings;
    }

    /** Hands the conversation to the team (null: none) with the note; answers false when the conversation is gone. */
    @Transactional
    public boolean handOver(UUID conversationId, UUID teamId, String note, String byName) {
        if (conversations.find(conversationId).isEmpty()) {
            return false;
        }
        if (teamId != null && settings.teams().stream().anyMatch(t -> t.id().equals(teamId))) {
            conversations.assignTeam(conversationId, teamId);
        }
        notes.addAutomatic(conversationId, note, byName);
        return true;
    }
}
