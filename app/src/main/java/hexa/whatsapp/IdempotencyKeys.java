package hexa.whatsapp;

import hexa.platform.crypto.Tokens;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.sql.SQLException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code Idempotency-Key} of {@code POST /api/v1/messages}: a client cut off (a crash, a lost connection) sends the
 * same request again with the same key and gets the first answer back, and nothing is sent twice. Keys belong to a
 * workspace and an API token (a person's session, to the person) and live {@value #HOURS} hours.
 *
 * <ol>
 * <li>The key is written in a short transaction of its own, "in progress" (no answer yet); an existing row is left
 *     alone (no lock is taken on it, so this never waits for a request in progress).</li>
 * <li>The request then runs in one transaction holding that row locked ({@code FOR UPDATE NOWAIT}): the message is
 *     queued and the answer stored with it, so either both happen or neither. A second request with the key finds the
 *     row locked and is answered 409; one finding an answer gets that answer, replayed.</li>
 * <li>A request that is refused (4xx) or fails queues nothing; its key is forgotten, so the corrected request may use
 *     it. A process that dies mid-request leaves the row unanswered and unlocked: the next request with the key runs.</li>
 * </ol>
 * The same key with another body is refused (422) while the key lives. Expired keys are purged hourly.
 */
@Component
class IdempotencyKeys {

    static final int HOURS = 24;
    static final int MAX_LENGTH = 255;
    /** PostgreSQL's answer to {@code NOWAIT} when another transaction holds the row. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final Duration LIFETIME = Duration.ofHours(HOURS);
    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    IdempotencyKeys(JdbcClient jdbc, TransactionTemplate transaction, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** An answer to give: its status and JSON body, and whether it is a replay of the first one. */
    record Answer(int status, String body, boolean replayed) {
    }

    /**
     * Answers the request once per key: {@code work} runs (in a transaction that stores its answer) unless an answer
     * for the key is kept, which is given back instead.
     */
    Answer once(String key, String requestBody, Supplier<Answer> work) {
        check(key);
        Actor actor = TenantContext.actor();
        UUID tenant = actor.tenantId();
        UUID caller = actor.tokenId() != null ? actor.tokenId() : actor.userId();
        String hash = Tokens.sha256(requestBody);
        Instant now = clock.instant();
        transaction.executeWithoutResult(status -> jdbc.sql("""
                insert into api_idempotency_keys (tenant_id, caller_id, key, request_hash, status, body, created_at)
                values (:tenant, :caller, :key, :hash, null, null, :now)
                on conflict (tenant_id, caller_id, key) do nothing
                """)
                .param("tenant", tenant).param("caller", caller).param("key", key).param("hash", hash)
                .param("now", Sql.ts(now)).update());
        try {
            return transaction.execute(status -> {
                Kept kept = lock(tenant, caller, key);
                if (kept.createdAt().isBefore(now.minus(LIFETIME))) {
                    // A day old and not yet purged: a new key, as far as anyone can tell.
                    jdbc.sql("""
                            update api_idempotency_keys set request_hash = :hash, status = null, body = null, created_at = :now
                             where tenant_id = :tenant and caller_id = :caller and key = :key
                            """)
                            .param("hash", hash).param("now", Sql.ts(now)).param("tenant", tenant).param("caller", caller).param("key", key).update();
                    kept = new Kept(hash, Optional.empty(), null, now);
                }
                if (!kept.hash().equals(hash)) {
                    throw new UserError(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused", "whatsapp.idempotency.key-reused", HOURS);
                }
                if (kept.status().isPresent()) {
                    return new Answer(kept.status().get(), kept.body(), true);
                }
                Answer answer = work.get();
                jdbc.sql("update api_idempotency_keys set status = :status, body = :body where tenant_id = :tenant and caller_id = :caller and key = :key")
                        .param("status", answer.status()).param("body", answer.body())
                        .param("tenant", tenant).param("caller", caller).param("key", key).update();
                return answer;
            });
        } catch (UserError e) {
            if (!"idempotency_key_reused".equals(e.code()) && !"idempotency_request_in_progress".equals(e.code())) {
                forget(tenant, caller, key);
            }
            throw e;
        } catch (RuntimeException e) {
            log.warn("A request with an idempotency key failed; its key is free again", e);
            forget(tenant, caller, key);
            throw e;
        }
    }

    private record Kept(String hash, Optional<Integer> status, String body, Instant createdAt) {
    }

    private Kept lock(UUID tenant, UUID caller, String key) {
        try {
            return jdbc.sql("""
                    select request_hash, status, body, created_at from api_idempotency_keys
                     where tenant_id = :tenant and caller_id = :caller and key = :key
                       for update nowait
                    """)
                    .param("tenant", tenant).param("caller", caller).param("key", key)
                    .query((rs, n) -> new Kept(rs.getString("request_hash"), Optional.ofNullable(rs.getObject("status", Integer.class)),
                            rs.getString("body"), Sql.instant(rs, "created_at")))
                    .optional()
                    // Purged between the two steps (a day-old key reused at the purge's moment): nothing was done with it.
                    .orElseThrow(() -> new UserError(HttpStatus.CONFLICT, "idempotency_request_in_progress", "whatsapp.idempotency.in-progress"));
        } catch (DataAccessException e) {
            if (e instanceof PessimisticLockingFailureException
                    || NestedExceptionUtils.getMostSpecificCause(e) instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                throw new UserError(HttpStatus.CONFLICT, "idempotency_request_in_progress", "whatsapp.idempotency.in-progress");
            }
            throw e;
        }
    }

    /** A request that changed nothing leaves no answer to replay: its key may be used again. */
    private void forget(UUID tenant, UUID caller, String key) {
        try {
            // Never waits: a row another request holds is that request's to finish.
            transaction.executeWithoutResult(status -> jdbc.sql("""
                    delete from api_idempotency_keys
                     where (tenant_id, caller_id, key) in (
                           select tenant_id, caller_id, key from api_idempotency_keys
                            where tenant_id = :tenant and caller_id = :caller and key = :key and status is null
                              for update skip locked)
                    """).param("tenant", tenant).param("caller", caller).param("key", key).update());
        } catch (RuntimeException e) {
            log.warn("Could not forget idempotency key of a refused request; it may be used again once its row is unlocked", e);
        }
    }

    /** 1 to 255 printable ASCII characters (as header values are), such as a UUID. */
    static void check(String key) {
        boolean valid = key != null && !key.isBlank() && key.length() <= MAX_LENGTH && key.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (!valid) {
            throw new UserError(HttpStatus.BAD_REQUEST, "idempotency_key_invalid", "whatsapp.idempotency.key-invalid", MAX_LENGTH);
        }
    }

    /** Keys older than a day are forgotten (every node may run this; it is one indexed delete). */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    int purge() {
        int purged = jdbc.sql("delete from api_idempotency_keys where created_at < :expired")
                .param("expired", Sql.ts(clock.instant().minus(LIFETIME))).update();
        if (purged > 0) {
            log.debug("Purged {} idempotency keys older than {} hours", purged, HOURS);
        }
        return purged;
    }
}
