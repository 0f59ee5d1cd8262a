package hexa.identity;

import hexa.platform.database.Sql;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** People's second factors, their recovery codes, and which workspaces require one. */
@Repository
class TwoFactors {

    /** A person's second factor; {@code enabledAt} is null while the enrolment waits for its first code. */
    record Row(UUID userId, String secretSealed, Instant enabledAt, long lastUsedStep, String deviceKey) {
        boolean enabled() {
            return enabledAt != null;
        }
    }

    private final JdbcClient jdbc;

    TwoFactors(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Row> of(UUID userId) {
        return jdbc.sql("select * from two_factor where user_id = :user").param("user", userId)
                .query((rs, n) -> new Row(Sql.uuid(rs, "user_id"), rs.getString("secret_sealed"), Sql.instant(rs, "enabled_at"),
                        rs.getLong("last_used_step"), rs.getString("device_key")))
                .optional();
    }

    boolean enabled(UUID userId) {
        return jdbc.sql("select exists (select 1 from two_factor where user_id = :user and enabled_at is not null)")
                .param("user", userId).query(Boolean.class).single();
    }

    /** A new secret waiting for its first code; an earlier unconfirmed one is replaced, an enabled one is never. */
    boolean startEnrolment(UUID userId, String secretSealed, String deviceKey, Instant at) {
        return jdbc.sql("""
                insert into two_factor (user_id, secret_sealed, device_key, created_at) values (:user, :secret, :device, :at)
                on conflict (user_id) do update set secret_sealed = excluded.secret_sealed, device_key = excluded.device_key,
                    last_used_step = 0, created_at = excluded.created_at
                 where two_factor.enabled_at is null
                """)
                .param("user", userId).param("secret", secretSealed).param("device", deviceKey).param("at", Sql.ts(at))
                .update() == 1;
    }

    /** Records that the code of this step was used; false when it (or a later one) already was, by a racing request say. */
    boolean useStep(UUID userId, long step) {
        return jdbc.sql("update two_factor set last_used_step = :step where user_id = :user and last_used_step < :step")
                .param("user", userId).param("step", step).update() == 1;
    }

    void enable(UUID userId, Instant at) {
        jdbc.sql("update two_factor set enabled_at = :at where user_id = :user").param("user", userId).param("at", Sql.ts(at)).update();
    }

    void newDeviceKey(UUID userId, String deviceKey) {
        jdbc.sql("update two_factor set device_key = :device where user_id = :user").param("user", userId).param("device", deviceKey).update();
    }

    void remove(UUID userId) {
        jdbc.sql("delete from two_factor_recovery_codes where user_id = :user").param("user", userId).update();
        jdbc.sql("delete from two_factor where user_id = :user").param("user", userId).update();
    }

    void replaceRecoveryCodes(UUID userId, Collection<String> hashes) {
        jdbc.sql("delete from two_factor_recovery_codes where user_id = :user").param("user", userId).update();
        for (String hash : hashes) {
            jdbc.sql("insert into two_factor_recovery_codes (user_id, code_hash) values (:user, :hash)")
                    .param("user", userId).param("hash", hash).update();
        }
    }

    /** Spends an unused recovery code; false when there is no such code or it was used before. */
    boolean useRecoveryCode(UUID userId, String hash, Instant at) {
        return jdbc.sql("update two_factor_recovery_codes set used_at = :at where user_id = :user and code_hash = :hash and used_at is null")
                .param("user", userId).param("hash", hash).param("at", Sql.ts(at)).update() == 1;
    }

    int unusedRecoveryCodes(UUID userId) {
        return jdbc.sql("select count(*) from two_factor_recovery_codes where user_id = :user and used_at is null")
                .param("user", userId).query(Integer.class).single();
    }

    /** One query, asked on every request of a signed-in person. */
    boolean mustEnrol(UUID userId, UUID workspaceId) {
        return jdbc.sql("""
                select exists (select 1 from workspaces w where w.id = :workspace and w.require_two_factor
                   and not exists (select 1 from two_factor t where t.user_id = :user and t.enabled_at is not null))
                """).param("workspace", workspaceId).param("user", userId).query(Boolean.class).single();
    }

    boolean workspaceRequires(UUID workspaceId) {
        return jdbc.sql("select require_two_factor from workspaces where id = :id").param("id", workspaceId)
                .query(Boolean.class).optional().orElse(false);
    }

    void requireInWorkspace(UUID workspaceId, boolean required, Instant at) {
        jdbc.sql("update workspaces set require_two_factor = :required, updated_at = :at where id = :id")
                .param("id", workspaceId).param("required", required).param("at", Sql.ts(at)).update();
    }
}
