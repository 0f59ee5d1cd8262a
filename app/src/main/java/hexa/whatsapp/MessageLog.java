package hexa.whatsapp;

import hexa.contacts.Blocking;
import hexa.platform.Ids;
import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.ConversationsOfMessages.ContactOnNumber;
import hexa.whatsapp.ConversationsOfMessages.Opening;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The channel's messages ({@code messages}, {@code message_status_events}, {@code message_reactions}):
 * what customers send (each once, whatever Meta's retries), the send queue with its leases, statuses
 * (only ever forward), reactions, the team's reading, and the queries that show them. Each message sits
 * in a conversation that the inbox provides through {@link ConversationsOfMessages}.
 */
@Service
public class MessageLog {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final LiveUpdates live;

    private final ConversationsOfMessages conversations;
    private final Blocking blocking;

    private final ApplicationEventPublisher events;

    MessageLog(JdbcClient jdbc, Clock clock, LiveUpdates live, ConversationsOfMessages conversations, Blocking blocking,
               ApplicationEventPublisher events) {
        this.conversations = conversations;
        this.events = events;
        this.blocking = blocking;
        this.jdbc = jdbc;
        this.clock = clock;
        this.live = live;
    }

    /** Members watching the inbox hear about it when the transaction commits. */
    private void announce(UUID tenant, UUID conversation) {
        if (conversation != null) {
            live.publish(tenant, "conversation", conversation);
        }
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
        return recordNewInbound(batch).size();
    }

    /**
     * As {@link #recordInbound(List)}, answering the messages that were new (in the order given), which
     * are also published as one {@link InboundMessagesReceived} for what reacts to them. Messages of a blocked contact ({@link Blocking}) are stored
     * and shown but raise nothing: they arrive read by the team (no unread marker), their conversation is
     * not announced live, and a conversation they open is not handed out by round-robin.
     */
    @Transactional
    public List<InboundMessage> recordNewInbound(List<InboundMessage> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        UUID tenant = TenantContext.tenantId();
        java.util.Set<UUID> blocked = blocking.blockedAmong(batch.stream().map(InboundMessage::contactId).toList());
        Map<ContactOnNumber, UUID> conversations = this.conversations.live(
                batch.stream().map(m -> new Opening(new ContactOnNumber(m.contactId(), m.connectionId()), m.sentAt())).toList(), blocked);
        JsonRows rows = new JsonRows();
        for (InboundMessage m : batch) {
            rows.add().put("n", rows.size()).put("id", Ids.newId()).put("conversation", conversations.get(new ContactOnNumber(m.contactId(), m.connectionId())))
                    .put("contact", m.contactId()).put("wamid", m.wamid()).put("type", m.type()).put("body", m.body())
                    .put("content", m.content()).put("reply_to", m.replyToWamid()).put("forwarded", m.forwarded())
                    .put("frequently", m.frequentlyForwarded()).put("sent_at", m.sentAt()).put("quiet", blocked.contains(m.contactId()));
        }
        Map<String, UUID> fresh = new java.util.HashMap<>();
        Map<UUID, ConversationsOfMessages.Arrival> arrivals = new LinkedHashMap<>();
        Instant now = clock.instant();
        // One statement: the new messages in the order given (the first of two with one WhatsApp id wins); duplicates
        // change nothing. A blocked contact's messages come in read ("quiet").
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content,
                                      reply_to_wamid, forwarded, frequently_forwarded, status, sent_at, created_at, read_at)
                select :tenant, r.id, r.conversation, r.contact, 'INBOUND', r.wamid, r.type, r.body, cast(r.content as jsonb),
                       r.reply_to, r.forwarded, r.frequently, 'RECEIVED', r.sent_at, :now, case when r.quiet then :now end
                  from json_to_recordset(cast(:rows as json))
                       as r(n int, id uuid, conversation uuid, contact uuid, wamid text, type text, body text, content text,
                            reply_to text, forwarded boolean, frequently boolean, sent_at timestamptz, quiet boolean)
                 order by r.n
                on conflict (tenant_id, wamid) where wamid is not null do nothing
                returning id, conversation_id, sent_at, wamid, read_at is not null as quiet
                """)
                .param("tenant", tenant).param("rows", rows.json()).param("now", Sql.ts(now))
                .query((rs, n) -> {
                    fresh.put(rs.getString("wamid"), Sql.uuid(rs, "id"));
                    UUID conversation = Sql.uuid(rs, "conversation_id");
                    Instant sentAt = Sql.instant(rs, "sent_at");
                    boolean quiet = rs.getBoolean("quiet");
                    arrivals.merge(conversation, new ConversationsOfMessages.Arrival(conversation, sentAt, quiet),
                            (a, b) -> new ConversationsOfMessages.Arrival(conversation,
                                    a.latestSentAt().isAfter(b.latestSentAt()) ? a.latestSentAt() : b.latestSentAt(), a.quiet() && b.quiet()));
                    return null;
                }).list();
        if (!arrivals.isEmpty()) {
            this.conversations.inboundStored(arrivals.values(), now);
        }
        List<InboundMessage> stored = new java.util.ArrayList<>();
        List<InboundMessagesReceived.Message> received = new java.util.ArrayList<>();
        for (InboundMessage m : batch) {
            UUID id = fresh.remove(m.wamid());
            if (id != null) {
                stored.add(m);
                received.add(new InboundMessagesReceived.Message(id, conversations.get(new ContactOnNumber(m.contactId(), m.connectionId())),
                        m.contactId(), m.connectionId(), m.wamid(), MessageType.of(m.type()), m.body(), m.texts(), m.sentAt(), blocked.contains(m.contactId())));
            }
        }
        if (!received.isEmpty()) {
            events.publishEvent(new InboundMessagesReceived(tenant, received));
        }
        return stored;
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
            int recovered = jdbc.sql("""
                    update messages set wamid = :wamid, status = 'SENT', status_at = :at, next_attempt_at = null, send_started_at = null
                     where tenant_id = :tenant and id = :id and direction = 'OUTBOUND' and wamid is null and status = 'QUEUED'
                       and not exists (select 1 from messages other where other.tenant_id = :tenant and other.wamid = :wamid)
                    """)
                    .param("tenant", tenant).param("id", update.ourMessageId()).param("wamid", update.wamid())
                    .param("at", Sql.ts(update.occurredAt())).update();
            if (recovered > 0) {
                events.publishEvent(new OutboundMessageSent(tenant, update.ourMessageId(), update.wamid(), update.occurredAt()));
            }
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
                returning id, conversation_id
                """)
                .param("tenant", tenant).param("wamid", update.wamid()).param("status", update.status().name())
                .param("rank", update.status().rank()).param("at", Sql.ts(update.occurredAt()))
                .param("code", update.errorCode()).param("title", update.errorTitle()).param("details", update.errorDetails())
                .query((rs, n) -> new MessageStatusChanged(tenant, Sql.uuid(rs, "id"), Sql.uuid(rs, "conversation_id"), update.wamid(),
                        update.status(), update.errorCode(), update.occurredAt()))
                .list().forEach(changed -> {
                    announce(tenant, changed.conversationId());
                    events.publishEvent(changed);
                });
    }

    /** A reaction sits on the message it reacts to; an empty emoji removes the reactor's reaction. */
    @Transactional
    public void react(String targetWamid, String reactor, String emoji, String wamid, Instant at) {
        UUID tenant = TenantContext.tenantId();
        if (emoji == null || emoji.isEmpty()) {
            jdbc.sql("delete from message_reactions where tenant_id = :tenant and target_wamid = :target and reactor = :reactor and reacted_at <= :at")
                    .param("tenant", tenant).param("target", targetWamid).param("reactor", reactor).param("at", Sql.ts(at)).update();
            announceMessage(tenant, targetWamid);
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
        announceMessage(tenant, targetWamid);
    }

    private void announceMessage(UUID tenant, String wamid) {
        jdbc.sql("select conversation_id from messages where tenant_id = :tenant and wamid = :wamid")
                .param("tenant", tenant).param("wamid", wamid).query(UUID.class).optional()
                .ifPresent(conversation -> announce(tenant, conversation));
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
        return queueOutbound(contactId, connectionId, type, body, content, replyToWamid, sender, null);
    }

    /**
     * As {@link #queueOutbound(UUID, UUID, String, String, String, String, Sender)}, leaving only once
     * {@code sendAfter} (a message queued before it, e.g. the previous attachment of several) is no
     * longer queued, so that messages sent in one go leave in their order.
     */
    @Transactional
    public UUID queueOutbound(UUID contactId, UUID connectionId, String type, String body, String content, String replyToWamid,
                              Sender sender, UUID sendAfter) {
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        UUID conversation = liveConversation(contactId, connectionId, now);
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, type, body, content,
                                      reply_to_wamid, status, sent_at, created_at, next_attempt_at, sent_by_kind, sent_by,
                                      send_after_message_id)
                values (:tenant, :id, :conversation, :contact, :connection, 'OUTBOUND', :type, :body, cast(:content as jsonb),
                        :replyTo, 'QUEUED', :now, :now, :now, :senderKind, :sender, :sendAfter)
                """)
                .param("tenant", tenant).param("id", id).param("conversation", conversation).param("contact", contactId)
                .param("connection", connectionId).param("type", type).param("body", body).param("content", content)
                .param("replyTo", replyToWamid).param("now", Sql.ts(now)).param("senderKind", sender.kind()).param("sender", sender.id())
                .param("sendAfter", sendAfter)
                .update();
        conversations.outboundQueued(conversation, now);
        announce(tenant, conversation);
        events.publishEvent(new OutboundMessageQueued(tenant, id, conversation, contactId, connectionId, MessageType.of(type), sender.kind(), sender.id(), now));
        return id;
    }

    /**
     * Meta accepted the message: it now has its WhatsApp id. Statuses that arrived before we knew the
     * id (Meta delivers concurrently) are applied now.
     */
    @Transactional
    public void markAccepted(UUID messageId, String wamid) {
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        int accepted = jdbc.sql("""
                update messages set wamid = :wamid, status = 'SENT', status_at = :now, attempts = attempts + 1, last_error = null,
                       next_attempt_at = null, send_started_at = null
                 where tenant_id = :tenant and id = :id and wamid is null
                """)
                .param("tenant", tenant).param("id", messageId).param("wamid", wamid).param("now", Sql.ts(now)).update();
        announceById(tenant, messageId);
        if (accepted > 0) {
            events.publishEvent(new OutboundMessageSent(tenant, messageId, wamid, now));
        }
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
        Instant now = clock.instant();
        int failed = jdbc.sql("""
                update messages set status = 'FAILED', status_at = :now, attempts = attempts + 1, next_attempt_at = null,
                       send_started_at = null, error_code = :code, error_title = :title, error_details = :details
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("now", Sql.ts(now))
                .param("code", code).param("title", title).param("details", details).update();
        announceById(TenantContext.tenantId(), messageId);
        if (failed > 0) {
            events.publishEvent(new OutboundMessageFailed(TenantContext.tenantId(), messageId, code, title, now));
        }
    }

    private boolean announced(UUID messageId) {
        announceById(TenantContext.tenantId(), messageId);
        return true;
    }

    private void announceById(UUID tenant, UUID messageId) {
        jdbc.sql("select conversation_id from messages where tenant_id = :tenant and id = :id")
                .param("tenant", tenant).param("id", messageId).query(UUID.class).optional()
                .ifPresent(conversation -> announce(tenant, conversation));
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
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("now", Sql.ts(clock.instant())).update() == 1 && announced(messageId);
    }

    /** An outbound message whose turn to be sent has come. */
    public record DueMessage(UUID tenantId, UUID id, UUID contactId, UUID connectionId, String content, int attempts, Instant claimedAt) {
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
                   and (send_after_message_id is null or not exists (
                        select 1 from messages earlier
                         where earlier.tenant_id = messages.tenant_id and earlier.id = messages.send_after_message_id
                           and earlier.status = 'QUEUED'))
                 order by next_attempt_at, created_at
                 limit 1
                   for update skip locked
                """)
                .param("now", Sql.ts(now))
                .query((rs, n) -> new DueMessage(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), Sql.uuid(rs, "contact_id"),
                        Sql.uuid(rs, "connection_id"), rs.getString("content"), rs.getInt("attempts"), now))
                .optional();
        next.ifPresent(due -> jdbc.sql("update messages set send_started_at = :now, next_attempt_at = :lease where tenant_id = :tenant and id = :id")
                .param("now", Sql.ts(now)).param("lease", Sql.ts(now.plus(lease)))
                .param("tenant", due.tenantId()).param("id", due.id()).update());
        return next;
    }

    /**
     * Extends the lease of a message this worker claimed at {@code claimedAt} (a long step, such as
     * uploading its media, came first); false when the lease ran out and another worker claimed it
     * since, in which case this one must not send it.
     */
    @Transactional
    public boolean renewLease(UUID messageId, Instant claimedAt, java.time.Duration lease) {
        return jdbc.sql("""
                update messages set next_attempt_at = :lease
                 where tenant_id = :tenant and id = :id and status = 'QUEUED' and send_started_at = :claimedAt
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("claimedAt", Sql.ts(claimedAt))
                .param("lease", Sql.ts(clock.instant().plus(lease))).update() == 1;
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
     * When the customer last wrote to this number: the 24-hour customer-service window runs from
     * there. It is measured on our clock (when the message reached us), like every other deadline.
     */
    public Optional<Instant> lastInboundAt(UUID contactId, UUID connectionId) {
        List<UUID> onNumber = conversations.allOf(new ContactOnNumber(contactId, connectionId));
        if (onNumber.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select max(created_at) as last_inbound from messages
                 where tenant_id = :tenant and contact_id = :contact and conversation_id = any(:conversations) and direction = 'INBOUND'
                """)
                .param("tenant", TenantContext.tenantId()).param("contact", contactId)
                .param("conversations", onNumber.toArray(new UUID[0]))
                .query((rs, n) -> Optional.ofNullable(Sql.instant(rs, "last_inbound"))).single();
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
                    returning wamid, sent_at, created_at
                )
                select count(*) as newly_read,
                       (select wamid from marked where wamid is not null order by sent_at desc, created_at desc limit 1) as latest
                  from marked
                """)
                .param("tenant", tenant).param("conversation", conversationId).param("now", Sql.ts(clock.instant()))
                .query((rs, n) -> new ReadByTeam(rs.getInt("newly_read"), rs.getString("latest"), connection)).single();
        // The list's unread marker follows: the conversation is read up to the customer's latest message.
        if (conversations.readUpToLatest(conversationId)) {
            announce(tenant, conversationId);
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
            select id, conversation_id, contact_id, direction, wamid, type, body, content::text as content, reply_to_wamid, status,
                   error_code, error_title, error_details, sent_at, status_at, created_at, forwarded, frequently_forwarded
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

    /** The latest messages of a conversation before the given one (all the latest without it), oldest first. */
    public List<MessageView> latestInConversation(UUID conversationId, UUID before, int limit) {
        List<MessageView> newestFirst = jdbc.sql(VIEW + """
                 where tenant_id = :tenant and conversation_id = :conversation
                   and (cast(:before as uuid) is null or (sent_at, id) < (select sent_at, id from messages where tenant_id = :tenant and id = :before))
                 order by sent_at desc, id desc
                 limit :limit
                """)
                .param("tenant", TenantContext.tenantId()).param("conversation", conversationId).param("before", before).param("limit", limit)
                .query(MessageLog::view).list();
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

    /** Messages by WhatsApp id, for quoting what a reply answers. */
    public java.util.Map<String, MessageView> byWamids(java.util.Collection<String> wamids) {
        java.util.Map<String, MessageView> found = new java.util.HashMap<>();
        if (wamids.isEmpty()) {
            return found;
        }
        jdbc.sql(VIEW + " where tenant_id = :tenant and wamid = any(:wamids)")
                .param("tenant", TenantContext.tenantId()).param("wamids", wamids.toArray(new String[0]))
                .query(MessageLog::view).list().forEach(m -> found.put(m.wamid(), m));
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
                rs.getBoolean("forwarded"), rs.getBoolean("frequently_forwarded"));
    }

    private UUID liveConversation(UUID contact, UUID connection, Instant at) {
        ContactOnNumber key = new ContactOnNumber(contact, connection);
        return conversations.live(List.of(new Opening(key, at)), blocking.blockedAmong(List.of(contact))).get(key);
    }
}
