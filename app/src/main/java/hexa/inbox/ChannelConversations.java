package hexa.inbox;

import hexa.platform.Ids;
import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.ConversationsOfMessages;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The conversations the channel's messages go into: found, opened or reopened for a batch of messages
 * at once, and kept up to date with what the messages did (last activity, the unread marker, a pending or
 * snoozed conversation opened again by the customer).
 */
@Service
class ChannelConversations implements ConversationsOfMessages {

    private final JdbcClient jdbc;
    private final Conversations conversations;
    private final Assignment assignment;
    private final LiveUpdates live;

    private final ApplicationEventPublisher events;
    private final Clock clock;

    ChannelConversations(JdbcClient jdbc, Conversations conversations, Assignment assignment, LiveUpdates live,
                         ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.conversations = conversations;
        this.assignment = assignment;
        this.live = live;
    }

    @Override
    public Map<ContactOnNumber, UUID> live(List<Opening> wanted, Set<UUID> quietContacts) {
        UUID tenant = TenantContext.tenantId();
        Map<ContactOnNumber, Instant> opening = new LinkedHashMap<>();
        wanted.forEach(w -> opening.putIfAbsent(w.conversation(), w.at()));
        Map<ContactOnNumber, UUID> live = findLive(tenant, opening.keySet());
        if (live.size() < opening.size() && reopensResolved(tenant)) {
            // The customer (or the business) writes again after the conversation was resolved: the latest
            // one comes back, with its assignee and team.
            JsonRows keys = new JsonRows();
            opening.keySet().stream().filter(c -> !live.containsKey(c))
                    .forEach(c -> keys.add().put("contact", c.contactId()).put("connection", c.connectionId()));
            List<UUID> reopened = jdbc.sql("""
                    update conversations set status = 'OPEN', resolved_at = null, snoozed_until = null
                     where tenant_id = :tenant and id in (
                           select distinct on (c.contact_id, c.connection_id) c.id
                             from conversations c
                             join json_to_recordset(cast(:keys as json)) as r(contact uuid, connection uuid)
                               on c.contact_id = r.contact and c.connection_id = r.connection
                            where c.tenant_id = :tenant and c.status = 'RESOLVED'
                            order by c.contact_id, c.connection_id, c.last_message_at desc)
                       and not exists (select 1 from conversations l where l.tenant_id = conversations.tenant_id
                                          and l.contact_id = conversations.contact_id and l.connection_id = conversations.connection_id
                                          and l.status <> 'RESOLVED')
                    returning id
                    """)
                    .param("tenant", tenant).param("keys", keys.json()).query(UUID.class).list();
            if (!reopened.isEmpty()) {
                live.putAll(findLive(tenant, opening.keySet()));
                Instant now = clock.instant();
                reopened.forEach(id -> events.publishEvent(new ConversationReopened(tenant, id, now)));
            }
        }
        if (live.size() < opening.size()) {
            Map<UUID, UUID> opened = new LinkedHashMap<>();
            JsonRows rows = new JsonRows();
            opening.forEach((conversation, at) -> {
                if (!live.containsKey(conversation)) {
                    rows.add().put("id", Ids.newId()).put("contact", conversation.contactId()).put("connection", conversation.connectionId())
                            .put("at", at);
                }
            });
            jdbc.sql("""
                    insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at)
                    select :tenant, r.id, r.contact, r.connection, 'OPEN', r.at, r.at
                      from json_to_recordset(cast(:rows as json)) as r(id uuid, contact uuid, connection uuid, at timestamptz)
                    on conflict (tenant_id, contact_id, connection_id) where status <> 'RESOLVED' do nothing
                    returning id, connection_id, contact_id, opened_at
                    """)
                    .param("tenant", tenant).param("rows", rows.json())
                    .query((rs, n) -> new ConversationOpened(tenant, Sql.uuid(rs, "id"), Sql.uuid(rs, "contact_id"),
                            Sql.uuid(rs, "connection_id"), Sql.instant(rs, "opened_at"))).list()
                    .forEach(created -> {
                        if (!quietContacts.contains(created.contactId())) {
                            opened.put(created.conversationId(), created.connectionId());
                        }
                        events.publishEvent(created);
                    });
            assignment.assignNew(opened);
            live.putAll(findLive(tenant, opening.keySet()));
            if (live.size() < opening.size()) {
                throw new IllegalStateException("A conversation could not be opened");
            }
        }
        return live;
    }

    @Override
    public void inboundStored(Collection<Arrival> arrivals, Instant now) {
        UUID tenant = TenantContext.tenantId();
        JsonRows rows = new JsonRows();
        arrivals.forEach(a -> rows.add().put("conversation", a.conversationId()).put("at", a.latestSentAt()).put("quiet", a.quiet()));
        jdbc.sql("""
                update conversations c
                   set last_message_at = greatest(c.last_message_at, latest.at),
                       last_inbound_at = greatest(coalesce(c.last_inbound_at, latest.at), latest.at),
                       last_inbound_received_at = :now,
                       last_read_inbound_at = case
                           when latest.quiet and coalesce(c.last_read_inbound_at, '-infinity'::timestamptz) >= coalesce(c.last_inbound_at, '-infinity'::timestamptz)
                           then greatest(coalesce(c.last_inbound_at, latest.at), latest.at)
                           else c.last_read_inbound_at end,
                       -- The customer wrote: a pending or snoozed conversation is open again.
                       status = case when c.status in ('PENDING', 'SNOOZED') then 'OPEN' else c.status end,
                       snoozed_until = case when c.status in ('PENDING', 'SNOOZED') then null else c.snoozed_until end
                  from json_to_recordset(cast(:rows as json)) as latest(conversation uuid, at timestamptz, quiet boolean)
                 where c.tenant_id = :tenant and c.id = latest.conversation and c.id = any(:ids)
                returning c.id, latest.quiet
                """)
                // = any(:ids): found by key, not by reading every conversation of the workspace (docs/performance.md).
                .param("tenant", tenant).param("rows", rows.json()).param("now", Sql.ts(now))
                .param("ids", arrivals.stream().map(Arrival::conversationId).toArray(UUID[]::new))
                .query((rs, n) -> rs.getBoolean("quiet") ? null : Sql.uuid(rs, "id")).list()
                .forEach(conversation -> {
                    if (conversation != null) {
                        live.publish(tenant, "conversation", conversation);
                    }
                });
    }

    @Override
    public void outboundQueued(UUID conversationId, Instant at) {
        jdbc.sql("""
                update conversations set last_message_at = greatest(last_message_at, :now), last_outbound_at = greatest(last_outbound_at, :now)
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", TenantContext.tenantId()).param("id", conversationId).param("now", Sql.ts(at)).update();
    }

    @Override
    public boolean readUpToLatest(UUID conversationId) {
        return jdbc.sql("""
                update conversations set last_read_inbound_at = last_inbound_at
                 where tenant_id = :tenant and id = :id and last_inbound_at > coalesce(last_read_inbound_at, '-infinity'::timestamptz)
                """)
                .param("tenant", TenantContext.tenantId()).param("id", conversationId).update() > 0;
    }

    @Override
    public Optional<UUID> connectionOf(UUID conversationId) {
        return jdbc.sql("select connection_id from conversations where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", conversationId).query(UUID.class).optional();
    }

    @Override
    public List<UUID> allOf(ContactOnNumber conversation) {
        return jdbc.sql("select id from conversations where tenant_id = :tenant and contact_id = :contact and connection_id = :connection")
                .param("tenant", TenantContext.tenantId()).param("contact", conversation.contactId())
                .param("connection", conversation.connectionId()).query(UUID.class).list();
    }

    @Override
    public boolean visible(UUID conversationId) {
        if (conversationId == null) {
            return Conversations.seesAll(TenantContext.actor());
        }
        return conversations.visible(conversationId).isPresent();
    }

    /** The workspace's choice for a message after a conversation was resolved (reopen unless it says "new"). */
    private boolean reopensResolved(UUID tenant) {
        return jdbc.sql("select after_resolved from inbox_settings where tenant_id = :tenant")
                .param("tenant", tenant).query(String.class).optional().map(v -> !"NEW".equals(v)).orElse(true);
    }

    private Map<ContactOnNumber, UUID> findLive(UUID tenant, Collection<ContactOnNumber> wanted) {
        JsonRows keys = new JsonRows();
        wanted.forEach(c -> keys.add().put("contact", c.contactId()).put("connection", c.connectionId()));
        Map<ContactOnNumber, UUID> live = new HashMap<>();
        jdbc.sql("""
                select c.contact_id, c.connection_id, c.id
                  from conversations c
                  join json_to_recordset(cast(:keys as json)) as r(contact uuid, connection uuid)
                    on c.contact_id = r.contact and c.connection_id = r.connection
                 where c.tenant_id = :tenant and c.status <> 'RESOLVED'
                """)
                .param("tenant", tenant).param("keys", keys.json())
                .query((rs, n) -> live.put(new ContactOnNumber(Sql.uuid(rs, "contact_id"), Sql.uuid(rs, "connection_id")), Sql.uuid(rs, "id")))
                .list();
        return live;
    }
}
