package hexa.whatsapp;

import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code whatsapp_read_receipts} table: read receipts to send to Meta, and those sent. */
@Repository
class ReadReceiptRows {

    private static final int MAX_ERROR = 1000;

    private final JdbcClient jdbc;

    ReadReceiptRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A receipt claimed by this node, to send now. */
    record Claim(UUID tenantId, String wamid, UUID connectionId, int attempts) {
    }

    /**
     * Queues the receipt for a customer's message, once: false when it was queued (or sent) before.
     * Waiting receipts for earlier messages of the conversation are superseded, as Meta marks the
     * earlier messages read with the later one.
     */
    boolean queue(UUID conversationId, UUID connectionId, String wamid, Instant now) {
        UUID tenant = TenantContext.tenantId();
        int inserted = jdbc.sql("""
                insert into whatsapp_read_receipts (tenant_id, wamid, conversation_id, connection_id, state, next_attempt_at, created_at)
                values (:tenant, :wamid, :conversation, :connection, 'PENDING', :now, :now)
                on conflict (tenant_id, wamid) do nothing
                """)
                .param("tenant", tenant).param("wamid", wamid).param("conversation", conversationId).param("connection", connectionId)
                .param("now", Sql.ts(now)).update();
        if (inserted == 1) {
            jdbc.sql("""
                    update whatsapp_read_receipts set state = 'SUPERSEDED'
                     where tenant_id = :tenant and conversation_id = :conversation and state = 'PENDING' and wamid <> :wamid
                    """)
                    .param("tenant", tenant).param("conversation", conversationId).param("wamid", wamid).update();
        }
        return inserted == 1;
    }

    Optional<String> state(String wamid) {
        return jdbc.sql("select state from whatsapp_read_receipts where tenant_id = :tenant and wamid = :wamid")
                .param("tenant", TenantContext.tenantId()).param("wamid", wamid).query(String.class).optional();
    }

    /**
     * Takes the next due receipt of any workspace: counts the attempt and leases it, so that no other
     * node sends it meanwhile and a node that dies only delays it.
     */
    Optional<Claim> claimNextDue(Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                with due as (
                    select tenant_id, wamid from whatsapp_read_receipts
                     where state = 'PENDING' and next_attempt_at <= :now
                     order by next_attempt_at
                     limit 1
                       for update skip locked
                )
                update whatsapp_read_receipts r set attempts = r.attempts + 1, next_attempt_at = :lease
                  from due
                 where r.tenant_id = due.tenant_id and r.wamid = due.wamid
                returning r.tenant_id, r.wamid, r.connection_id, r.attempts
                """)
                .param("now", Sql.ts(now)).param("lease", Sql.ts(leaseUntil))
                .query((rs, n) -> new Claim(Sql.uuid(rs, "tenant_id"), rs.getString("wamid"), Sql.uuid(rs, "connection_id"),
                        rs.getInt("attempts")))
                .optional();
    }

    void sent(Claim claim, Instant now) {
        jdbc.sql("""
                update whatsapp_read_receipts set state = 'SENT', sent_at = :now, last_error = null
                 where tenant_id = :tenant and wamid = :wamid
                """)
                .param("now", Sql.ts(now)).param("tenant", claim.tenantId()).param("wamid", claim.wamid()).update();
    }

    /** A failed attempt: tried again at {@code next}, or given up on when {@code next} is null. */
    void failed(Claim claim, String error, Instant next) {
        jdbc.sql("""
                update whatsapp_read_receipts set state = :state, last_error = :error, next_attempt_at = coalesce(:next, next_attempt_at)
                 where tenant_id = :tenant and wamid = :wamid and state = 'PENDING'
                """)
                .param("state", next == null ? "FAILED" : "PENDING")
                .param("error", error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error)
                .param("next", Sql.ts(next)).param("tenant", claim.tenantId()).param("wamid", claim.wamid()).update();
    }
}
