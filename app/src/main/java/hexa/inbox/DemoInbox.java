package hexa.inbox;

import hexa.contacts.ContactService;
import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.platform.DemoConversationsSeeded;
import hexa.platform.access.Role;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code ./hexa run --demo}: the demo members handle some of the demo customers' conversations (assigned to the Agent
 * or the Owner, with an internal note), and one is resolved, through the inbox's own services.
 */
@Component
class DemoInbox {

    private final ConversationService conversations;
    private final NoteService notes;
    private final MemberService members;
    private final ContactService contacts;
    private final JdbcClient jdbc;

    DemoInbox(ConversationService conversations, NoteService notes, MemberService members, ContactService contacts, JdbcClient jdbc) {
        this.conversations = conversations;
        this.notes = notes;
        this.members = members;
        this.contacts = contacts;
        this.jdbc = jdbc;
    }

    @Order(20)
    @EventListener
    void seeded(DemoConversationsSeeded demo) {
        for (DemoConversationsSeeded.Customer customer : demo.customers()) {
            Optional<UUID> conversation = contacts.byWaId(customer.waId()).flatMap(contact -> jdbc.sql("""
                    select id from conversations where tenant_id = :t and contact_id = :c order by last_message_at desc limit 1
                    """).param("t", demo.workspaceId()).param("c", contact.id()).query(UUID.class).optional());
            if (conversation.isEmpty()) {
                continue;
            }
            UUID id = conversation.get();
            if (customer.assignTo() != null) {
                Role role = Role.valueOf(customer.assignTo());
                members.members().stream().filter(m -> m.active() && m.role() == role).map(Member::userId).findFirst()
                        .ifPresent(member -> conversations.assign(id, member));
            }
            if (customer.conversationNote() != null) {
                notes.add(id, customer.conversationNote());
            }
            if (customer.resolved()) {
                conversations.resolve(id);
            }
        }
    }
}
