package hexa.inbox;

/** A line of the conversation list: the conversation, its last message in brief, and how many messages are unread. */
public record ConversationRow(Conversation conversation, String lastType, String lastBody, String lastDirection, String lastStatus,
                             int unreadMessages) {
}
