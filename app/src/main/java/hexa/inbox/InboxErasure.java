package hexa.inbox;

import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The inbox's part of erasing a person: their conversations with the notes, tags and notifications in them, deleted
 * the way deleting the contact deletes them (which also takes any message the channel's part left).
 */
@Component
class InboxErasure implements PersonErasure {

    private final JdbcClient jdbc;
    private final ContactConversations conversations;

    InboxErasure(JdbcClient jdbc, ContactConversations conversations) {
        this.jdbc = jdbc;
        this.conversations = conversations;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        Map<String, Long> removed = new LinkedHashMap<>();
        for (String table : List.of("conversation_notes", "conversation_tags", "inbox_notifications")) {
            removed.put(table, jdbc.sql("select count(*) from " + table + " x join conversations c on c.tenant_id = x.tenant_id and c.id = x.conversation_id"
                            + " where c.tenant_id = :tenant and c.contact_id = :contact")
                    .param("tenant", person.tenantId()).param("contact", person.contactId()).query(Long.class).single());
        }
        removed.put("conversations", (long) conversations.deleteAllOf(person.tenantId(), List.of(person.contactId())).conversations());
        return removed;
    }
}
