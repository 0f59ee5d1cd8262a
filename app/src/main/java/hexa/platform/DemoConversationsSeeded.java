package hexa.platform;

import java.util.List;
import java.util.UUID;

/**
 * Published by {@code ./hexa run --demo} once the demo customers' messages have come in through the sandbox and the
 * normal intake: each capability finishes its part of the sample (the contacts' tags and notes, who handles which
 * conversation, which one is resolved) through its own services.
 *
 * @param customers the demo customers, by WhatsApp id, with what the sample shows of each
 */
public record DemoConversationsSeeded(UUID workspaceId, UUID ownerId, List<Customer> customers) {

    /**
     * @param tags             the contact's tags
     * @param contactNote      a note on the contact (null: none)
     * @param assignTo         the role of the demo member the conversation is given to ("OWNER", "AGENT"; null: nobody)
     * @param conversationNote an internal note in the conversation (null: none)
     * @param resolved         whether the conversation is resolved
     */
    public record Customer(String waId, List<String> tags, String contactNote, String assignTo, String conversationNote,
                           boolean resolved) {
    }
}
