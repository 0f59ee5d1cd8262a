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

    private static final String SELECT = """
            select t.*, u.name as created_by_name
              from api_tokens t join users u on u.id = t.created_by
            """;

    private final JdbcClient jdbc;

    ApiTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID tenantId, ApiToken token, String hash) {
        jdbc.sql("""
                insert into api_tokens (tenant_id, id, name, role, token_hash, hint, created_by, created_at)
                values (:tenant, :id, :name, :role, :hash, :hint, :by, :at)
                """)
                .param("tenant", tenantId).param("id", token.id()).param("name", token.name()).param("role", token.role().name())
                .param("hash", hash).param("hint", token.hint()).param("by", token.createdBy()).param("at", Sql.ts(token.createdAt()))
                .update();
    }

    List<ApiToken> all(UUID tenantId) {
        return jdbc.sql(SELECT + " where t.tenant_id = :tenant order by t.revoked_at nulls first, t.created_at desc")
                .param("tenant", tenantId).query(ApiTokens::map).list();
    }

    Optional<ApiToken> find(UUID tenantId, UUID id) {
        return jdbc.sql(SELECT + " where t.tenant_id = :tenant and t.id = :id")
                .param("tenant", tenantId).param("id", id).query(ApiTokens::map).optional();
    }

    Optional<ApiToken> activeByHash(UUID tenantId, String hash) {
        return jdbc.sql(SELECT + " where t.tenant_id = :tenant and t.token_hash = :hash and t.revoked_at is null")
                .param("tenant", tenantId).param("hash", hash).query(ApiTokens::map).optional();
    }

    boolean revoke(UUID tenantId, UUID id, Instant at) {
        return jdbc.sql("update api_tokens set revoked_at = :at where tenant_id = :tenant and id = :id and revoked_at is null")
                .param("tenant", tenantId).param("id", id).param("at", Sql.ts(at)).update() == 1;
    }

    /** Notes the use at most once a minute per token, so busy integrations do not write on every call. */
    void touch(UUID tenantId, UUID id, Instant at) {
        jdbc.sql("""
                update api_tokens set last_used_at = :at
                 where tenant_id = :tenant and id = :id
                   and (last_used_at is null or last_used_at < :at - interval '1 minute')
                """)
                .param("tenant", tenantId).param("id", id).param("at", Sql.ts(at)).update();
    }

    static ApiToken map(ResultSet rs, int row) throws SQLException {
        return new ApiToken(Sql.uuid(rs, "id"), rs.getString("name"), Role.valueOf(rs.getString("role")), rs.getString("hint"),
                Sql.uuid(rs, "created_by"), rs.getString("created_by_name"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "last_used_at"), Sql.instant(rs, "revoked_at"));
    }
}
