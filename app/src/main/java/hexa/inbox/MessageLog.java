package hexa.inbox;

import hexa.platform.Ids;
import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what happens on the channel into conversations: messages (each once, whatever Meta's
 * retries), statuses (only ever forward), and reactions.
 */
@Service
public class MessageLog {

    private final JdbcClient jdbc;
    private final Clock clock;

    MessageLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Stores a customer's message in their live conversation (opening one if needed); false if it was already stored. */
    @Transactional
    public boolean recordInbound(InboundMessage message) {
        return recordInbound(List.of(message)) == 1;
    }

    /**
     * Stores customers' messages, each in its contact's live conversation on its number (opening one
     * where needed), in a few statements whatever their number: a webhook's worth at a time. A message
     * already stored (same WhatsApp id) is skipped. Answers how many were new.
     */
    @Transactional
    public int recordInbound(List<InboundMessage> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        UUID tenant = TenantContext.tenantId();
        Map<Conversation, UUID> conversations = liveConversations(tenant,
                batch.stream().map(m -> new Opening(new Conversation(m.contactId(), m.connectionId()), m.sentAt())).toList());
        JsonRows rows = new JsonRows();
        for (InboundMessage m : batch) {
            rows.add().put("n", rows.size()).put("id", Ids.newId()).put("conversation", conversations.get(new Conversation(m.contactId(), m.connectionId())))
                    .put("contact", m.contactId()).put("wamid", m.wamid()).put("type", m.type()).put("body", m.body())
                    .put("content", m.content()).put("reply_to", m.replyToWamid()).put("forwarded", m.forwarded())
                    .put("frequently", m.frequentlyForwarded()).put("sent_at", m.sentAt());
        }
        // One statement: the new messages in the order given (the first of two with one WhatsApp id wins), then
        // their conversations' last activity; duplicates change nothing.
        return jdbc.sql("""
                with stored as (
                    insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content,
                                          reply_to_wamid, forwarded, frequently_forwarded, status, sent_at, created_at)
                    select :tenant, r.id, r.conversation, r.contact, 'INBOUND', r.wamid, r.type, r.body, cast(r.content as jsonb),
                           r.reply_to, r.forwarded, r.frequently, 'RECEIVED', r.sent_at, :now
                      from json_to_recordset(cast(:rows as json))
                           as r(n int, id uuid, conversation uuid, contact uuid, wamid text, type text, body text, content text,
                                reply_to text, forwarded boolean, frequently boolean, sent_at timestamptz)
                     order by r.n
                    on conflict (tenant_id, wamid) where wamid is not null do nothing
                    returning conversation_id, sent_at
                ), latest as (
                    select conversation_id, max(sent_at) as at, count(*) as stored from stored group by conversation_id
                ), touched as (
                    update conversations c
                       set last_message_at = greatest(c.last_message_at, latest.at),
                           last_inbound_at = greatest(coalesce(c.last_inbound_at, latest.at), latest.at)
                      from latest
                     where c.tenant_id = :tenant and c.id = latest.conversation_id
                )
                select coalesce(sum(stored), 0) from latest
                """)
                .param("tenant", tenant).param("rows", rows.json()).param("now", Sql.ts(clock.instant()))
                .query(Integer.class).single();
    }

    /**
     * Records a status once per message and status, then moves the message forward if this status is
     * further along than the one it has; late, duplicate or out-of-order statuses never move it back.
     */
    @Transactional
    public void applyStatus(StatusUpdate update) {
        UUID tenant = TenantContext.tenantId();
        if (update.ourMessageId() != null) {
            // A status for a message whose send we could not record (a crash while Meta was answering):
            // it was sent after all, so it gets its WhatsApp id and is never sent again.
            jdbc.sql("""
                    update messages set wamid = :wamid, status = 'SENT', status_at = :at, next_attempt_at = null, send_started_at = null
                     where tenant_id = :tenant and id = :id and direction = 'OUTBOUND' and wamid is null and status = 'QUEUED'
                       and not exists (select 1 from messages other where other.tenant_id = :tenant and other.wamid = :wamid)
                    """)
                    .param("tenant", tenant).param("id", update.ourMessageId()).param("wamid", update.wamid())
                    .param("at", Sql.ts(update.occurredAt())).update();
        }
        jdbc.sql("""
                insert into message_status_events (tenant_id, wamid, status, occurred_at, recipient_id, errors, pricing, received_at)
                values (:tenant, :wamid, :status, :at, :recipient, cast(:errors as jsonb), cast(:pricing as jsonb), :now)
                on conflict (tenant_id, wamid, status) do nothing
                """)
                .param("tenant", tenant).param("wamid", update.wamid()).param("status", update.status().name())
                .param("at", Sql.ts(update.occurredAt())).param("recipient", update.recipientId())
                .param("errors", update.errorsJson()).param("pricing", update.pricingJson()).param("now", Sql.ts(clock.instant()))
                .update();
        moveForward(update);
    }

    private void moveForward(StatusUpdate update) {
        UUID tenant = TenantContext.tenantId();
        jdbc.sql("""
                update messages
                   set status = :status, status_at = :at,
                       error_code = coalesce(:code, error_code), error_title = coalesce(:title, error_title),
                       error_details = coalesce(:details, error_details)
                 where tenant_id = :tenant and wamid = :wamid and direction = 'OUTBOUND'
                   and status not in ('FAILED', 'QUEUED')
                   and (:status = 'FAILED' and status not in ('READ', 'PLAYED')
                        or :rank > case status when 'SENT' then 1 when 'DELIVERED' then 2 when 'READ' then 3 when 'PLAYED' then 4 else 0 end)
                """)
                .param("tenant", tenant).param("wamid", update.wamid()).param("status", update.status().name())
                .param("rank", update.status().rank()).param("at", Sql.ts(update.occurredAt()))
                .param("code", update.errorCode()).param("title", update.errorTitle()).param("details", update.errorDetails())
                .update();
    }

    /** A reaction sits on the message it reacts to; an empty emoji removes the reactor's reaction. */
    @Transactional
    public void react(String targetWamid, String reactor, String emoji, String wamid, Instant at) {
        UUID tenant = TenantContext.tenantId();
        if (emoji == null || emoji.isEmpty()) {
            jdbc.sql("delete from message_reactions where tenant_id = :tenant and target_wamid = :target and reactor = :reactor and reacted_at <= :at")
                    .param("tenant", tenant).param("target", targetWamid).param("reactor", reactor).param("at", Sql.ts(at)).update();
            return;
        }
        jdbc.sql("""
                insert into message_reactions (tenant_id, target_wamid, reactor, emoji, wamid, reacted_at)
                values (:tenant, :target, :reactor, :emoji, :wamid, :at)
                on conflict (tenant_id, target_wamid, reactor) do update
                   set emoji = excluded.emoji, wamid = excluded.wamid, reacted_at = excluded.reacted_at
                 where message_reactions.reacted_at <= excluded.reacted_at
                """)
                .param("tenant", tenant).param("target", targetWamid).param("reactor", reactor).param("emoji", emoji)
                .param("wamid", wamid).param("at", Sql.ts(at)).update();
    }

    /** Who asked for a message to be sent. */
    public record Sender(String kind, UUID id) {
    }

    /**
     * Writes a message to send as QUEUED, in the contact's live conversation, in the caller's
     * transaction; sender workers pick it up from there.
     */
    @Transactional
    public UUID queueOutbound(UUID contactId, UUID connectionId, String type, String body, String content, String replyToWamid,
                              Sender sender) {
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        UUID conversation = liveConversation(tenant, contactId, connectionId, now);
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, type, body, content,
                                      reply_to_wamid, status, sent_at, created_at, next_attempt_at, sent_by_kind, sent_by)
                values (:tenant, :id, :conversation, :contact, :connection, 'OUTBOUND', :type, :body, cast(:content as jsonb),
                        :replyTo, 'QUEUED', :now, :now, :now, :senderKind, :sender)
                """)
                .param("tenant", tenant).param("id", id).param("conversation", conversation).param("contact", contactId)
                .param("connection", connectionId).param("type", type).param("body", body).param("content", content)
                .param("replyTo", replyToWamid).param("now", Sql.ts(now)).param("senderKind", sender.kind()).param("sender", sender.id())
                .update();
        jdbc.sql("update conversations set last_message_at = greatest(last_message_at, :now) where tenant_id = :tenant and id = :id")
                .param("tenant", tenant).param("id", conversation).param("now", Sql.ts(now)).update();
        return id;
    }

    /**
     * Meta accepted the message: it now has its WhatsApp id. Statuses that arrived before we knew the
     * id (Meta delivers concurrently) are applied now.
     */
    @Transactional
    public void markAccepted(UUID messageId, String wamid) {
        UUID tenant = TenantContext.tenantId();
        jdbc.sql("""
                update messages set wamid = :wamid, status = 'SENT', status_at = :now, attempts = attempts + 1, last_error = null,
                       next_attempt_at = null, send_started_at = null
                 where tenant_id = :tenant and id = :id and wamid is null
                """)
                .param("tenant", tenant).param("id", messageId).param("wamid", wamid).param("now", Sql.ts(clock.instant())).update();
        List<StatusUpdate> early = jdbc.sql("""
                select status, occurred_at, recipient_id, errors::text as errors, pricing::text as pricing
                  from message_status_events where tenant_id = :tenant and wamid = :wamid
                """)
                .param("tenant", tenant).param("wamid", wamid)
                .query((rs, n) -> new StatusUpdate(wamid, StatusUpdate.Status.valueOf(rs.getString("status")), Sql.instant(rs, "occurred_at"),
                        rs.getString("recipient_id"), rs.getString("errors"), rs.getString("pricing"), null, null, null, null))
                .list();
        early.forEach(this::moveForward);
    }

    /** Not yet: a rate limit says this message must wait until {@code next}; no attempt is counted. */
    @Transactional
    public void deferUntil(UUID messageId, Instant next) {
        jdbc.sql("update messages set next_attempt_at = :next, send_started_at = null where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("next", Sql.ts(next)).update();
    }

    /** An attempt whose outcome is unknown (no answer from Meta): counted, and the lease left to run out. */
    @Transactional
    public void noteUncertainAttempt(UUID messageId, String error) {
        jdbc.sql("update messages set attempts = attempts + 1, last_error = :error where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("error", error).update();
    }

    /** A transient failure: try again at {@code next}. */
    @Transactional
    public void retryLater(UUID messageId, Instant next, String error) {
        jdbc.sql("update messages set attempts = attempts + 1, next_attempt_at = :next, last_error = :error, send_started_at = null where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("next", Sql.ts(next)).param("error", error).update();
    }

    /** A permanent failure, with Meta's code and what it means. */
    @Transactional
    public void markFailed(UUID messageId, Integer code, String title, String details) {
        jdbc.sql("""
                update messages set status = 'FAILED', status_at = :now, attempts = attempts + 1, next_attempt_at = null,
                       send_started_at = null, error_code = :code, error_title = :title, error_details = :details
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("now", Sql.ts(clock.instant()))
                .param("code", code).param("title", title).param("details", details).update();
    }

    /**
     * Puts a failed message back in the queue: Retry really sends again, as a new WhatsApp message
     * (the failed attempt's statuses stay on record under its old id).
     */
    @Transactional
    public boolean retry(UUID messageId) {
        return jdbc.sql("""
                update messages set status = 'QUEUED', next_attempt_at = :now, error_code = null, error_title = null, error_details = null,
                       last_error = null, wamid = null, send_started_at = null
                 where tenant_id = :tenant and id = :id and direction = 'OUTBOUND' and status = 'FAILED'
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("now", Sql.ts(clock.instant())).update() == 1;
    }

    /** An outbound message whose turn to be sent has come. */
    public record DueMessage(UUID tenantId, UUID id, UUID contactId, UUID connectionId, String content, int attempts) {
    }

    /**
     * Claims the next queued message of any workspace that is due, for a sender worker: the row is
     * taken with {@code SKIP LOCKED}, its attempt marked as begun, and it is leased until
     * {@code now + lease} so that no other worker takes it while Meta is being asked. Runs outside any
     * workspace (it is the queue of all of them), in the caller's transaction.
     */
    @Transactional
    public Optional<DueMessage> claimNextDue(java.time.Duration lease) {
        Instant now = clock.instant();
        Optional<DueMessage> next = jdbc.sql("""
                select tenant_id, id, contact_id, connection_id, content::text as content, attempts
                  from messages
                 where status = 'QUEUED' and next_attempt_at <= :now
                 order by next_attempt_at, created_at
                 limit 1
                   for update skip locked
                """)
                .param("now", Sql.ts(now))
                .query((rs, n) -> new DueMessage(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), Sql.uuid(rs, "contact_id"),
                        Sql.uuid(rs, "connection_id"), rs.getString("content"), rs.getInt("attempts")))
                .optional();
        next.ifPresent(due -> jdbc.sql("update messages set send_started_at = :now, next_attempt_at = :lease where tenant_id = :tenant and id = :id")
                .param("now", Sql.ts(now)).param("lease", Sql.ts(now.plus(lease)))
                .param("tenant", due.tenantId()).param("id", due.id()).update());
        return next;
    }

    /** The connected number a message came in on or went out from. */
    public Optional<UUID> connectionOf(UUID messageId) {
        return jdbc.sql("""
                select coalesce(m.connection_id, v.connection_id)
                  from messages m join conversations v on v.tenant_id = m.tenant_id and v.id = m.conversation_id
                 where m.tenant_id = :tenant and m.id = :id
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).query(UUID.class).optional();
    }

    /**
     * When the customer last wrote to this number: the 24-hour customer-service window runs from
     * there. It is measured on our clock (when the message reached us), like every other deadline.
     */
    public Optional<Instant> lastInboundAt(UUID contactId, UUID connectionId) {
        return jdbc.sql("""
                select max(m.created_at) as last_inbound from messages m
                  join conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id
                 where m.tenant_id = :tenant and m.contact_id = :contact and c.connection_id = :connection and m.direction = 'INBOUND'
                """)
                .param("tenant", TenantContext.tenantId()).param("contact", contactId).param("connection", connectionId)
                .query((rs, n) -> Optional.ofNullable(Sql.instant(rs, "last_inbound"))).single();
    }

    private static final String VIEW = """
            select id, conversation_id, contact_id, direction, wamid, type, body, content::text as content, reply_to_wamid, status,
                   error_code, error_title, error_details, sent_at, status_at, created_at
              from messages
            """;

    public Optional<MessageView> byId(UUID id) {
        return jdbc.sql(VIEW + " where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(MessageLog::view).optional();
    }

    public Optional<MessageView> byWamid(String wamid) {
        return jdbc.sql(VIEW + " where tenant_id = :tenant and wamid = :wamid")
                .param("tenant", TenantContext.tenantId()).param("wamid", wamid).query(MessageLog::view).optional();
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
                .query(MessageLog::view).list();
    }

    public boolean conversationExists(UUID conversationId) {
        return jdbc.sql("select exists (select 1 from conversations where tenant_id = :tenant and id = :id)")
                .param("tenant", TenantContext.tenantId()).param("id", conversationId).query(Boolean.class).single();
    }

    private static MessageView view(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Integer code = rs.getObject("error_code", Integer.class);
        return new MessageView(Sql.uuid(rs, "id"), Sql.uuid(rs, "conversation_id"), Sql.uuid(rs, "contact_id"), rs.getString("direction"),
                rs.getString("wamid"), rs.getString("type"), rs.getString("body"), rs.getString("content"), rs.getString("reply_to_wamid"),
                rs.getString("status"), code, rs.getString("error_title"), rs.getString("error_details"),
                Sql.instant(rs, "sent_at"), Sql.instant(rs, "status_at"), Sql.instant(rs, "created_at"));
    }

    private UUID liveConversation(UUID tenant, UUID contact, UUID connection, Instant at) {
        Conversation key = new Conversation(contact, connection);
        return liveConversations(tenant, List.of(new Opening(key, at))).get(key);
    }

    /** A contact's conversation on one number. */
    private record Conversation(UUID contactId, UUID connectionId) {
    }

    /** A conversation needed from a moment on: if none is live, one opens then. */
    private record Opening(Conversation conversation, Instant at) {
    }

    /**
     * The live (not resolved) conversation of each contact on each number, opening the missing ones at
     * the first moment asked for; racing openers end up with the same one.
     */
    private Map<Conversation, UUID> liveConversations(UUID tenant, List<Opening> wanted) {
        Map<Conversation, Instant> opening = new LinkedHashMap<>();
        wanted.forEach(w -> opening.putIfAbsent(w.conversation(), w.at()));
        Map<Conversation, UUID> live = findLive(tenant, opening.keySet());
        if (live.size() < opening.size()) {
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
                    """)
                    .param("tenant", tenant).param("rows", rows.json()).update();
            live.putAll(findLive(tenant, opening.keySet()));
            if (live.size() < opening.size()) {
                throw new IllegalStateException("A conversation could not be opened");
            }
        }
        return live;
    }

    private Map<Conversation, UUID> findLive(UUID tenant, java.util.Collection<Conversation> conversations) {
        JsonRows keys = new JsonRows();
        conversations.forEach(c -> keys.add().put("contact", c.contactId()).put("connection", c.connectionId()));
        Map<Conversation, UUID> live = new HashMap<>();
        jdbc.sql("""
                select c.contact_id, c.connection_id, c.id
                  from conversations c
                  join json_to_recordset(cast(:keys as json)) as r(contact uuid, connection uuid)
                    on c.contact_id = r.contact and c.connection_id = r.connection
                 where c.tenant_id = :tenant and c.status <> 'RESOLVED'
                """)
                .param("tenant", tenant).param("keys", keys.json())
                .query((rs, n) -> live.put(new Conversation(Sql.uuid(rs, "contact_id"), Sql.uuid(rs, "connection_id")), Sql.uuid(rs, "id")))
                .list();
        return live;
    }
}
