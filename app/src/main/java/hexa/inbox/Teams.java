package hexa.inbox;

import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The workspace's teams and who is in them. */
@Repository
class Teams {

    private final JdbcClient jdbc;

    Teams(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Team> all() {
        return jdbc.sql("""
                select t.id, t.name, array(select m.user_id from team_members m where m.tenant_id = t.tenant_id and m.team_id = t.id) as members
                  from teams t where t.tenant_id = :tenant order by lower(t.name)
                """)
                .param("tenant", TenantContext.tenantId())
                .query((rs, n) -> new Team(Sql.uuid(rs, "id"), rs.getString("name"),
                        new ArrayList<>(Arrays.asList((UUID[]) rs.getArray("members").getArray()))))
                .list();
    }

    String name(UUID id) {
        if (id == null) {
            return null;
        }
        return jdbc.sql("select name from teams where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(String.class).optional().orElse(null);
    }
}
