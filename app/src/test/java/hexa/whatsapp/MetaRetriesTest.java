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
 * answers come too late (the sandbox's receiver timeout is set below what the app can do), the webhook waits in the
 * sandbox's retry backlog and is sent again and again; the app keeps the message once however often it arrives; once the
 * app answers in time the backlog drains.
 */
class MetaRetriesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

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
        assertThat(customer.switches("{\"deliveryTimeoutMs\":1,\"retryInitialDelayMs\":200}").status()).isEqualTo(200);

        String wamid = customer.sends("919800090020", "Are you open on Sunday?");

        // Attempts after 0, 0.2, 0.8 and 2.2 s, each answered too late: after a second the webhook still waits, retried twice.
        JsonNode waiting = Eventually.await(customer::webhookBacklog, b -> b.get("oldestAgeSeconds").asDouble() >= 1.0,
                "the unacknowledged webhook waiting for a second", Duration.ofSeconds(20));
        assertThat(waiting.get("waiting").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(sandboxStats().at("/webhooks/retried").asLong() - retriedBefore).isGreaterThanOrEqualTo(2);

        customer.switches("{\"deliveryTimeoutMs\":5000}");

        customer.stored(wamid);
        Eventually.until(() -> customer.webhooksWaitingForRetry() == 0, "the sandbox's retry backlog for the app to drain", Duration.ofSeconds(30));
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t and wamid = :w").param("t", withNumber.workspace().id())
                .param("w", wamid).query(Integer.class).single()).as("kept once, however often it came").isEqualTo(1);
    }

    private JsonNode sandboxStats() {
        return ApiClient.json(sandboxControl().get("/sandbox/api/stats"));
    }
}
