package hexa.identity;

import hexa.platform.database.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class SingleSignOns {

    private final JdbcClient jdbc;

    SingleSignOns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<SingleSignOn> find(UUID tenantId) {
        return jdbc.sql("select * from single_sign_on where tenant_id = :tenant").param("tenant", tenantId)
                .query((rs, n) -> new SingleSignOn(rs.getObject("tenant_id", UUID.class), rs.getString("issuer"), rs.getString("client_id"),
                        rs.getString("client_secret_sealed"), rs.getBoolean("sso_only"), rs.getTimestamp("updated_at").toInstant()))
                .optional();
    }

    void save(UUID tenantId, String issuer, String clientId, String secretSealed, boolean ssoOnly, UUID by, Instant at) {
        jdbc.sql("""
                insert into single_sign_on (tenant_id, issuer, client_id, client_secret_sealed, sso_only, updated_at, updated_by)
                values (:tenant, :issuer, :client, :secret, :only, :at, :by)
                on conflict (tenant_id) do update set issuer = excluded.issuer, client_id = excluded.client_id,
                    client_secret_sealed = excluded.client_secret_sealed, sso_only = excluded.sso_only,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """)
                .param("tenant", tenantId).param("issuer", issuer).param("client", clientId).param("secret", secretSealed)
                .param("only", ssoOnly).param("at", Sql.ts(at)).param("by", by).update();
    }

    boolean delete(UUID tenantId) {
        return jdbc.sql("delete from single_sign_on where tenant_id = :tenant").param("tenant", tenantId).update() > 0;
    }

    /** The workspaces with single sign-on where this person is an active member, by name. */
    List<UUID> ofActiveMember(UUID userId) {
        return jdbc.sql("""
                select s.tenant_id from single_sign_on s
                  join memberships m on m.tenant_id = s.tenant_id and m.user_id = :user and m.active
                  join workspaces w on w.id = s.tenant_id
                 order by w.name, w.id
                """).param("user", userId).query(UUID.class).list();
    }

    boolean ssoOnly(UUID tenantId) {
        return jdbc.sql("select sso_only from single_sign_on where tenant_id = :tenant").param("tenant", tenantId)
                .query(Boolean.class).optional().orElse(false);
    }
}
