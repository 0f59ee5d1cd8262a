package hexa.inbox;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.time.Instant;
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
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        UUID conversation = liveConversation(tenant, message.contactId(), message.connectionId(), message.sentAt());
        int inserted = jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content,
                                      reply_to_wamid, forwarded, frequently_forwarded, status, sent_at, created_at)
                values (:tenant, :id, :conversation, :contact, 'INBOUND', :wamid, :type, :body, cast(:content as jsonb),
                        :replyTo, :forwarded, :frequently, 'RECEIVED', :sentAt, :now)
                on conflict (tenant_id, wamid) where wamid is not null do nothing
                """)
                .param("tenant", tenant).param("id", Ids.newId()).param("conversation", conversation)
                .param("contact", message.contactId()).param("wamid", message.wamid()).param("type", message.type())
                .param("body", message.body()).param("content", message.content()).param("replyTo", message.replyToWamid())
                .param("forwarded", message.forwarded()).param("frequently", message.frequentlyForwarded())
                .param("sentAt", Sql.ts(message.sentAt())).param("now", Sql.ts(now))
                .update();
        if (inserted == 1) {
            jdbc.sql("""
                    update conversations
                       set last_message_at = greatest(last_message_at, :at), last_inbound_at = greatest(coalesce(last_inbound_at, :at), :at)
                     where tenant_id = :tenant and id = :id
                    """)
                    .param("tenant", tenant).param("id", conversation).param("at", Sql.ts(message.sentAt())).update();
        }
        return inserted == 1;
    }

    /**
     * Records a status once per message and status, then moves the message forward if this status is
     * further along than the one it has; late, duplicate or out-of-order statuses never move it back.
     */
    @Transactional
    public void applyStatus(StatusUpdate update) {
        UUID tenant = TenantContext.tenantId();
        jdbc.sql("""
                insert into message_status_events (tenant_id, wamid, status, occurred_at, recipient_id, errors, pricing, received_at)
                values (:tenant, :wamid, :status, :at, :recipient, cast(:errors as jsonb), cast(:pricing as jsonb), :now)
                on conflict (tenant_id, wamid, status) do nothing
                """)
                .param("tenant", tenant).param("wamid", update.wamid()).param("status", update.status().name())
                .param("at", Sql.ts(update.occurredAt())).param("recipient", update.recipientId())
                .param("errors", update.errorsJson()).param("pricing", update.pricingJson()).param("now", Sql.ts(clock.instant()))
                .update();
        jdbc.sql("""
                update messages
                   set status = :status, status_at = :at,
                       error_code = coalesce(:code, error_code), error_title = coalesce(:title, error_title),
                       error_details = coalesce(:details, error_details)
                 where tenant_id = :tenant and wamid = :wamid and direction = 'OUTBOUND'
                   and status <> 'FAILED'
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

    private UUID liveConversation(UUID tenant, UUID contact, UUID connection, Instant at) {
        UUID existing = jdbc.sql("""
                select id from conversations
                 where tenant_id = :tenant and contact_id = :contact and connection_id = :connection and status <> 'RESOLVED'
                """)
                .param("tenant", tenant).param("contact", contact).param("connection", connection)
                .query(UUID.class).optional().orElse(null);
        if (existing != null) {
            return existing;
        }
        jdbc.sql("""
                insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at)
                values (:tenant, :id, :contact, :connection, 'OPEN', :at, :at)
                on conflict (tenant_id, contact_id, connection_id) where status <> 'RESOLVED' do nothing
                """)
                .param("tenant", tenant).param("id", Ids.newId()).param("contact", contact).param("connection", connection)
                .param("at", Sql.ts(at)).update();
        return jdbc.sql("""
                select id from conversations
                 where tenant_id = :tenant and contact_id = :contact and connection_id = :connection and status <> 'RESOLVED'
                """)
                .param("tenant", tenant).param("contact", contact).param("connection", connection)
                .query(UUID.class).single();
    }
}
