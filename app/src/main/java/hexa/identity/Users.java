package hexa.identity;

import hexa.platform.database.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Users {

    private final JdbcClient jdbc;

    Users(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(User user, Instant at) {
        jdbc.sql("""
                insert into users (id, email, name, password_hash, password_changed_at, created_at, updated_at)
                values (:id, :email, :name, :hash, :at, :at, :at)
                """)
                .param("id", user.id()).param("email", user.email()).param("name", user.name())
                .param("hash", user.passwordHash()).param("at", Sql.ts(at))
                .update();
    }

    Optional<User> byEmail(String email) {
        return jdbc.sql("select * from users where lower(email) = lower(:email)").param("email", email.trim()).query(Users::map).optional();
    }

    Optional<User> byId(UUID id) {
        return jdbc.sql("select * from users where id = :id").param("id", id).query(Users::map).optional();
    }

    void rename(UUID id, String name, Instant at) {
        jdbc.sql("update users set name = :name, updated_at = :at where id = :id")
                .param("id", id).param("name", name).param("at", Sql.ts(at)).update();
    }

    void changePassword(UUID id, String hash, Instant at) {
        jdbc.sql("update users set password_hash = :hash, password_changed_at = :at, updated_at = :at where id = :id")
                .param("id", id).param("hash", hash).param("at", Sql.ts(at)).update();
    }

    void rememberWorkspace(UUID id, UUID workspaceId) {
        jdbc.sql("update users set last_workspace_id = :w where id = :id and last_workspace_id is distinct from :w")
                .param("id", id).param("w", workspaceId).update();
    }

    static User map(ResultSet rs, int row) throws SQLException {
        return new User(Sql.uuid(rs, "id"), rs.getString("email"), rs.getString("name"), rs.getString("password_hash"),
                Sql.instant(rs, "password_changed_at"), Sql.uuid(rs, "last_workspace_id"));
    }
}
