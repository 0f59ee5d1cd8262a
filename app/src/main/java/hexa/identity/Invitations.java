package hexa.identity;

import hexa.platform.access.Role;
import hexa.platform.database.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Invitations {

    private static final String SELECT = """
            select i.*, u.name as invited_by_name
              from invitations i join users u on u.id = i.invited_by
            """;

    private final JdbcClient jdbc;

    Invitations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Invitation invitation, String tokenHash) {
        jdbc.sql("""
                insert into invitations (tenant_id, id, email, role, token_hash, invited_by, created_at, expires_at)
                values (:tenant, :id, :email, :role, :hash, :by, :created, :expires)
                """)
                .param("tenant", invitation.tenantId()).param("id", invitation.id()).param("email", invitation.email())
                .param("role", invitation.role().name()).param("hash", tokenHash).param("by", invitation.invitedBy())
                .param("created", Sql.ts(invitation.createdAt())).param("expires", Sql.ts(invitation.expiresAt()))
                .update();
    }

    Optional<Invitation> byToken(UUID tenantId, String tokenHash) {
        return jdbc.sql(SELECT + " where i.tenant_id = :tenant and i.token_hash = :hash")
                .param("tenant", tenantId).param("hash", tokenHash).query(Invitations::map).optional();
    }

    Optional<Invitation> find(UUID tenantId, UUID id) {
        return jdbc.sql(SELECT + " where i.tenant_id = :tenant and i.id = :id")
                .param("tenant", tenantId).param("id", id).query(Invitations::map).optional();
    }

    List<Invitation> pending(UUID tenantId, Instant now) {
        return jdbc.sql(SELECT + " where i.tenant_id = :tenant and i.accepted_at is null and i.revoked_at is null and i.expires_at > :now order by i.created_at desc")
                .param("tenant", tenantId).param("now", Sql.ts(now)).query(Invitations::map).list();
    }

    /** Marks it used; answers false when it was already used, revoked or expired (single use). */
    boolean accept(UUID tenantId, UUID id, UUID userId, Instant now) {
        return jdbc.sql("""
                update invitations set accepted_at = :now, accepted_by = :user
                 where tenant_id = :tenant and id = :id
                   and accepted_at is null and revoked_at is null and expires_at > :now
                """)
                .param("tenant", tenantId).param("id", id).param("user", userId).param("now", Sql.ts(now))
                .update() == 1;
    }

    boolean revoke(UUID tenantId, UUID id, Instant now) {
        return jdbc.sql("update invitations set revoked_at = :now where tenant_id = :tenant and id = :id and accepted_at is null and revoked_at is null")
                .param("tenant", tenantId).param("id", id).param("now", Sql.ts(now)).update() == 1;
    }

    /** Earlier open invitations to the same address stop working when a new one is sent. */
    void revokePendingFor(UUID tenantId, String email, Instant now) {
        jdbc.sql("update invitations set revoked_at = :now where tenant_id = :tenant and lower(email) = lower(:email) and accepted_at is null and revoked_at is null")
                .param("tenant", tenantId).param("email", email).param("now", Sql.ts(now)).update();
    }

    static Invitation map(ResultSet rs, int row) throws SQLException {
        return new Invitation(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), rs.getString("email"), Role.valueOf(rs.getString("role")),
                Sql.uuid(rs, "invited_by"), rs.getString("invited_by_name"), Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"),
                Sql.instant(rs, "accepted_at"), Sql.instant(rs, "revoked_at"));
    }
}
