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
class ApiTokens {

    /** Each token with its creator's membership now, read in the same statement: checking a token costs one read. */
    private static final String SELECT = """
            select t.*, u.name as created_by_name, m.role as creator_role, m.active as creator_active
              from api_tokens t
              join users u on u.id = t.created_by
              left join memberships m on m.tenant_id = t.tenant_id and m.user_id = t.created_by
            """;

    private static final String ORDER = " order by t.revoked_at nulls first, t.created_at desc, t.id";

    private final JdbcClient jdbc;

    ApiTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID tenantId, ApiToken token, String hash) {
        jdbc.sql("""
                insert into api_tokens (tenant_id, id, name, role, token_hash, hint, created_by, created_at, expires_at)
                values (:tenant, :id, :name, :role, :hash, :hint, :by, :at, :expires)
                """)
                .param("tenant", tenantId).param("id", token.id()).param("name", token.name()).param("role", token.role().name())
                .param("hash", hash).param("hint", token.hint()).param("by", token.createdBy()).param("at", Sql.ts(token.createdAt()))
                .param("expires", token.expiresAt() == null ? null : Sql.ts(token.expiresAt()))
                .update();
    }

    List<ApiToken> all(UUID tenantId) {
        return jdbc.sql(SELECT + " where t.tenant_id = :tenant" + ORDER)
                .param("tenant", tenantId).query(ApiTokens::map).list();
    }

    List<ApiToken> createdBy(UUID tenantId, UUID userId) {
        return jdbc.sql(SELECT + " where t.tenant_id = :tenant and t.created_by = :user" + ORDER)
                .param("tenant", tenantId).param("user", userId).query(ApiTokens::map).list();
    }

    Optional<ApiToken> find(UUID tenantId, UUID id) {
        return jdbc.sql(SELECT + " where t.tenant_id = :tenant and t.id = :id")
                .param("tenant", tenantId).param("id", id).query(ApiTokens::map).optional();
    }

    Optional<ApiToken> byHash(UUID tenantId, String hash) {
        return jdbc.sql(SELECT + " where t.tenant_id = :tenant and t.token_hash = :hash")
                .param("tenant", tenantId).param("hash", hash).query(ApiTokens::map).optional();
    }

    boolean revoke(UUID tenantId, UUID id, Instant at) {
        return jdbc.sql("update api_tokens set revoked_at = :at where tenant_id = :tenant and id = :id and revoked_at is null")
                .param("tenant", tenantId).param("id", id).param("at", Sql.ts(at)).update() == 1;
    }

    /**
     * Notes the use and where it came from. Called only when the last note is a minute old (the caller has just read
     * it), and the condition keeps two nodes noting the same minute from both writing.
     */
    void touch(UUID tenantId, UUID id, Instant at, String from) {
        jdbc.sql("""
                update api_tokens set last_used_at = :at, last_used_from = :from
                 where tenant_id = :tenant and id = :id
                   and (last_used_at is null or last_used_at <= :at - interval '1 minute')
                """)
                .param("tenant", tenantId).param("id", id).param("at", Sql.ts(at)).param("from", from).update();
    }

    static ApiToken map(ResultSet rs, int row) throws SQLException {
        String creatorRole = rs.getString("creator_role");
        boolean creatorActive = rs.getBoolean("creator_active");
        return new ApiToken(Sql.uuid(rs, "id"), rs.getString("name"), Role.valueOf(rs.getString("role")), rs.getString("hint"),
                Sql.uuid(rs, "created_by"), rs.getString("created_by_name"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "expires_at"), Sql.instant(rs, "last_used_at"), rs.getString("last_used_from"),
                Sql.instant(rs, "revoked_at"),
                creatorRole == null ? null : Role.valueOf(creatorRole), creatorRole == null ? null : creatorActive);
    }
}
