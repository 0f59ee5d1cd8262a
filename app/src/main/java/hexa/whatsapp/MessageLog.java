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
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What Meta tells the channel about messages ({@code messages}, {@code message_status_events},
 * {@code message_reactions}): customers' messages (each stored once, whatever Meta's retries), statuses (only
 * ever forward) and reactions. Each message sits in a conversation that the inbox provides through
 * {@link ConversationsOfMessages}. Sending is {@link OutboundQueue}'s; reading, {@link MessageHistory}'s.
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
        this.jdbc = jdbc;
        this.clock = clock;
        this.live = live;
        this.conversations = conversations;
        this.blocking = blocking;
        this.events = events;
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
            // A status for a message whose send we could not record (a crash while Meta was answering; held as
            // uncertain, or failed as not confirmed): it was sent after all, so it gets its WhatsApp id and is never
            // sent again.
            int recovered = jdbc.sql("""
                    update messages set wamid = :wamid, status = 'SENT', status_at = :at, next_attempt_at = null, send_started_at = null,
                           uncertain_since = null, error_code = null, error_title = null, error_details = null
                     where tenant_id = :tenant and id = :id and direction = 'OUTBOUND' and wamid is null
                       and (status = 'QUEUED' or status = 'FAILED' and error_code is null)
                       and not exists (select 1 from messages other where other.tenant_id = :tenant and other.wamid = :wamid)
                    """)
                    .param("tenant", tenant).param("id", update.ourMessageId()).param("wamid", update.wamid())
                    .param("at", Sql.ts(update.occurredAt())).update();
            if (recovered > 0) {
                announceMessage(tenant, update.wamid());
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

    /** Statuses Meta reported for a message before its sender learnt its WhatsApp id: applied now that it has. */
    void applyRecordedStatuses(String wamid) {
        UUID tenant = TenantContext.tenantId();
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
                    live.conversationChanged(tenant, changed.conversationId());
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
                .ifPresent(conversation -> live.conversationChanged(tenant, conversation));
    }
}
