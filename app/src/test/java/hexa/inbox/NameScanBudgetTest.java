package hexa.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.SandboxCustomer;
import hexa.support.TunedIntegrationTest;
import hexa.support.Response;
import hexa.whatsapp.ConnectionService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A name the trigram index cannot read is looked for over every contact only within a time budget: in a workspace
 * too large for it, the search still answers at once, with the contacts of the newest conversations, and the
 * request's own transaction is not harmed by the scan that ran out of time. The tuned server's budget is 1 ms.
 */
class NameScanBudgetTest extends TunedIntegrationTest {

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    JdbcClient jdbc;

    @Test
    void a_scan_that_runs_out_of_time_leaves_the_contacts_of_the_newest_conversations() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Budget " + java.util.UUID.randomUUID().toString().substring(0, 6));
        Fixtures.TestWorkspace workspace = shop.workspace();
        ConnectionService.View number = shop.number();
        SandboxCustomer customer = shop.customer();
        ApiClient supervisor = api(fixtures.apiToken(workspace, Role.SUPERVISOR));
        java.util.UUID old = customer.writes("919800000650", "पुराना संदेश", "सुनीता वर्मा");
        java.util.UUID recent = customer.writes("919800000651", "नया संदेश", "अनीता वर्मा");
        NewerConversations.push(jdbc, workspace.id(), old, 30_000);
        jdbc.sql("update conversations set last_message_at = now() + interval '1 minute' where tenant_id = :t and id = :c")
                .param("t", workspace.id()).param("c", recent).update();

        Response response = supervisor.get("/api/v1/search?q=" + URLEncoder.encode("वर्मा", StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(200);
        JsonNode contacts = ApiClient.json(response).get("contacts");
        assertThat(contacts).as("only the newest conversations' contacts: 30,000 contacts take more than 1 ms to scan").hasSize(1);
        assertThat(contacts.get(0).get("conversationId").asString()).isEqualTo(recent.toString());
        assertThat(ApiClient.json(supervisor.get("/api/v1/search?q=sharma")).get("contacts")).as("later searches work").isEmpty();
    }
}
