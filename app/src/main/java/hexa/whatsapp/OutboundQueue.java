package hexa.whatsapp;

import hexa.contacts.Blocking;
import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.ConversationsOfMessages.ContactOnNumber;
import hexa.whatsapp.ConversationsOfMessages.Opening;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The send queue: messages to customers written as {@code QUEUED} in their contact's live conversation, claimed
 * by sender workers with a lease ({@code SKIP LOCKED}), then accepted by Meta, retried, deferred or failed. Publishes
 * {@link OutboundMessageQueued}, {@link OutboundMessageSent} and {@link OutboundMessageFailed}.
 */
@Service
public class OutboundQueue {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final LiveUpdates live;
    private final ConversationsOfMessages conversations;
    private final Blocking blocking;
    private final ApplicationEventPublisher events;
    private final MessageLog log;

    OutboundQueue(JdbcClient jdbc, Clock clock, LiveUpdates live, ConversationsOfMessages conversations, Blocking blocking,
                  ApplicationEventPublisher events, MessageLog log) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.live = live;
        this.conversations = conversations;
        this.blocking = blocking;
        this.events = events;
        this.log = log;
    }

    /**
     * Who asked for a message to be sent: a member ({@code USER}), an API token, the system, or an automation rule
     * ({@code RULE}) or flow ({@code FLOW}); {@code name} is the rule's or flow's name as it was then, which the
     * conversation shows ("Sent by rule …") without the inbox depending on automation.
     */
    public record Sender(String kind, UUID id, String name) {
        public Sender(String kind, UUID id) {
            this(kind, id, null);
        }
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
        return queueOutbound(contactId, connectionId, type, body, content, replyToWamid, sender, sendAfter, false);
    }

    /**
     * As {@link #queueOutbound(UUID, UUID, String, String, String, String, Sender, UUID)}; with {@code neverResend} a
     * send whose answer was lost is never sent again automatically ({@link UncertainSends}): it fails as "not
     * confirmed — not resent" instead.
     */
    @Transactional
    public UUID queueOutbound(UUID contactId, UUID connectionId, String type, String body, String content, String replyToWamid,
                              Sender sender, UUID sendAfter, boolean neverResend) {
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        UUID conversation = liveConversation(contactId, connectionId, now);
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, type, body, content,
                                      reply_to_wamid, status, sent_at, created_at, next_attempt_at, sent_by_kind, sent_by,
                                      send_after_message_id, never_resend, sent_by_name)
                values (:tenant, :id, :conversation, :contact, :connection, 'OUTBOUND', :type, :body, cast(:content as jsonb),
                        :replyTo, 'QUEUED', :now, :now, :now, :senderKind, :sender, :sendAfter, :neverResend, :senderName)
                """)
                .param("tenant", tenant).param("id", id).param("conversation", conversation).param("contact", contactId)
                .param("connection", connectionId).param("type", type).param("body", body).param("content", content)
                .param("replyTo", replyToWamid).param("now", Sql.ts(now)).param("senderKind", sender.kind()).param("sender", sender.id())
                .param("sendAfter", sendAfter).param("neverResend", neverResend).param("senderName", sender.name())
                .update();
        conversations.outboundQueued(conversation, now);
        live.conversationChanged(tenant, conversation);
        events.publishEvent(new OutboundMessageQueued(tenant, id, conversation, contactId, connectionId, MessageType.of(type), sender.kind(), sender.id(), now));
        return id;
    }

    /** One message of a bulk send: to whom, its type, its summary (the template's name) and Meta's object as JSON. */
    public record BulkMessage(UUID contactId, String type, String body, String content) {
    }

    /** The lane a message waits in: {@code FIRST} (agents, the API, automation) always goes before {@code BULK}. */
    public enum Lane {
        FIRST, BULK;

        static Lane of(int lane) {
            return lane == 1 ? BULK : FIRST;
        }
    }

    /**
     * Writes many messages to send on one number as QUEUED in the bulk lane, in one multi-row insert, in the caller's
     * transaction: they leave after whatever the first lane has due, within the number's rate and messaging limit.
     * {@code sender} (e.g. a campaign) is on each, so its module can count its own. No {@link OutboundMessageQueued}
     * event per message (a campaign announces itself); the conversations' last activity follows.
     */
    @Transactional
    public List<UUID> queueBulk(UUID connectionId, Sender sender, List<BulkMessage> messages, boolean neverResend) {
        if (messages.isEmpty()) {
            return List.of();
        }
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        List<UUID> contacts = messages.stream().map(BulkMessage::contactId).distinct().toList();
        java.util.Map<ContactOnNumber, UUID> live = conversations.live(
                contacts.stream().map(c -> new Opening(new ContactOnNumber(c, connectionId), now)).toList(), blocking.blockedAmong(contacts));
        int n = messages.size();
        UUID[] ids = new UUID[n];
        UUID[] conversationIds = new UUID[n];
        UUID[] contactIds = new UUID[n];
        String[] types = new String[n];
        String[] bodies = new String[n];
        String[] contents = new String[n];
        for (int i = 0; i < n; i++) {
            BulkMessage message = messages.get(i);
            ids[i] = Ids.newId();
            conversationIds[i] = live.get(new ContactOnNumber(message.contactId(), connectionId));
            contactIds[i] = message.contactId();
            types[i] = message.type();
            bodies[i] = message.body();
            contents[i] = message.content();
        }
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, type, body, content,
                                      status, sent_at, created_at, next_attempt_at, sent_by_kind, sent_by, never_resend, sent_by_name,
                                      send_lane)
                select :tenant, m.id, m.conversation, m.contact, :connection, 'OUTBOUND', m.type, m.body, cast(m.content as jsonb),
                       'QUEUED', :now, :now, :now, :senderKind, :sender, :neverResend, :senderName, 1
                  from unnest(cast(:ids as uuid[]), cast(:conversations as uuid[]), cast(:contacts as uuid[]), cast(:types as text[]),
                              cast(:bodies as text[]), cast(:contents as text[])) as m(id, conversation, contact, type, body, content)
                """)
                .param("tenant", tenant).param("connection", connectionId).param("now", Sql.ts(now))
                .param("senderKind", sender.kind()).param("sender", sender.id()).param("senderName", sender.name())
                .param("neverResend", neverResend).param("ids", ids).param("conversations", conversationIds).param("contacts", contactIds)
                .param("types", types).param("bodies", bodies).param("contents", contents)
                .update();
        for (UUID conversation : new java.util.LinkedHashSet<>(live.values())) {
            conversations.outboundQueued(conversation, now);
        }
        return List.of(ids);
    }

    /**
     * How many messages one sender (a campaign: {@code CAMPAIGN} and its id) still has in the send queue, per number: its
     * backlog, which the campaign keeps to a few seconds of each number's rate, and which is empty once all it handed over
     * has left. Read along the queue's own index ({@code messages_to_send}), which holds only what is queued.
     */
    public java.util.Map<UUID, Integer> queuedOf(String senderKind, UUID senderId) {
        java.util.Map<UUID, Integer> queued = new java.util.HashMap<>();
        jdbc.sql("""
                select connection_id, count(*) as queued from messages
                 where status = 'QUEUED' and next_attempt_at is not null and tenant_id = :tenant and sent_by_kind = :kind and sent_by = :sender
                 group by connection_id
                """)
                .param("tenant", TenantContext.tenantId()).param("kind", senderKind).param("sender", senderId)
                .query((rs, n) -> queued.put(Sql.uuid(rs, "connection_id"), rs.getInt("queued"))).list();
        return queued;
    }

    /**
     * Takes back the messages of one sender (a cancelled campaign) that are still queued and that no sender worker has
     * begun to send: they fail with {@code reason} and never leave. A message a worker holds (claimed, or sent with its
     * answer unknown) is left to finish, so nothing already on its way to Meta is hidden. Answers the ids withdrawn.
     */
    @Transactional
    public List<UUID> withdrawQueued(String senderKind, UUID senderId, String reason) {
        Instant now = clock.instant();
        return jdbc.sql("""
                update messages set status = 'FAILED', status_at = :now, next_attempt_at = null, error_title = :reason
                 where status = 'QUEUED' and next_attempt_at is not null and tenant_id = :tenant and sent_by_kind = :kind and sent_by = :sender
                   and wamid is null and send_started_at is null and uncertain_since is null
                returning id
                """)
                .param("tenant", TenantContext.tenantId()).param("kind", senderKind).param("sender", senderId)
                .param("now", Sql.ts(now)).param("reason", reason)
                .query((rs, n) -> Sql.uuid(rs, "id")).list();
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
                       next_attempt_at = null, send_started_at = null, uncertain_since = null,
                       limit_counted_at = case when send_lane = 1 then :now end
                 where tenant_id = :tenant and id = :id and wamid is null
                """)
                .param("tenant", tenant).param("id", messageId).param("wamid", wamid).param("now", Sql.ts(now)).update();
        announceById(tenant, messageId);
        if (accepted > 0) {
            events.publishEvent(new OutboundMessageSent(tenant, messageId, wamid, now));
        }
        log.applyRecordedStatuses(wamid);
    }

    /** Not yet: a rate limit says this message must wait until {@code next}; no attempt is counted. */
    @Transactional
    public void deferUntil(UUID messageId, Instant next) {
        jdbc.sql("update messages set next_attempt_at = :next, send_started_at = null where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("next", Sql.ts(next)).update();
    }

    /**
     * An attempt whose outcome is unknown (no answer from Meta, or none stored): counted, and held as uncertain from
     * {@code since} until {@code next} ({@link UncertainSends}); the attempt's start stays, as the hold is measured
     * from it.
     */
    @Transactional
    public void holdUncertain(UUID messageId, Instant since, Instant next, String error) {
        int held = jdbc.sql("""
                update messages set attempts = attempts + 1, last_error = coalesce(:error, last_error), uncertain_since = :since,
                       next_attempt_at = :next
                 where tenant_id = :tenant and id = :id and status = 'QUEUED' and wamid is null
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("error", error)
                .param("since", Sql.ts(since)).param("next", Sql.ts(next)).update();
        if (held > 0) {
            announceById(TenantContext.tenantId(), messageId);
        }
    }

    /** An uncertain message still held: looked at again at {@code next}. */
    @Transactional
    public void keepHolding(UUID messageId, Instant next) {
        jdbc.sql("update messages set next_attempt_at = :next where tenant_id = :tenant and id = :id and status = 'QUEUED'")
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("next", Sql.ts(next)).update();
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
                       send_started_at = null, uncertain_since = null, error_code = :code, error_title = :title, error_details = :details
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
                .ifPresent(conversation -> live.conversationChanged(tenant, conversation));
    }

    /**
     * Puts a failed message back in the queue: Retry really sends again, as a new WhatsApp message
     * (the failed attempt's statuses stay on record under its old id).
     */
    @Transactional
    public boolean retry(UUID messageId) {
        return jdbc.sql("""
                update messages set status = 'QUEUED', next_attempt_at = :now, error_code = null, error_title = null, error_details = null,
                       last_error = null, wamid = null, send_started_at = null, uncertain_since = null
                 where tenant_id = :tenant and id = :id and direction = 'OUTBOUND' and status = 'FAILED'
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("now", Sql.ts(clock.instant())).update() == 1 && announced(messageId);
    }

    /**
     * An outbound message whose turn has come. {@code unansweredSince} is set when an earlier attempt began then and
     * its answer was never stored (its lease ran out, or it is held as uncertain since {@code uncertainSince}): such a
     * message is not leased by the claim; the sender decides whether it may go again ({@link UncertainSends}).
     */
    public record DueMessage(UUID tenantId, UUID id, UUID contactId, UUID connectionId, String content, int attempts, Instant claimedAt,
                             Instant unansweredSince, Instant uncertainSince, boolean neverResend, Lane lane) {

        public DueMessage(UUID tenantId, UUID id, UUID contactId, UUID connectionId, String content, int attempts, Instant claimedAt,
                          Instant unansweredSince, Instant uncertainSince, boolean neverResend) {
            this(tenantId, id, contactId, connectionId, content, attempts, claimedAt, unansweredSince, uncertainSince, neverResend, Lane.FIRST);
        }

        public boolean unanswered() {
            return unansweredSince != null;
        }
    }

    /**
     * Claims up to {@code limit} due messages of any workspace, first lane before bulk lane, each by due time, with
     * {@code SKIP LOCKED}: several nodes and workers share the queue without taking the same message. Those to be sent
     * now are leased until {@code now + lease}, in one update; a message whose earlier attempt was never answered is
     * handed out locked but not leased ({@link DueMessage#unanswered()}). Bulk messages of a number whose bulk lane is
     * paused are not claimed. One message per chat (customer and number) is in flight at a time, so that a chat's
     * messages arrive in order and a customer is not sent a burst. Runs outside any workspace, in the caller's transaction.
     */
    @Transactional
    public List<DueMessage> claimDue(int limit, java.time.Duration lease) {
        Instant now = clock.instant();
        List<DueMessage> due = jdbc.sql("""
                select tenant_id, id, contact_id, connection_id, content::text as content, attempts, send_started_at, uncertain_since,
                       never_resend, send_lane
                  from messages
                 where status = 'QUEUED' and next_attempt_at <= :now
                   and (send_after_message_id is null or not exists (
                        select 1 from messages earlier
                         where earlier.tenant_id = messages.tenant_id and earlier.id = messages.send_after_message_id
                           and earlier.status = 'QUEUED'))
                   and (send_lane = 0 or not exists (
                        select 1 from whatsapp_connections c
                         where c.tenant_id = messages.tenant_id and c.id = messages.connection_id and c.bulk_paused_until > :now))
                   and (contact_id is null or not exists (
                        select 1 from messages ahead
                         where ahead.tenant_id = messages.tenant_id and ahead.contact_id = messages.contact_id
                           and ahead.connection_id = messages.connection_id and ahead.status = 'QUEUED' and ahead.id <> messages.id
                           and ahead.send_started_at is not null and ahead.uncertain_since is null and ahead.next_attempt_at > :now))
                 order by send_lane, next_attempt_at, created_at
                 limit :limit
                   for update skip locked
                """)
                .param("now", Sql.ts(now)).param("limit", limit)
                .query((rs, n) -> new DueMessage(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), Sql.uuid(rs, "contact_id"),
                        Sql.uuid(rs, "connection_id"), rs.getString("content"), rs.getInt("attempts"), now,
                        Sql.instant(rs, "send_started_at"), Sql.instant(rs, "uncertain_since"), rs.getBoolean("never_resend"),
                        Lane.of(rs.getInt("send_lane"))))
                .list();
        // One message per chat at a time: the first due to a customer from a number goes; the next waits for Meta's
        // answer to it (the query above keeps back those behind one in flight), so a chat's messages arrive in order.
        java.util.Set<String> chats = new java.util.HashSet<>();
        due = due.stream().filter(d -> d.contactId() == null || chats.add(d.tenantId() + "/" + d.connectionId() + "/" + d.contactId())).toList();
        List<DueMessage> toLease = due.stream().filter(d -> !d.unanswered()).toList();
        if (!toLease.isEmpty()) {
            jdbc.sql("""
                    update messages set send_started_at = :now, next_attempt_at = :lease, uncertain_since = null
                     where (tenant_id, id) in (select * from unnest(cast(:tenants as uuid[]), cast(:ids as uuid[])))
                    """)
                    .param("now", Sql.ts(now)).param("lease", Sql.ts(now.plus(lease)))
                    .param("tenants", toLease.stream().map(DueMessage::tenantId).toArray(UUID[]::new))
                    .param("ids", toLease.stream().map(DueMessage::id).toArray(UUID[]::new)).update();
        }
        return due;
    }

    /**
     * A bulk message Meta failed later with its per-user marketing limit (131049, "wait at least 24 hours before
     * resending"): queued again, as a new WhatsApp message, for {@code next}, once (its first send was its only attempt).
     * False when it is not such a message.
     */
    @Transactional
    public boolean requeueAfterMarketingLimit(UUID messageId, Instant next, String reason) {
        return jdbc.sql("""
                update messages set status = 'QUEUED', next_attempt_at = :next, error_code = null, error_title = null, error_details = null,
                       last_error = :reason, wamid = null, send_started_at = null, uncertain_since = null
                 where tenant_id = :tenant and id = :id and direction = 'OUTBOUND' and status = 'FAILED' and send_lane = 1
                   and error_code = 131049 and attempts <= 1
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("next", Sql.ts(next)).param("reason", reason)
                .update() == 1 && announced(messageId);
    }

    /** The number a message is sent from. */
    public Optional<UUID> connectionOf(UUID messageId) {
        return jdbc.sql("select connection_id from messages where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", messageId).query(UUID.class).optional();
    }

    /**
     * A bulk message held by its number's messaging limit: not failed, not an attempt, looked at again at {@code next}
     * (when the rolling 24 hours let one more customer in), with the reason shown.
     */
    @Transactional
    public void holdForLimit(UUID messageId, Instant next, String reason) {
        jdbc.sql("""
                update messages set next_attempt_at = :next, send_started_at = null, last_error = :reason
                 where tenant_id = :tenant and id = :id and status = 'QUEUED'
                """)
                .param("tenant", TenantContext.tenantId()).param("id", messageId).param("next", Sql.ts(next)).param("reason", reason).update();
    }

    /** Marks a claimed message's attempt as begun now and leases it to this worker: a new attempt. */
    @Transactional
    public void lease(DueMessage due, java.time.Duration lease) {
        jdbc.sql("""
                update messages set send_started_at = :now, next_attempt_at = :lease, uncertain_since = null
                 where tenant_id = :tenant and id = :id
                """)
                .param("now", Sql.ts(due.claimedAt())).param("lease", Sql.ts(due.claimedAt().plus(lease)))
                .param("tenant", due.tenantId()).param("id", due.id()).update();
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

    private UUID liveConversation(UUID contact, UUID connection, Instant at) {
        ContactOnNumber key = new ContactOnNumber(contact, connection);
        return conversations.live(List.of(new Opening(key, at)), blocking.blockedAmong(List.of(contact))).get(key);
    }
}
