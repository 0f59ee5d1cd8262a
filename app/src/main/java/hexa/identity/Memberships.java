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
class Memberships {

    private final JdbcClient jdbc;

    Memberships(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds a member, or brings back a deactivated one with the given role. */
    void upsert(UUID tenantId, UUID userId, Role role, Instant at) {
        jdbc.sql("""
                insert into memberships (tenant_id, user_id, role, active, created_at, updated_at)
                values (:tenant, :user, :role, true, :at, :at)
                on conflict (tenant_id, user_id) do update set role = excluded.role, active = true, updated_at = excluded.updated_at
                """)
                .param("tenant", tenantId).param("user", userId).param("role", role.name()).param("at", Sql.ts(at))
                .update();
    }

    Optional<Member> find(UUID tenantId, UUID userId) {
        return jdbc.sql("""
                select u.id as user_id, u.name, u.email, m.role, m.active, m.created_at
                  from memberships m join users u on u.id = m.user_id
                 where m.tenant_id = :tenant and m.user_id = :user
                """)
                .param("tenant", tenantId).param("user", userId)
                .query(Memberships::map).optional();
    }

    /** Locks the membership row for the rest of the transaction. */
    Optional<Member> findForUpdate(UUID tenantId, UUID userId) {
        return jdbc.sql("""
                select u.id as user_id, u.name, u.email, m.role, m.active, m.created_at
                  from memberships m join users u on u.id = m.user_id
                 where m.tenant_id = :tenant and m.user_id = :user
                   for update of m
                """)
                .param("tenant", tenantId).param("user", userId)
                .query(Memberships::map).optional();
    }

    List<Member> all(UUID tenantId) {
        return jdbc.sql("""
                select u.id as user_id, u.name, u.email, m.role, m.active, m.created_at
                  from memberships m join users u on u.id = m.user_id
                 where m.tenant_id = :tenant
                 order by m.active desc, lower(u.name), u.id
                """)
                .param("tenant", tenantId)
                .query(Memberships::map).list();
    }

    /** Counts active Owners while locking their rows, so two demotions cannot both pass the check. */
    int lockActiveOwners(UUID tenantId) {
        return jdbc.sql("select user_id from memberships where tenant_id = :tenant and role = 'OWNER' and active for update")
                .param("tenant", tenantId).query(UUID.class).list().size();
    }

    void changeRole(UUID tenantId, UUID userId, Role role, Instant at) {
        jdbc.sql("update memberships set role = :role, updated_at = :at where tenant_id = :tenant and user_id = :user")
                .param("tenant", tenantId).param("user", userId).param("role", role.name()).param("at", Sql.ts(at)).update();
    }

    void setActive(UUID tenantId, UUID userId, boolean active, Instant at) {
        jdbc.sql("update memberships set active = :active, updated_at = :at where tenant_id = :tenant and user_id = :user")
                .param("tenant", tenantId).param("user", userId).param("active", active).param("at", Sql.ts(at)).update();
    }

    /** The workspaces a person is an active member of (ids only). */
    List<UUID> activeWorkspacesOf(UUID userId) {
        return jdbc.sql("select tenant_id from memberships where user_id = :user and active order by created_at")
                .param("user", userId).query(UUID.class).list();
    }

    static Member map(ResultSet rs, int row) throws SQLException {
        return new Member(Sql.uuid(rs, "user_id"), rs.getString("name"), rs.getString("email"),
                Role.valueOf(rs.getString("role")), rs.getBoolean("active"), Sql.instant(rs, "created_at"));
    }
}
