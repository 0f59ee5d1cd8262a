package hexa.inbox;

import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.LOGS;
import static hexa.platform.privacy.PersonalTable.Expiry.MESSAGES;
import static hexa.platform.privacy.PersonalTable.Expiry.WITH_OWNER;
import static hexa.platform.privacy.PersonalTable.customer;
import static hexa.platform.privacy.PersonalTable.member;
import static hexa.platform.privacy.PersonalTable.none;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** What the inbox holds about customers: their conversations, the notes and tags on them, and notifications about them. */
@Component
class InboxPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                customer("conversations", List.of("contact_id", "assignee_id", "status"), "conversations.json", DELETE, MESSAGES,
                        "Conversations with the customer; one whose messages have all expired goes with them."),
                customer("conversation_notes", List.of("conversation_id", "body"), "conversations.json, private notes", DELETE, WITH_OWNER,
                        "Members' private notes in a conversation."),
                customer("conversation_tags", List.of("conversation_id", "tag"), "conversations.json, tags", DELETE, WITH_OWNER, "Tags on conversations."),
                customer("inbox_notifications", List.of("conversation_id", "note_id"), "left out: members' notifications", DELETE, LOGS,
                        "Notifications to members about a conversation (assigned, mentioned)."),
                member("member_availability", List.of("user_id", "available"), KEPT, "Whether a member takes new conversations."),
                member("team_members", List.of("user_id"), KEPT, "Which members are in which team."),
                none("teams", KEPT, "The workspace's teams."),
                none("canned_responses", KEPT, "The business's saved replies."),
                none("assignment_rules", KEPT, "How each number assigns new conversations."),
                none("inbox_settings", KEPT, "The inbox's settings."));
    }
}
