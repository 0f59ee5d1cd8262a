package hexa.whatsapp;

import hexa.contacts.Blocking;
import hexa.contacts.ContactSources;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
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
    private final ContactSources sources;

    MessageLog(JdbcClient jdbc, Clock clock, LiveUpdates live, ConversationsOfMessages conversations, Blocking blocking,
               ApplicationEventPublisher events, ContactSources sources) {
        this.sources = sources;
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
        // Edits and deletions of these messages that came before them (webhooks can come out of order).
        applyWaitingChanges(fresh.keySet());
        List<InboundMessage> stored = new java.util.ArrayList<>();
        List<InboundMessagesReceived.Message> received = new java.util.ArrayList<>();
        List<ContactSources.Referral> referrals = new java.util.ArrayList<>();
        for (InboundMessage m : batch) {
            UUID id = fresh.remove(m.wamid());
            if (id != null) {
                stored.add(m);
                InboundMessage.Details details = m.details();
                received.add(new InboundMessagesReceived.Message(id, conversations.get(new ContactOnNumber(m.contactId(), m.connectionId())),
                        m.contactId(), m.connectionId(), m.wamid(), MessageType.of(m.type()), m.body(), m.texts(), m.sentAt(), blocked.contains(m.contactId()),
                        details.referral(), details.reply(), details.flowAnswers()));
                AdReferral ad = details.referral();
                if (ad != null) {
                    referrals.add(new ContactSources.Referral(m.contactId(), m.wamid(), ad.sourceType(), ad.sourceId(), ad.sourceUrl(), ad.headline(),
                            ad.body(), ad.mediaType(), ad.ctwaClid(), m.sentAt()));
                }
            }
        }
        // The contact's source belongs to contacts: the channel tells it which ads brought whom.
        sources.record(referrals);
        if (!received.isEmpty()) {
            events.publishEvent(new InboundMessagesReceived(tenant, received));
        }
        return stored;
    }

    /**
     * Records a status once per message and status, then moves the message forward if this status is
     * further along than the one it has; late, duplicate or out-of-order statuses never move it back.
     * Answers the status as {@link MessageStatusesChanged} tells it when it was new and names a message of ours, for the
     * caller to publish with the others of its batch ({@link #statusesRecorded}).
     */
    @Transactional
    public Optional<MessageStatusesChanged.Item> applyStatus(StatusUpdate update) {
        UUID tenant = TenantContext.tenantId();
        if (update.ourMessageId() != null && !ourMessageKept(tenant, update.ourMessageId(), update.wamid())) {
            // Our message, and it is gone: erased with its person or purged with its age. Meta keeps sending its
            // statuses (a "read" days later); recording one would store the person's number again, after the promise
            // to forget them. A status waiting for its message is never ours: our messages are stored before they go.
            return Optional.empty();
        }
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
        boolean recorded = jdbc.sql("""
                insert into message_status_events (tenant_id, wamid, status, occurred_at, recipient_id, errors, pricing, received_at)
                values (:tenant, :wamid, :status, :at, :recipient, cast(:errors as jsonb), cast(:pricing as jsonb), :now)
                on conflict (tenant_id, wamid, status) do nothing
                """)
                .param("tenant", tenant).param("wamid", update.wamid()).param("status", update.status().name())
                .param("at", Sql.ts(update.occurredAt())).param("recipient", update.recipientId())
                .param("errors", update.errorsJson()).param("pricing", update.pricingJson()).param("now", Sql.ts(clock.instant()))
                .update() > 0;
        UUID moved = moveForward(update);
        UUID message = update.ourMessageId() != null ? update.ourMessageId() : moved;
        if (!recorded || message == null) {
            return Optional.empty();
        }
        JsonNode pricing = update.pricingJson() == null ? null : PRICING.readTree(update.pricingJson());
        Boolean billable = pricing == null || !pricing.has("billable") ? null : pricing.path("billable").asBoolean();
        String category = pricing == null ? null : MessageStatusesChanged.Item.category(JsonFields.text(pricing, "category"));
        return Optional.of(new MessageStatusesChanged.Item(message, update.wamid(), update.status(), update.occurredAt(), update.errorCode(),
                update.errorTitle(), billable, category));
    }

    private static final JsonMapper PRICING = JsonMapper.builder().build();

    /** Publishes the statuses a batch of webhooks recorded for the workspace, as one {@link MessageStatusesChanged}. */
    void statusesRecorded(UUID tenant, List<MessageStatusesChanged.Item> statuses) {
        if (!statuses.isEmpty()) {
            events.publishEvent(new MessageStatusesChanged(tenant, statuses));
        }
    }

    private boolean ourMessageKept(UUID tenant, UUID id, String wamid) {
        return jdbc.sql("select exists (select 1 from messages where tenant_id = :tenant and (id = :id or wamid = :wamid))")
                .param("tenant", tenant).param("id", id).param("wamid", wamid).query(Boolean.class).single();
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

    /** Moves the message forward if the status is further along; answers the message's id if it moved. */
    private UUID moveForward(StatusUpdate update) {
        UUID tenant = TenantContext.tenantId();
        List<MessageStatusChanged> changes = jdbc.sql("""
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
                .list();
        changes.forEach(changed -> {
            live.conversationChanged(tenant, changed.conversationId());
            events.publishEvent(changed);
        });
        return changes.isEmpty() ? null : changes.get(0).messageId();
    }

    /**
     * Stores a message the business sent from the WhatsApp Business app (a coexistence number's echo) in the customer's
     * live conversation, as an outbound message sent from the phone; false if it was already stored. It counts for the
     * conversation as an agent's reply does (the business answered), and nothing is queued to send: Meta delivered it
     * already. Statuses that came before it, and edits or deletions of it, are applied now.
     */
    @Transactional
    public boolean recordEcho(EchoedMessage echo) {
        UUID tenant = TenantContext.tenantId();
        UUID conversation = conversations.live(List.of(new Opening(new ContactOnNumber(echo.contactId(), echo.connectionId()), echo.sentAt())),
                java.util.Set.of()).get(new ContactOnNumber(echo.contactId(), echo.connectionId()));
        UUID id = jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, wamid, type, body, content,
                                      reply_to_wamid, status, sent_at, status_at, created_at, sent_from)
                values (:tenant, :id, :conversation, :contact, :connection, 'OUTBOUND', :wamid, :type, :body, cast(:content as jsonb),
                        :replyTo, 'SENT', :sentAt, :sentAt, :now, 'BUSINESS_APP')
                on conflict (tenant_id, wamid) where wamid is not null do nothing
                returning id
                """)
                .param("tenant", tenant).param("id", Ids.newId()).param("conversation", conversation).param("contact", echo.contactId())
                .param("connection", echo.connectionId()).param("wamid", echo.wamid()).param("type", echo.type())
                .param("body", blankToNull(echo.body())).param("content", echo.content()).param("replyTo", echo.replyToWamid())
                .param("sentAt", Sql.ts(echo.sentAt())).param("now", Sql.ts(clock.instant()))
                .query(UUID.class).optional().orElse(null);
        if (id == null) {
            return false;
        }
        conversations.outboundQueued(conversation, echo.sentAt());
        live.conversationChanged(tenant, conversation);
        events.publishEvent(new MessageSentFromBusinessApp(tenant, id, conversation, echo.contactId(), echo.connectionId(),
                MessageType.of(echo.type()), echo.sentAt()));
        applyRecordedStatuses(echo.wamid());
        applyWaitingChanges(java.util.Set.of(echo.wamid()));
        return true;
    }

    /** The stored message a change names, locked for the change. */
    private record Changed(UUID id, UUID conversationId, UUID contactId, MessageDirection direction, MessageType type, Instant shownSince,
                           boolean deleted, boolean editApplied) {
    }

    /**
     * Applies an edit or a deletion to the message it names: an edit shows the new text or caption, marked edited, and
     * keeps the earlier version; a deletion removes the message's content (text, caption, media, earlier versions)
     * from our copy and from search. Idempotent: Meta's retries change nothing more. When the message is not known
     * (yet), the change is kept as a message of its own and applied as soon as the original arrives. Neither is a new
     * message: {@link InboundMessagesReceived} is not published for it, so nothing answers it.
     */
    @Transactional
    public MessageChange.Outcome applyChange(MessageChange change) {
        UUID tenant = TenantContext.tenantId();
        Optional<Changed> found = jdbc.sql("""
                select id, conversation_id, contact_id, direction, type, coalesce(edited_at, sent_at) as shown_since,
                       deleted_at is not null as deleted,
                       coalesce(edits, '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('edit', cast(:change as text))) as applied
                  from messages where tenant_id = :tenant and wamid = :original
                   for update
                """)
                .param("tenant", tenant).param("original", change.originalWamid()).param("change", change.wamid())
                .query((rs, n) -> new Changed(Sql.uuid(rs, "id"), Sql.uuid(rs, "conversation_id"), Sql.uuid(rs, "contact_id"),
                        MessageDirection.valueOf(rs.getString("direction")), MessageType.of(rs.getString("type")), Sql.instant(rs, "shown_since"),
                        rs.getBoolean("deleted"), rs.getBoolean("applied")))
                .optional();
        if (found.isEmpty()) {
            return waitForOriginal(change);
        }
        Changed message = found.get();
        if (message.direction() != change.direction() || !message.contactId().equals(change.contactId())) {
            return MessageChange.Outcome.NOT_THE_SENDERS;
        }
        if (message.deleted() || change.kind() == MessageChange.Kind.EDIT && message.editApplied()) {
            return MessageChange.Outcome.ALREADY_APPLIED;
        }
        if (change.kind() == MessageChange.Kind.REVOKE) {
            // Nothing of what was said stays: not the text, the caption, the media or any earlier version.
            jdbc.sql("""
                    update messages set body = null, content = jsonb_build_object('type', type), edits = null, deleted_at = :at
                     where tenant_id = :tenant and id = :id
                    """)
                    .param("tenant", tenant).param("id", message.id()).param("at", Sql.ts(change.at())).update();
            live.conversationChanged(tenant, message.conversationId());
            events.publishEvent(new MessageDeleted(tenant, message.id(), message.conversationId(), message.direction(), message.type(), change.at()));
            return MessageChange.Outcome.APPLIED;
        }
        String text = change.text() == null ? "" : change.text();
        if (change.at().isBefore(message.shownSince())) {
            // An edit overtaken by a later one that came first: kept among the earlier versions only.
            jdbc.sql("""
                    update messages
                       set edits = coalesce(edits, '[]'::jsonb)
                                   || jsonb_build_array(jsonb_build_object('text', cast(:text as text), 'at', cast(:at as timestamptz), 'edit', cast(:change as text)))
                     where tenant_id = :tenant and id = :id
                    """)
                    .param("tenant", tenant).param("id", message.id()).param("text", text).param("at", Sql.ts(change.at()))
                    .param("change", change.wamid()).update();
        } else {
            jdbc.sql("""
                    update messages
                       set edits = coalesce(edits, '[]'::jsonb)
                                   || jsonb_build_array(jsonb_build_object('text', coalesce(body, ''), 'at', coalesce(edited_at, sent_at), 'edit', cast(:change as text))),
                           body = :text,
                           content = case when type = 'text' then jsonb_set(content, '{text,body}', to_jsonb(cast(:text as text)), true)
                                          when jsonb_typeof(content -> type) = 'object'
                                          then jsonb_set(content, array[type, 'caption'], to_jsonb(cast(:text as text)), true)
                                          else content end,
                           edited_at = :at
                     where tenant_id = :tenant and id = :id
                    """)
                    .param("tenant", tenant).param("id", message.id()).param("text", text).param("at", Sql.ts(change.at()))
                    .param("change", change.wamid()).update();
        }
        live.conversationChanged(tenant, message.conversationId());
        events.publishEvent(new MessageEdited(tenant, message.id(), message.conversationId(), message.direction(), change.at()));
        return MessageChange.Outcome.APPLIED;
    }

    /**
     * A change to a message we do not have (yet): kept as a message of its own in the sender's conversation, so that
     * nothing is lost (the edited text, or "This message was deleted"), naming the original it changes. When the
     * original arrives, the change is applied to it and this stand-in goes ({@link #applyWaitingChanges}).
     */
    private MessageChange.Outcome waitForOriginal(MessageChange change) {
        UUID tenant = TenantContext.tenantId();
        ContactOnNumber on = new ContactOnNumber(change.contactId(), change.connectionId());
        boolean inbound = change.direction() == MessageDirection.INBOUND;
        boolean quiet = inbound && blocking.blockedAmong(List.of(change.contactId())).contains(change.contactId());
        UUID conversation = conversations.live(List.of(new Opening(on, change.at())), quiet ? java.util.Set.of(change.contactId()) : java.util.Set.of())
                .get(on);
        boolean revoke = change.kind() == MessageChange.Kind.REVOKE;
        Instant now = clock.instant();
        UUID id = jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, wamid, type, body, content,
                                      status, sent_at, status_at, created_at, read_at, edited_at, deleted_at, edit_of, sent_from)
                values (:tenant, :id, :conversation, :contact, :connection, :direction, :wamid, 'text', :body, cast(:content as jsonb),
                        :status, :at, :statusAt, :now, :readAt, :editedAt, :deletedAt, :original, :sentFrom)
                on conflict (tenant_id, wamid) where wamid is not null do nothing
                returning id
                """)
                .param("tenant", tenant).param("id", Ids.newId()).param("conversation", conversation).param("contact", change.contactId())
                .param("connection", inbound ? null : change.connectionId()).param("direction", change.direction().name())
                .param("wamid", change.wamid()).param("body", revoke ? null : blankToNull(change.text()))
                .param("content", revoke ? "{\"type\":\"revoke\"}" : change.content())
                .param("status", inbound ? "RECEIVED" : "SENT").param("at", Sql.ts(change.at())).param("statusAt", inbound ? null : Sql.ts(change.at()))
                .param("now", Sql.ts(now)).param("readAt", inbound && (revoke || quiet) ? Sql.ts(now) : null)
                .param("editedAt", revoke ? null : Sql.ts(change.at())).param("deletedAt", revoke ? Sql.ts(change.at()) : null)
                .param("original", change.originalWamid()).param("sentFrom", inbound ? null : "BUSINESS_APP")
                .query(UUID.class).optional().orElse(null);
        if (id == null) {
            return MessageChange.Outcome.ALREADY_APPLIED;
        }
        if (!inbound) {
            conversations.outboundQueued(conversation, change.at());
        } else if (!revoke) {
            // The edited text is news to the team, as the message would have been.
            conversations.inboundStored(List.of(new ConversationsOfMessages.Arrival(conversation, change.at(), quiet)), now);
        }
        live.conversationChanged(tenant, conversation);
        return MessageChange.Outcome.WAITING_FOR_ORIGINAL;
    }

    /**
     * Edits and deletions that came before the messages they change (now stored): applied to them, oldest first,
     * and their stand-ins removed.
     */
    void applyWaitingChanges(java.util.Collection<String> wamids) {
        if (wamids.isEmpty()) {
            return;
        }
        UUID tenant = TenantContext.tenantId();
        List<MessageChange> waiting = jdbc.sql("""
                delete from messages where tenant_id = :tenant and edit_of = any(:wamids)
                returning wamid, edit_of, contact_id, connection_id, conversation_id, direction, body, content::text as content,
                          coalesce(deleted_at, edited_at, sent_at) as at, deleted_at is not null as revoke
                """)
                .param("tenant", tenant).param("wamids", wamids.toArray(new String[0]))
                .query((rs, n) -> {
                    live.conversationChanged(tenant, Sql.uuid(rs, "conversation_id"));
                    return new MessageChange(rs.getBoolean("revoke") ? MessageChange.Kind.REVOKE : MessageChange.Kind.EDIT,
                            Sql.uuid(rs, "contact_id"), Sql.uuid(rs, "connection_id"), MessageDirection.valueOf(rs.getString("direction")),
                            rs.getString("wamid"), rs.getString("edit_of"), rs.getString("body"), rs.getString("content"), Sql.instant(rs, "at"));
                })
                .list();
        waiting.stream().sorted(java.util.Comparator.comparing(MessageChange::at)).forEach(this::applyChange);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
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
