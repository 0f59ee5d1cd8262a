package hexa.whatsapp;

import hexa.platform.database.Sql;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The channel's stored messages as the inbox and the API read them (a conversation's thread a page at a time,
 * one message, the messages a reply quotes, reactions), and the team's reading of the customer's messages.
 */
@Service
public class MessageHistory {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final LiveUpdates live;
    private final ConversationsOfMessages conversations;

    MessageHistory(JdbcClient jdbc, Clock clock, LiveUpdates live, ConversationsOfMessages conversations) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.live = live;
        this.conversations = conversations;
    }

    /**
     * The connected number a message came in on or went out from: an outbound message names it, an inbound one is
     * on its conversation's number.
     */
    public Optional<UUID> connectionOf(UUID messageId) {
        return jdbc.sql("select connection_id, conversation_id from messages where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", messageId)
                .query((rs, n) -> new UUID[] {Sql.uuid(rs, "connection_id"), Sql.uuid(rs, "conversation_id")}).optional()
                .flatMap(row -> row[0] != null ? Optional.of(row[0])
                        : Optional.ofNullable(row[1]).flatMap(conversations::connectionOf));
    }

    /**
     * What opening a conversation marked as read by the team.
     *
     * @param newlyRead    how many of the customer's messages were unread until now
     * @param latestWamid  the latest of them that has a WhatsApp id (the one a read receipt names), or null
     * @param connectionId the number the conversation runs on
     */
    public record ReadByTeam(int newlyRead, String latestWamid, UUID connectionId) {
    }

    /**
     * The team has seen the conversation: the customer's unread messages become read now. Run again,
     * it finds nothing new; concurrent runs mark each message once.
     */
    @Transactional
    public ReadByTeam markReadByTeam(UUID conversationId) {
        UUID tenant = TenantContext.tenantId();
        UUID connection = conversations.connectionOf(conversationId)
                .orElseThrow(() -> new IllegalArgumentException("No conversation " + conversationId));
        ReadByTeam read = jdbc.sql("""
                with marked as (
                    update messages set read_at = :now
                     where tenant_id = :tenant and conversation_id = :conversation and direction = 'INBOUND' and read_at is null
                    returning wamid, sent_at, created_at, edit_of
                )
                select count(*) as newly_read,
                       -- An edit kept while its original is unknown has the edit's id, which Meta does not read as a message.
                       (select wamid from marked where wamid is not null and edit_of is null order by sent_at desc, created_at desc limit 1) as latest
                  from marked
                """)
                .param("tenant", tenant).param("conversation", conversationId).param("now", Sql.ts(clock.instant()))
                .query((rs, n) -> new ReadByTeam(rs.getInt("newly_read"), rs.getString("latest"), connection)).single();
        // The list's unread marker follows: the conversation is read up to the customer's latest message.
        if (conversations.readUpToLatest(conversationId)) {
            live.conversationChanged(tenant, conversationId);
        }
        return read;
    }

    /** How many of the customer's messages in the conversation nobody of the team has seen yet. */
    public int unreadInbound(UUID conversationId) {
        return jdbc.sql("""
                select count(*) from messages
                 where tenant_id = :tenant and conversation_id = :conversation and direction = 'INBOUND' and read_at is null
                """)
                .param("tenant", TenantContext.tenantId()).param("conversation", conversationId).query(Integer.class).single();
    }

    private static final String VIEW = """
            select id, conversation_id, contact_id, direction, wamid, type, body, content::text as content, reply_to_wamid,
                   case when status = 'QUEUED' and uncertain_since is not null then 'UNCERTAIN' else status end as status,
                   error_code, error_title, error_details, sent_at, status_at, created_at, forwarded, frequently_forwarded,
                   edits::text as edits, edited_at, deleted_at, edit_of, sent_from,
                   case when sent_by_kind = 'RULE' then coalesce(sent_by_name, '') end as sent_by_rule,
                   case when sent_by_kind = 'FLOW' then coalesce(sent_by_name, '') end as sent_by_flow
              from messages
            """;

    /**
     * The message, if the acting member may see its conversation (an Agent sees only the conversations the inbox
     * shows them): what the API, media files and retries give out by id.
     */
    public Optional<MessageView> visible(UUID id) {
        return byId(id).filter(m -> conversations.visible(m.conversationId()));
    }

    /** Whether the customer's message is the first they ever wrote to the workspace (for rules on a contact's first message). */
    public boolean firstInbound(UUID contactId, UUID messageId) {
        return jdbc.sql("""
                select not exists (select 1 from messages o, messages m
                                    where m.tenant_id = :tenant and m.id = :id and o.tenant_id = m.tenant_id and o.contact_id = :contact
                                      and o.direction = 'INBOUND' and (o.sent_at, o.id) < (m.sent_at, m.id))
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("contact", contactId).query(Boolean.class).single();
    }

    /** Those of these customers' messages that are their contact's first, in one read. */
    public java.util.Set<UUID> firstsInbound(java.util.Collection<UUID> messageIds) {
        if (messageIds.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(jdbc.sql("""
                select m.id from messages m
                 where m.tenant_id = :tenant and m.id = any(:ids)
                   and not exists (select 1 from messages o
                                    where o.tenant_id = m.tenant_id and o.contact_id = m.contact_id
                                      and o.direction = 'INBOUND' and (o.sent_at, o.id) < (m.sent_at, m.id))
                """)
                .param("tenant", TenantContext.tenantId()).param("ids", messageIds.toArray(new UUID[0])).query(UUID.class).list());
    }

    /**
     * Whether a person of the business (a member, the API, the WhatsApp Business app) wrote in the conversation of
     * the customer's message since it was received: the message is answered. Automatic messages (rules, flows, the
     * system) do not count.
     */
    public boolean answeredByAPerson(UUID messageId) {
        return jdbc.sql("""
                select exists (select 1 from messages m, messages o
                                where m.tenant_id = :tenant and m.id = :id and o.tenant_id = m.tenant_id
                                  and o.conversation_id = m.conversation_id and o.direction = 'OUTBOUND' and o.created_at >= m.created_at
                                  and (o.sent_by_kind in ('USER', 'API_TOKEN') or o.sent_from = 'BUSINESS_APP'))
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).query(Boolean.class).single();
    }

    public Optional<MessageView> byId(UUID id) {
        return jdbc.sql(VIEW + " where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(MessageHistory::view).optional();
    }

    public Optional<MessageView> byWamid(String wamid) {
        return jdbc.sql(VIEW + " where tenant_id = :tenant and wamid = :wamid")
                .param("tenant", TenantContext.tenantId()).param("wamid", wamid).query(MessageHistory::view).optional();
    }

    /** A conversation's messages, oldest first, a page at a time after the given message. */
    public List<MessageView> inConversation(UUID conversationId, UUID after, int limit) {
        return jdbc.sql(VIEW + """
                 where tenant_id = :tenant and conversation_id = :conversation
                   and (cast(:after as uuid) is null or (sent_at, id) > (select sent_at, id from messages where tenant_id = :tenant and id = :after))
                 order by sent_at, id
                 limit :limit
                """)
                .param("tenant", TenantContext.tenantId()).param("conversation", conversationId).param("after", after).param("limit", limit)
                .query(MessageHistory::view).list();
    }

    /** The latest messages of a conversation before the given one (all the latest without it), oldest first. */
    public List<MessageView> latestInConversation(UUID conversationId, UUID before, int limit) {
        List<MessageView> newestFirst = jdbc.sql(VIEW + """
                 where tenant_id = :tenant and conversation_id = :conversation
                   and (cast(:before as uuid) is null or (sent_at, id) < (select sent_at, id from messages where tenant_id = :tenant and id = :before))
                 order by sent_at desc, id desc
                 limit :limit
                """)
                .param("tenant", TenantContext.tenantId()).param("conversation", conversationId).param("before", before).param("limit", limit)
                .query(MessageHistory::view).list();
        List<MessageView> oldestFirst = new java.util.ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /**
     * The message {@code count} places after the given one in its conversation (to end a page there),
     * or null when fewer follow. A message of another conversation is not found.
     */
    public UUID someAfter(UUID conversationId, UUID messageId, int count) {
        UUID tenant = TenantContext.tenantId();
        boolean exists = jdbc.sql("select exists (select 1 from messages where tenant_id = :tenant and id = :id and conversation_id = :conversation)")
                .param("tenant", tenant).param("id", messageId).param("conversation", conversationId).query(Boolean.class).single();
        if (!exists) {
            throw new hexa.platform.web.NotFoundException();
        }
        return jdbc.sql("""
                select id from messages
                 where tenant_id = :tenant and conversation_id = :conversation
                   and (sent_at, id) > (select sent_at, id from messages where tenant_id = :tenant and id = :id)
                 order by sent_at, id
                 offset :count limit 1
                """)
                .param("tenant", tenant).param("conversation", conversationId).param("id", messageId).param("count", count)
                .query(UUID.class).optional().orElse(null);
    }

    /** Reactions on these messages: WhatsApp id → emoji, in the order they were given. */
    public java.util.Map<String, List<String>> reactionsTo(java.util.Collection<String> wamids) {
        java.util.Map<String, List<String>> reactions = new java.util.HashMap<>();
        if (wamids.isEmpty()) {
            return reactions;
        }
        jdbc.sql("select target_wamid, emoji from message_reactions where tenant_id = :tenant and target_wamid = any(:wamids) order by reacted_at")
                .param("tenant", TenantContext.tenantId()).param("wamids", wamids.toArray(new String[0]))
                .query((rs, n) -> Map.entry(rs.getString("target_wamid"), rs.getString("emoji"))).list()
                .forEach(e -> reactions.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
        return reactions;
    }

    /** The message as the API shows it, with the reactions on it. */
    public MessageJson json(MessageView message) {
        return json(List.of(message)).get(0);
    }

    /** Messages as the API shows them, in the order given, with the reactions on each (two statements whatever their number). */
    public List<MessageJson> json(List<MessageView> messages) {
        Map<String, List<MessageJson.Reaction>> reactions = reactionsOn(messages);
        return messages.stream().map(m -> MessageJson.of(m, m.wamid() == null ? List.of() : reactions.getOrDefault(m.wamid(), List.of()))).toList();
    }

    /**
     * Who reacted how to these messages: the customer's reactions as Meta reported them, and the team's (sent as
     * messages of type reaction in the same conversation, the latest of each target counting; an empty emoji took it
     * back). WhatsApp id → reactions, oldest first.
     */
    private Map<String, List<MessageJson.Reaction>> reactionsOn(List<MessageView> messages) {
        Map<String, List<MessageJson.Reaction>> reactions = new java.util.HashMap<>();
        String[] wamids = messages.stream().map(MessageView::wamid).filter(java.util.Objects::nonNull).distinct().toArray(String[]::new);
        if (wamids.length == 0) {
            return reactions;
        }
        UUID tenant = TenantContext.tenantId();
        List<java.util.Map.Entry<String, MessageJson.Reaction>> all = new java.util.ArrayList<>();
        jdbc.sql("""
                select target_wamid, reactor, emoji, reacted_at from message_reactions
                 where tenant_id = :tenant and target_wamid = any(:wamids)
                """)
                .param("tenant", tenant).param("wamids", wamids)
                .query((rs, n) -> {
                    String reactor = rs.getString("reactor");
                    UUID contact = reactor.startsWith("contact:") ? parse(reactor.substring("contact:".length())) : null;
                    return Map.entry(rs.getString("target_wamid"), new MessageJson.Reaction(rs.getString("emoji"), "contact", contact, null,
                            Sql.instant(rs, "reacted_at")));
                }).list().forEach(all::add);
        UUID[] conversations = messages.stream().map(MessageView::conversationId).filter(java.util.Objects::nonNull).distinct().toArray(UUID[]::new);
        jdbc.sql("""
                select distinct on (content -> 'reaction' ->> 'message_id')
                       content -> 'reaction' ->> 'message_id' as target, content -> 'reaction' ->> 'emoji' as emoji,
                       sent_by_kind, sent_by, sent_at
                  from messages
                 where tenant_id = :tenant and conversation_id = any(:conversations) and direction = 'OUTBOUND' and type = 'reaction'
                   and status <> 'FAILED' and content -> 'reaction' ->> 'message_id' = any(:wamids)
                 order by content -> 'reaction' ->> 'message_id', sent_at desc, created_at desc
                """)
                .param("tenant", tenant).param("conversations", conversations).param("wamids", wamids)
                .query((rs, n) -> {
                    String kind = rs.getString("sent_by_kind");
                    String by = "USER".equals(kind) ? "member" : "API_TOKEN".equals(kind) ? "api" : "system";
                    return Map.entry(rs.getString("target"), new MessageJson.Reaction(rs.getString("emoji"), by, null, Sql.uuid(rs, "sent_by"),
                            Sql.instant(rs, "sent_at")));
                }).list().stream()
                .filter(e -> e.getValue().emoji() != null && !e.getValue().emoji().isEmpty())
                .forEach(all::add);
        all.sort(java.util.Comparator.comparing(e -> e.getValue().at()));
        all.forEach(e -> reactions.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
        return reactions;
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Messages by WhatsApp id, for quoting what a reply answers. */
    public java.util.Map<String, MessageView> byWamids(java.util.Collection<String> wamids) {
        java.util.Map<String, MessageView> found = new java.util.HashMap<>();
        if (wamids.isEmpty()) {
            return found;
        }
        jdbc.sql(VIEW + " where tenant_id = :tenant and wamid = any(:wamids)")
                .param("tenant", TenantContext.tenantId()).param("wamids", wamids.toArray(new String[0]))
                .query(MessageHistory::view).list().stream()
                // A quote shows what the member may see: a message of a conversation hidden from them is not quoted.
                .filter(m -> conversations.visible(m.conversationId()))
                .forEach(m -> found.put(m.wamid(), m));
        return found;
    }

    /** Whether the conversation exists and the acting member may see it . */
    public boolean conversationExists(UUID conversationId) {
        return conversations.visible(conversationId);
    }

    private static MessageView view(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Integer code = rs.getObject("error_code", Integer.class);
        return new MessageView(Sql.uuid(rs, "id"), Sql.uuid(rs, "conversation_id"), Sql.uuid(rs, "contact_id"), MessageDirection.valueOf(rs.getString("direction")),
                rs.getString("wamid"), MessageType.of(rs.getString("type")), rs.getString("body"), rs.getString("content"), rs.getString("reply_to_wamid"),
                MessageStatus.valueOf(rs.getString("status")), code, rs.getString("error_title"), rs.getString("error_details"),
                Sql.instant(rs, "sent_at"), Sql.instant(rs, "status_at"), Sql.instant(rs, "created_at"),
                rs.getBoolean("forwarded"), rs.getBoolean("frequently_forwarded"), change(rs));
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private static MessageView.Change change(java.sql.ResultSet rs) throws java.sql.SQLException {
        String edits = rs.getString("edits");
        Instant editedAt = Sql.instant(rs, "edited_at");
        Instant deletedAt = Sql.instant(rs, "deleted_at");
        String editOf = rs.getString("edit_of");
        boolean fromApp = "BUSINESS_APP".equals(rs.getString("sent_from"));
        String byRule = rs.getString("sent_by_rule");
        String byFlow = rs.getString("sent_by_flow");
        if (edits == null && editedAt == null && deletedAt == null && editOf == null && !fromApp && byRule == null && byFlow == null) {
            return MessageView.Change.NONE;
        }
        List<MessageView.Version> versions = new java.util.ArrayList<>();
        if (edits != null) {
            for (tools.jackson.databind.JsonNode version : JSON.readTree(edits)) {
                Instant at;
                try {
                    at = java.time.OffsetDateTime.parse(JsonFields.text(version, "at")).toInstant();
                } catch (java.time.format.DateTimeParseException e) {
                    at = null;
                }
                versions.add(new MessageView.Version(JsonFields.text(version, "text"), at));
            }
            versions.sort(java.util.Comparator.comparing(MessageView.Version::at, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        }
        return new MessageView.Change(editedAt, List.copyOf(versions), deletedAt, editOf, fromApp, byRule, byFlow);
    }
}
