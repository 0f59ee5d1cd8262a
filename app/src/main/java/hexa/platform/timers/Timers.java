package hexa.platform.timers;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Durable timers: "do this for that key at that time", kept in the database so that they survive restarts, fire once
 * when several app nodes share one database, and fire at the next start when the app was down at their time. Built on
 * a scheduling library on PostgreSQL (see docs/architecture.md), not on threads of our own. A timer is named by its
 * kind (one {@link TimerHandler} per kind) and a key unique within the kind (for example a rule's id and a
 * conversation's); setting a timer that exists moves it.
 *
 * <p>Times are the application clock's ({@link java.time.Clock}), so that tests which move that clock see timers fall
 * due. Setting and cancelling join the caller's transaction: a timer set by a use case that then fails is not set.
 */
public interface Timers {

    /** Sets the timer {@code kind}/{@code key} to fire at {@code at} with {@code data} (small: ids, not content); moves it if set. */
    void set(String kind, String key, Instant at, String data);

    /** A timer's time and data, for {@link #setAbsent}. */
    record Due(Instant at, String data) {
    }

    /**
     * Sets those of these timers that are not set, in one statement; a timer that is set (or firing) keeps its time.
     * For "start waiting unless it already is", many at once.
     */
    void setAbsent(String kind, Map<String, Due> timers);

    /** Cancels the timer; answers whether it was set. */
    boolean cancel(String kind, String key);

    /** When the timer fires, if it is set. */
    Optional<Instant> due(String kind, String key);
}
