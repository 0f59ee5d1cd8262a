package hexa.support;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What reacts to a change (the listeners of its domain events) runs after the change commits. A test that
 * asserts a reaction waits for it here: a publication is written with the change that publishes it and
 * deleted when its listener completes, so once none is in flight every reaction so far has happened.
 */
public final class DomainEvents {

    private DomainEvents() {
    }

    public static boolean noneInFlight(JdbcClient jdbc) {
        return jdbc.sql("select not exists (select 1 from event_publication where completion_date is null"
                        + " and coalesce(status, 'PUBLISHED') <> 'FAILED')")
                .query(Boolean.class).single();
    }

    /** Waits until every domain event published so far has been handled. */
    public static void awaitHandled(JdbcClient jdbc) {
        Eventually.await(() -> noneInFlight(jdbc), Boolean::booleanValue, "the listeners of the domain events published so far");
    }
}
