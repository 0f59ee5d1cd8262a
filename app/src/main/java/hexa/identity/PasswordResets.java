package hexa.identity;

import hexa.platform.database.Sql;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** One-time links to set a new password, mailed to the account's address; kept as hashes. */
@Repository
class PasswordResets {

    /** A reset link as stored. */
    record Reset(UUID id, UUID userId, Instant expiresAt, Instant usedAt) {

        boolean usableAt(Instant now) {
            return usedAt == null && expiresAt.isAfter(now);
        }
    }

    private final JdbcClient jdbc;

    PasswordResets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID userId, String tokenHash, Instant createdAt, Instant expiresAt) {
        jdbc.sql("""
                insert into password_resets (id, user_id, token_hash, created_at, expires_at)
                values (:id, :user, :hash, :created, :expires)
                """)
                .param("id", id).param("user", userId).param("hash", tokenHash)
                .param("created", Sql.ts(createdAt)).param("expires", Sql.ts(expiresAt))
                .update();
    }

    int countSince(UUID userId, Instant since) {
        return jdbc.sql("select count(*) from password_resets where user_id = :user and created_at > :since")
                .param("user", userId).param("since", Sql.ts(since)).query(Integer.class).single();
    }

    Optional<Reset> byToken(String tokenHash) {
        return jdbc.sql("select id, user_id, expires_at, used_at from password_resets where token_hash = :hash")
                .param("hash", tokenHash)
                .query((rs, n) -> new Reset(Sql.uuid(rs, "id"), Sql.uuid(rs, "user_id"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "used_at")))
                .optional();
    }

    /** Marks it used; answers false when it was used or had expired meanwhile (single use, even for two requests at once). */
    boolean use(UUID id, Instant now) {
        return jdbc.sql("update password_resets set used_at = :now where id = :id and used_at is null and expires_at > :now")
                .param("id", id).param("now", Sql.ts(now)).update() == 1;
    }

    /** Spends every other open link of the person: the password they were sent for is gone. */
    void spendAllOf(UUID userId, Instant now) {
        jdbc.sql("update password_resets set used_at = :now where user_id = :user and used_at is null")
                .param("user", userId).param("now", Sql.ts(now)).update();
    }
}
