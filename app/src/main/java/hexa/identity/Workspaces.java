package hexa.identity;

import hexa.platform.database.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Workspaces {

    private final JdbcClient jdbc;

    Workspaces(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean anyExists() {
        return jdbc.sql("select exists (select 1 from workspaces)").query(Boolean.class).single();
    }

    void insert(Workspace workspace) {
        jdbc.sql("""
                insert into workspaces (id, name, time_zone, default_country, created_at, updated_at)
                values (:id, :name, :tz, :country, :at, :at)
                """)
                .param("id", workspace.id())
                .param("name", workspace.name())
                .param("tz", workspace.timeZone().getId())
                .param("country", workspace.defaultCountry())
                .param("at", Sql.ts(workspace.createdAt()))
                .update();
    }

    Optional<Workspace> find(UUID id) {
        return jdbc.sql("select * from workspaces where id = :id").param("id", id).query(Workspaces::map).optional();
    }

    void update(UUID id, String name, ZoneId timeZone, String country, Instant at) {
        jdbc.sql("update workspaces set name = :name, time_zone = :tz, default_country = :country, updated_at = :at where id = :id")
                .param("id", id).param("name", name).param("tz", timeZone.getId()).param("country", country).param("at", Sql.ts(at))
                .update();
    }

    /** The workspaces a person is an active member of, by name. */
    List<Workspace> ofUser(UUID userId) {
        return jdbc.sql("""
                select w.* from workspaces w
                  join memberships m on m.tenant_id = w.id
                 where m.user_id = :user and m.active
                 order by lower(w.name), w.id
                """)
                .param("user", userId)
                .query(Workspaces::map)
                .list();
    }

    static Workspace map(ResultSet rs, int row) throws SQLException {
        return new Workspace(Sql.uuid(rs, "id"), rs.getString("name"), ZoneId.of(rs.getString("time_zone")),
                rs.getString("default_country"), Sql.instant(rs, "created_at"));
    }
}
