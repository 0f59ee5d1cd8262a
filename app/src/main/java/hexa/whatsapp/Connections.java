package hexa.whatsapp;

import hexa.platform.database.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Connections {

    private final JdbcClient jdbc;

    Connections(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Claims the number for this workspace; answers false when another workspace already has it. */
    boolean claimNumber(UUID tenantId, UUID connectionId, String phoneNumberId) {
        return jdbc.sql("""
                insert into whatsapp_numbers (phone_number_id, tenant_id, connection_id) values (:number, :tenant, :connection)
                on conflict (phone_number_id) do nothing
                """)
                .param("number", phoneNumberId).param("tenant", tenantId).param("connection", connectionId)
                .update() == 1;
    }

    void insert(Connection c, Instant now) {
        jdbc.sql("""
                insert into whatsapp_connections (tenant_id, id, kind, app_id, app_secret_sealed, access_token_sealed, waba_id,
                    phone_number_id, display_phone_number, verified_name, graph_url, callback_key, verify_token_sealed, status,
                    status_detail, checked_at, created_at, updated_at)
                values (:tenant, :id, :kind, :appId, :secret, :token, :waba, :number, :display, :verifiedName, :graphUrl, :key,
                    :verify, :status, :detail, :checkedAt, :now, :now)
                """)
                .param("tenant", c.tenantId()).param("id", c.id()).param("kind", c.kind().name()).param("appId", c.appId())
                .param("secret", c.appSecretSealed()).param("token", c.accessTokenSealed()).param("waba", c.wabaId())
                .param("number", c.phoneNumberId()).param("display", c.displayPhoneNumber()).param("verifiedName", c.verifiedName())
                .param("graphUrl", c.graphUrl()).param("key", c.callbackKey()).param("verify", c.verifyTokenSealed())
                .param("status", c.status().name()).param("detail", c.statusDetail()).param("checkedAt", Sql.ts(c.checkedAt()))
                .param("now", Sql.ts(now))
                .update();
    }

    List<Connection> all(UUID tenantId) {
        return jdbc.sql("select * from whatsapp_connections where tenant_id = :tenant and status <> 'DISCONNECTED' order by created_at")
                .param("tenant", tenantId).query(Connections::map).list();
    }

    Optional<Connection> find(UUID tenantId, UUID id) {
        return jdbc.sql("select * from whatsapp_connections where tenant_id = :tenant and id = :id and status <> 'DISCONNECTED'")
                .param("tenant", tenantId).param("id", id).query(Connections::map).optional();
    }

    Optional<Connection> byCallbackKey(UUID tenantId, String key) {
        return jdbc.sql("select * from whatsapp_connections where tenant_id = :tenant and callback_key = :key and status <> 'DISCONNECTED'")
                .param("tenant", tenantId).param("key", key).query(Connections::map).optional();
    }

    /** Whether the workspace's connection takes changes for its number from another workspace's connection. */
    boolean sharedApproved(UUID tenantId, UUID connectionId, UUID viaConnectionId) {
        return jdbc.sql("""
                select exists (select 1 from whatsapp_shared_app_approvals
                                where tenant_id = :tenant and connection_id = :connection and via_connection_id = :via)
                """).param("tenant", tenantId).param("connection", connectionId).param("via", viaConnectionId)
                .query(Boolean.class).single();
    }

    boolean approveShared(UUID tenantId, UUID connectionId, Connection via, UUID approvedBy, Instant at) {
        return jdbc.sql("""
                insert into whatsapp_shared_app_approvals (tenant_id, connection_id, via_tenant_id, via_connection_id, via_phone_number,
                                                           approved_by, approved_at)
                values (:tenant, :connection, :viaTenant, :via, :viaNumber, :by, :at)
                on conflict do nothing
                """).param("tenant", tenantId).param("connection", connectionId).param("viaTenant", via.tenantId()).param("via", via.id())
                .param("viaNumber", via.displayPhoneNumber() == null ? via.phoneNumberId() : via.displayPhoneNumber())
                .param("by", approvedBy).param("at", hexa.platform.database.Sql.ts(at)).update() == 1;
    }

    boolean revokeShared(UUID tenantId, UUID connectionId, UUID viaConnectionId) {
        return jdbc.sql("delete from whatsapp_shared_app_approvals where tenant_id = :tenant and connection_id = :connection and via_connection_id = :via")
                .param("tenant", tenantId).param("connection", connectionId).param("via", viaConnectionId).update() == 1;
    }

    List<ConnectionService.SharedCallback> sharedApprovals(UUID tenantId, UUID connectionId) {
        return jdbc.sql("""
                select via_connection_id, via_phone_number, approved_at from whatsapp_shared_app_approvals
                 where tenant_id = :tenant and connection_id = :connection order by approved_at
                """).param("tenant", tenantId).param("connection", connectionId)
                .query((rs, n) -> new ConnectionService.SharedCallback(hexa.platform.database.Sql.uuid(rs, "via_connection_id"),
                        rs.getString("via_phone_number"), hexa.platform.database.Sql.instant(rs, "approved_at")))
                .list();
    }

    /** The connection a stored webhook came in on, whatever became of it since. */
    Optional<Connection> stored(UUID tenantId, UUID id) {
        return jdbc.sql("select * from whatsapp_connections where tenant_id = :tenant and id = :id")
                .param("tenant", tenantId).param("id", id).query(Connections::map).optional();
    }

    /** The live connection of a phone number, in whichever workspace has it. */
    Optional<Connection> liveByNumber(String phoneNumberId) {
        return jdbc.sql("""
                select c.* from whatsapp_numbers n
                  join whatsapp_connections c on c.tenant_id = n.tenant_id and c.id = n.connection_id
                 where n.phone_number_id = :number and c.status <> 'DISCONNECTED'
                """)
                .param("number", phoneNumberId).query(Connections::map).optional();
    }

    void recordCheck(UUID tenantId, UUID id, Connection.Status status, String detail, String displayPhoneNumber, String verifiedName, Instant at) {
        jdbc.sql("""
                update whatsapp_connections
                   set status = :status, status_detail = :detail, checked_at = :at, updated_at = :at,
                       display_phone_number = coalesce(:display, display_phone_number),
                       verified_name = coalesce(:verifiedName, verified_name)
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", tenantId).param("id", id).param("status", status.name()).param("detail", detail)
                .param("display", displayPhoneNumber).param("verifiedName", verifiedName).param("at", Sql.ts(at))
                .update();
    }

    void replaceSecrets(UUID tenantId, UUID id, String appSecretSealed, String accessTokenSealed, Instant at) {
        jdbc.sql("""
                update whatsapp_connections
                   set app_secret_sealed = coalesce(:secret, app_secret_sealed),
                       access_token_sealed = coalesce(:token, access_token_sealed), updated_at = :at
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", tenantId).param("id", id).param("secret", appSecretSealed).param("token", accessTokenSealed)
                .param("at", Sql.ts(at)).update();
    }

    /** Stops receiving for the number and frees it for another workspace; its history stays. */
    void disconnect(UUID tenantId, UUID id, Instant at) {
        jdbc.sql("update whatsapp_connections set status = 'DISCONNECTED', updated_at = :at where tenant_id = :tenant and id = :id")
                .param("tenant", tenantId).param("id", id).param("at", Sql.ts(at)).update();
        jdbc.sql("delete from whatsapp_numbers where tenant_id = :tenant and connection_id = :id")
                .param("tenant", tenantId).param("id", id).update();
    }

    /** Which of the workspace's numbers are also used in the WhatsApp Business app (coexistence). */
    java.util.Set<UUID> withCoexistence(UUID tenantId) {
        return new java.util.HashSet<>(jdbc.sql("select id from whatsapp_connections where tenant_id = :tenant and coexistence")
                .param("tenant", tenantId).query(UUID.class).list());
    }

    /**
     * Pauses the number's bulk lane after a pacing error: {@code first} after the first error, twice as long after each
     * one that follows without a bulk message accepted in between, at most {@code longest}. Errors answered while the
     * lane is already paused (calls that were under way together when Meta said "too fast") are one pause, not one each:
     * they do not lengthen it, though a graver error's own first pause (131048's quarter hour) still applies. Answers
     * until when.
     */
    Instant pauseBulk(UUID tenantId, UUID id, Duration first, Duration longest, String reason, Instant now) {
        return jdbc.sql("""
                update whatsapp_connections
                   set bulk_paused_until = case when bulk_paused_until > :now
                                                then greatest(bulk_paused_until, :now + make_interval(secs => :first))
                                                else :now + make_interval(secs => least(:longest, :first * power(2, least(bulk_pauses, 20)))) end,
                       bulk_pauses = case when bulk_paused_until > :now then bulk_pauses else bulk_pauses + 1 end,
                       bulk_pause_reason = case when bulk_paused_until >= :now + make_interval(secs => :first) then bulk_pause_reason else :reason end
                 where tenant_id = :tenant and id = :id
                returning bulk_paused_until
                """)
                .param("tenant", tenantId).param("id", id).param("now", Sql.ts(now)).param("first", (double) first.toSeconds())
                .param("longest", (double) longest.toSeconds()).param("reason", reason)
                .query((rs, n) -> Sql.instant(rs, "bulk_paused_until")).optional().orElse(now.plus(first));
    }

    /** The number's bulk lane sends again: the next pause starts short. */
    void bulkResumed(UUID tenantId, UUID id) {
        jdbc.sql("update whatsapp_connections set bulk_pauses = 0, bulk_pause_reason = null where tenant_id = :tenant and id = :id and bulk_pauses > 0")
                .param("tenant", tenantId).param("id", id).update();
    }

    /** The number's messaging limit as last read from Meta (unique customers per rolling 24 h); empty: unlimited or not known. */
    java.util.Optional<Integer> messagingLimit(UUID tenantId, UUID id) {
        return jdbc.sql("select messaging_limit from whatsapp_connections where tenant_id = :tenant and id = :id")
                .param("tenant", tenantId).param("id", id).query((rs, n) -> (Integer) rs.getObject("messaging_limit")).optional()
                .flatMap(java.util.Optional::ofNullable);
    }

    /** Stores the messaging limit Meta gave (null: unlimited). */
    void recordMessagingLimit(UUID tenantId, UUID id, Integer limit, Instant at) {
        jdbc.sql("update whatsapp_connections set messaging_limit = :limit, messaging_limit_checked_at = :at where tenant_id = :tenant and id = :id")
                .param("tenant", tenantId).param("id", id).param("limit", limit).param("at", Sql.ts(at)).update();
    }

    /** Switches coexistence on or off; false when it already was so. */
    boolean switchCoexistence(UUID tenantId, UUID id, boolean on, Instant at) {
        return jdbc.sql("""
                update whatsapp_connections set coexistence = :on, updated_at = :at
                 where tenant_id = :tenant and id = :id and coexistence <> :on
                """)
                .param("tenant", tenantId).param("id", id).param("on", on).param("at", Sql.ts(at)).update() > 0;
    }

    static Connection map(ResultSet rs, int row) throws SQLException {
        return new Connection(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), Connection.Kind.valueOf(rs.getString("kind")),
                rs.getString("app_id"), rs.getString("app_secret_sealed"), rs.getString("access_token_sealed"), rs.getString("waba_id"),
                rs.getString("phone_number_id"), rs.getString("display_phone_number"), rs.getString("verified_name"),
                rs.getString("graph_url"), rs.getString("callback_key"), rs.getString("verify_token_sealed"),
                Connection.Status.valueOf(rs.getString("status")), rs.getString("status_detail"), Sql.instant(rs, "checked_at"),
                Sql.instant(rs, "created_at"), rs.getInt("messages_per_second"));
    }
}
