package hexa.inbox;

import hexa.contacts.ConversationsOfContacts;
import hexa.platform.database.Sql;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.MessagesOfConversations;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A contact's conversations, as the contacts feature needs them: listed on the contact's timeline,
 * counted before the contact is deleted, moved to another contact when two are merged, and deleted
 * with the contact.
 */
@Service
class ContactConversations implements ConversationsOfContacts {

    private final JdbcClient jdbc;
    private final MessagesOfConversations messages;
    private final LiveUpdates live;
    private final Clock clock;

    ContactConversations(JdbcClient jdbc, MessagesOfConversations messages, LiveUpdates live, Clock clock) {
        this.jdbc = jdbc;
        this.messages = messages;
        this.live = live;
        this.clock = clock;
    }

    /**
     * The contact's conversations that the acting member may see, newest opened first, strictly before
     * ({@code beforeAt}, {@code beforeId}) when given.
     */
    @Override
    public List<Summary> visibleOf(UUID contactId, Instant beforeAt, UUID beforeId, int limit) {
        Actor actor = TenantContext.actor();
        return jdbc.sql("""
                select c.id, c.status, c.opened_at, c.last_message_at,
                       (select count(*) from published_messages m where m.tenant_id = c.tenant_id and m.conversation_id = c.id) as messages
                  from conversations c
                 where c.tenant_id = :tenant and c.contact_id = :contact
                   and (cast(:beforeAt as timestamptz) is null or (c.opened_at, c.id) < (cast(:beforeAt as timestamptz), cast(:beforeId as uuid)))
                   and """ + Conversations.VISIBLE + """
                 order by c.opened_at desc, c.id desc
                 limit :limit
                """)
                .param("tenant", actor.tenantId()).param("contact", contactId)
                .param("beforeAt", beforeAt == null ? null : Sql.ts(beforeAt)).param("beforeId", beforeId)
                .param("seeAll", Conversations.seesAll(actor)).param("me", actor.userId()).param("limit", limit)
                .query((rs, n) -> new Summary(Sql.uuid(rs, "id"), rs.getString("status").toLowerCase(java.util.Locale.ROOT),
                        Sql.instant(rs, "opened_at"), Sql.instant(rs, "last_message_at"), rs.getInt("messages")))
                .list();
    }

    /** All of the contact's conversations and messages, whoever may see them (deleting the contact deletes them all). */
    @Override
    public Counts countOf(UUID contactId) {
        return jdbc.sql("""
                select (select count(*) from conversations where tenant_id = :tenant and contact_id = :contact) as conversations,
                       (select count(*) from published_messages where tenant_id = :tenant and contact_id = :contact) as messages
                """)
                .param("tenant", TenantContext.tenantId()).param("contact", contactId)
                .query((rs, n) -> new Counts(rs.getInt("conversations"), rs.getInt("messages"))).single();
    }

    /**
     * Gives every conversation and message of {@code from} to {@code to} (two contacts merged). A contact
     * has one live conversation per number at most: where both have one on the same number, the one
     * moving over is resolved first and stays in the history as it was.
     */
    @Transactional
    @Override
    public Counts moveAll(UUID from, UUID to) {
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        jdbc.sql("""
                update conversations c set status = 'RESOLVED', resolved_at = :now, snoozed_until = null
                 where c.tenant_id = :tenant and c.contact_id = :from and c.status <> 'RESOLVED'
                   and exists (select 1 from conversations k where k.tenant_id = :tenant and k.contact_id = :to
                                  and k.connection_id = c.connection_id and k.status <> 'RESOLVED')
                """)
                .param("tenant", tenant).param("from", from).param("to", to).param("now", Sql.ts(now)).update();
        List<UUID> moved = jdbc.sql("update conversations set contact_id = :to where tenant_id = :tenant and contact_id = :from returning id")
                .param("tenant", tenant).param("from", from).param("to", to).query(UUID.class).list();
        int movedMessages = messages.moveToContact(tenant, from, to);
        moved.forEach(id -> live.publish(tenant, "conversation", id));
        return new Counts(moved.size(), movedMessages);
    }

    /**
     * Deletes every conversation of the contact with its messages, their files, reactions, statuses,
     * read receipts, notes, tags and notifications, in the caller's transaction.
     */
    @Transactional
    @Override
    public Counts deleteAll(UUID contactId) {
        return deleteAllOf(TenantContext.tenantId(), List.of(contactId));
    }

    /** The same for several contacts of the workspace at once (a bulk delete's chunk), set-based. */
    @Transactional
    @Override
    public Counts deleteAllOf(UUID tenant, List<UUID> contactIds) {
        UUID[] contacts = contactIds.toArray(new UUID[0]);
        List<UUID> conversations = jdbc.sql("select id from conversations where tenant_id = :tenant and contact_id = any(:contacts) for update")
                .param("tenant", tenant).param("contacts", contacts).query(UUID.class).list();
        int deleted = messages.deleteOf(tenant, conversations, contactIds);
        jdbc.sql("delete from conversations where tenant_id = :tenant and id = any(:ids)")
                .param("tenant", tenant).param("ids", conversations.toArray(new UUID[0])).update();
        conversations.forEach(id -> live.publish(tenant, "conversation", id));
        return new Counts(conversations.size(), deleted);
    }

    @Override
    public String hasConversationCondition() {
        return "exists (select 1 from conversations v where v.tenant_id = c.tenant_id and v.contact_id = c.id)";
    }
}
