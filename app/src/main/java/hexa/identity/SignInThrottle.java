package hexa.identity;

import hexa.platform.config.HexaProperties;
import hexa.platform.database.Sql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Slows down, then locks, repeated failed sign-ins, counted per account <em>from one address</em> and per address.
 * After a few failures each further attempt must wait longer (1 s, 2 s, 4 s … up to a cap); after many,
 * the account is locked from that address, or the address for every account, for a while. An account is never
 * slowed down or locked as a whole: whoever knows an email address could otherwise keep its owner out for good
 * by failing on purpose. Guessing one account's password from many addresses is slowed by each address's own
 * count, and stopped by the password rules and two-factor authentication. The count starts again after a quiet period with no
 * failure, so a patient attacker who waits out each slow-down still reaches the lock. Counts are kept in the database so that every
 * app node sees the same.
 */
@Component
class SignInThrottle {

    /** What may happen with the next attempt. */
    sealed interface Verdict {
        record Allowed() implements Verdict {
        }

        record SlowDown(long waitSeconds) implements Verdict {
        }

        record AccountLocked(long minutes) implements Verdict {
        }

        record AddressLocked(long minutes) implements Verdict {
        }
    }

    /** What a failure led to. */
    enum Consequence { NONE, ACCOUNT_LOCKED, ADDRESS_LOCKED }

    private static final int ADDRESS_SLOWDOWN_FACTOR = 4;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final HexaProperties.SignIn rules;

    SignInThrottle(JdbcClient jdbc, Clock clock, HexaProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.rules = properties.signIn();
    }

    Verdict check(String email, String address) {
        Instant now = clock.instant();
        State account = state(accountKey(email, address));
        State origin = state(addressKey(address));
        if (origin != null && origin.lockedUntil != null && origin.lockedUntil.isAfter(now)) {
            return new Verdict.AddressLocked(minutesUntil(now, origin.lockedUntil));
        }
        if (account != null && account.lockedUntil != null && account.lockedUntil.isAfter(now)) {
            return new Verdict.AccountLocked(minutesUntil(now, account.lockedUntil));
        }
        Instant wait = later(account == null ? null : account.nextAttemptAt, origin == null ? null : origin.nextAttemptAt);
        if (wait != null && wait.isAfter(now)) {
            return new Verdict.SlowDown(Math.max(1, (Duration.between(now, wait).toMillis() + 999) / 1000));
        }
        return new Verdict.Allowed();
    }

    Consequence recordFailure(String email, String address) {
        Instant now = clock.instant();
        boolean accountLocked = fail(accountKey(email, address), now, rules.failuresBeforeSlowdown(), rules.failuresBeforeAccountLock());
        boolean addressLocked = fail(addressKey(address), now, rules.failuresBeforeSlowdown() * ADDRESS_SLOWDOWN_FACTOR,
                rules.failuresBeforeAddressLock());
        if (accountLocked) {
            return Consequence.ACCOUNT_LOCKED;
        }
        return addressLocked ? Consequence.ADDRESS_LOCKED : Consequence.NONE;
    }

    void recordSuccess(String email, String address) {
        jdbc.sql("delete from sign_in_throttle where key = :key").param("key", accountKey(email, address)).update();
    }

    /** Counts one failure; answers true when this failure placed a lock. */
    private boolean fail(String key, Instant now, int slowdownAfter, int lockAfter) {
        Instant windowStart = now.minus(rules.failureWindow());
        int failures = jdbc.sql("""
                insert into sign_in_throttle (key, failures, last_failure_at) values (:key, 1, :now)
                on conflict (key) do update set
                    failures = case when sign_in_throttle.last_failure_at < :windowStart
                                      or sign_in_throttle.locked_until <= :now then 1
                                    else sign_in_throttle.failures + 1 end,
                    last_failure_at = :now,
                    locked_until = case when sign_in_throttle.locked_until <= :now then null
                                        else sign_in_throttle.locked_until end
                returning failures
                """)
                .param("key", key).param("now", Sql.ts(now)).param("windowStart", Sql.ts(windowStart))
                .query(Integer.class).single();
        Instant lockedUntil = failures >= lockAfter ? now.plus(rules.lockDuration()) : null;
        Instant nextAttempt = null;
        if (failures >= slowdownAfter) {
            long seconds = 1L << Math.min(20, failures - slowdownAfter);
            nextAttempt = now.plus(Duration.ofSeconds(Math.min(seconds, rules.maxSlowdown().toSeconds())));
        }
        jdbc.sql("update sign_in_throttle set next_attempt_at = :next, locked_until = coalesce(locked_until, :locked) where key = :key")
                .param("key", key).param("next", Sql.ts(nextAttempt)).param("locked", Sql.ts(lockedUntil))
                .update();
        return failures == lockAfter;
    }

    private State state(String key) {
        return jdbc.sql("select next_attempt_at, locked_until from sign_in_throttle where key = :key")
                .param("key", key)
                .query((rs, n) -> new State(Sql.instant(rs, "next_attempt_at"), Sql.instant(rs, "locked_until")))
                .optional().orElse(null);
    }

    private record State(Instant nextAttemptAt, Instant lockedUntil) {
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static long minutesUntil(Instant now, Instant until) {
        return Math.max(1, (Duration.between(now, until).toSeconds() + 59) / 60);
    }

    /** One account as tried from one address. */
    private static String accountKey(String email, String address) {
        return "account:" + (email == null ? "" : email.trim().toLowerCase(Locale.ROOT)) + " from:" + (address == null ? "unknown" : address);
    }

    private static String addressKey(String address) {
        return "address:" + (address == null ? "unknown" : address);
    }
}
