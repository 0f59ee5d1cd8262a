package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.SandboxCustomer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Meta retries a webhook the app did not acknowledge in time, for days, and the sandbox does the same: while the app's
 * answers come too late (its database holds the webhook's insert behind a lock the test takes, longer than the sandbox's
 * receiver timeout), the webhook waits in the sandbox's retry backlog and is sent again and again; the app keeps the
 * message once however often it arrives; once the app answers in time the backlog drains.
 */
class MetaRetriesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    javax.sql.DataSource dataSource;

    private SandboxCustomer customer;

    @AfterEach
    void answersInTimeAgain() {
        if (customer != null) {
            customer.switches("{\"deliveryTimeoutMs\":5000,\"retryInitialDelayMs\":1000}");
        }
    }

    @Test
    void a_webhook_the_app_acknowledges_too_late_is_retried_from_the_backlog_stored_once_and_the_backlog_drains() {
        Fixtures.SandboxWorkspace withNumber = fixtures.withSandboxNumber("Retries Co");
        customer = withNumber.customer();
        long retriedBefore = sandboxStats().at("/webhooks/retried").asLong();
        assertThat(customer.switches("{\"deliveryTimeoutMs\":300,\"retryInitialDelayMs\":200}").status()).isEqualTo(200);

        String wamid;
        // The app cannot store a webhook while the test holds this lock: each attempt is answered too late. (A receiver
        // timeout of a millisecond is not enough: a warm app on an idle machine answers within it.)
        try (java.sql.Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (java.sql.Statement statement = lock.createStatement()) {
                statement.execute("lock table webhook_events in share row exclusive mode");
            }
            wamid = customer.sends("919800090020", "Are you open on Sunday?");

            // Attempts after 0, 0.2, 0.8 and 2.2 s, each answered too late: after a second the webhook still waits, retried twice.
            JsonNode waiting = Eventually.await(customer::webhookBacklog, b -> b.get("oldestAgeSeconds").asDouble() >= 1.0,
                    "the unacknowledged webhook waiting for a second", Duration.ofSeconds(20));
            assertThat(waiting.get("waiting").asInt()).isGreaterThanOrEqualTo(1);
            Eventually.until(() -> sandboxStats().at("/webhooks/retried").asLong() - retriedBefore >= 2, "two retries", Duration.ofSeconds(20));
            customer.switches("{\"deliveryTimeoutMs\":5000}");
            lock.rollback();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }

        customer.stored(wamid);
        Eventually.until(() -> customer.webhooksWaitingForRetry() == 0, "the sandbox's retry backlog for the app to drain", Duration.ofSeconds(30));
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t and wamid = :w").param("t", withNumber.workspace().id())
                .param("w", wamid).query(Integer.class).single()).as("kept once, however often it came").isEqualTo(1);
    }

    private JsonNode sandboxStats() {
        return ApiClient.json(sandboxControl().get("/sandbox/api/stats"));
    }
}
