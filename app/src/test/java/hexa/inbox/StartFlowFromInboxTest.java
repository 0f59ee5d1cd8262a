package hexa.inbox;

import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * An agent starts a published chatbot flow from the conversation's "Start a flow" menu, a plain form post: the
 * customer's phone receives the flow's first message, the conversation notes who started which flow, the audit trail
 * records it. A second flow while one is going is refused; so is a flow outside the 24-hour window and one for a
 * blocked contact, with nothing sent; another workspace's flow is not found.
 */
class StartFlowFromInboxTest extends HexaIntegrationTest {

    private static final String ASKS_FOR_THE_ORDER = """
            {"start":"hello","steps":[
              {"id":"hello","type":"send","message":{"kind":"text","text":"Hello from the order desk"},"next":"number"},
              {"id":"number","type":"ask","message":{"kind":"text","text":"What is your order number?"},"next":"bye"},
              {"id":"bye","type":"end"}]}
            """;

    @Autowired
    JdbcClient jdbc;

    private Fixtures.SandboxWorkspace shop;
    private Fixtures.Person agentPerson;
    private WebClient agent;
    private ApiClient admin;

    @BeforeEach
    void aShopWithAnAgentAndNoFlowsYet() {
        shop = fixtures.withSandboxNumber("Flow Button Co " + UUID.randomUUID().toString().substring(0, 6));
        agentPerson = fixtures.member(shop.workspace(), Role.AGENT);
        agent = browser();
        agent.signIn(agentPerson.email(), Fixtures.PASSWORD);
        admin = api(fixtures.apiToken(shop.workspace(), Role.ADMIN));
    }

    @Test
    void an_agent_starts_a_flow_and_the_customer_receives_its_first_message() {
        UUID conversation = shop.customer().writes("919800007001", "Where is my parcel?");
        String empty = agent.get("/inbox/conversations/" + conversation).text();
        assertThat(empty).contains("data-testid=\"start-flow\"", "data-testid=\"no-flows\"")
                .as("agents do not manage automation: no link to the flows page").doesNotContain("data-testid=\"flows-page-link\"");
        WebClient owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.get("/inbox/conversations/" + conversation).text()).contains("data-testid=\"flows-page-link\"");

        String flow = publishedFlow("Order desk");
        createFlow("Draft only");
        String menu = agent.get("/inbox/conversations/" + conversation).text();
        assertThat(menu).contains("data-testid=\"flow-choice\"", "value=\"" + flow + "\"", "Order desk").doesNotContain("Draft only");

        Response started = agent.post("/inbox/conversations/" + conversation + "/flows", Map.of("flow", flow, "back", "view=unassigned"));
        assertThat(started.status()).isEqualTo(302);
        assertThat(started.location()).contains("/inbox/conversations/" + conversation + "?view=unassigned");
        String page = agent.get(started.location()).text();
        assertThat(page).contains("Flow “Order desk” started.", "Flow “Order desk” started by " + agentPerson.name());
        until(() -> business("919800007001").contains("Hello from the order desk"), "the customer's phone to receive the flow's first message");
        until(() -> business("919800007001").contains("What is your order number?"), "the flow's question");
        assertThat(jdbc.sql("select started_by from automation_flow_runs where tenant_id = :t and conversation_id = :c")
                .param("t", shop.id()).param("c", conversation).query(String.class).single()).isEqualTo(agentPerson.name());
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'inbox.flow_started'").param("t", shop.id())
                .query(Integer.class).single()).isEqualTo(1);

        // One flow at a time: a second start while the first waits for the customer is refused, the first goes on.
        String again = agent.follow("/inbox/conversations/" + conversation + "/flows", Map.of("flow", flow)).text();
        assertThat(again).contains("A flow is already going in this conversation");
        assertThat(runs(conversation)).isEqualTo(1);
        assertThat(outbound(conversation)).isEqualTo(2);

        // The customer answers; the flow ends; the agent may start it again.
        shop.customer().writes("919800007001", "A-1042");
        until(() -> jdbc.sql("select count(*) from automation_flow_runs where tenant_id = :t and conversation_id = :c and state = 'ended'")
                .param("t", shop.id()).param("c", conversation).query(Integer.class).single() == 1, "the run to end");
        assertThat(agent.follow("/inbox/conversations/" + conversation + "/flows", Map.of("flow", flow)).text()).contains("Flow “Order desk” started.");
        assertThat(runs(conversation)).isEqualTo(2);

        Fixtures.TestWorkspace other = fixtures.workspace("Other Flow Co " + UUID.randomUUID().toString().substring(0, 6));
        String theirs = ApiClient.json(api(fixtures.apiToken(other, Role.ADMIN)).send("POST", "/api/v1/automation/flows",
                "{\"name\":\"Theirs\",\"keywords\":[]}")).get("id").asString();
        api(fixtures.apiToken(other, Role.ADMIN)).send("POST", "/api/v1/automation/flows/" + theirs + "/publish", "");
        assertThat(agent.post("/inbox/conversations/" + conversation + "/flows", Map.of("flow", theirs)).status()).as("another workspace's flow")
                .isEqualTo(404);
        assertThat(agent.post("/inbox/conversations/" + conversation + "/flows", Map.of("flow", "not-an-id")).status()).isEqualTo(404);
        WebClient stranger = browser();
        stranger.signIn(other.owner().email(), Fixtures.PASSWORD);
        assertThat(stranger.post("/inbox/conversations/" + conversation + "/flows", Map.of("flow", theirs)).status()).as("another workspace's conversation")
                .isEqualTo(404);
        assertThat(runs(conversation)).isEqualTo(2);
    }

    @Test
    void outside_the_window_or_for_a_blocked_contact_nothing_starts_and_the_agent_is_told_why() {
        String flow = publishedFlow("Order desk");
        UUID late = shop.customer().writes("919800007011", "Hello?");
        clock.advance(Duration.ofHours(25));
        String closed = agent.get("/inbox/conversations/" + late).text();
        assertThat(closed).contains("data-window=\"closed\"", "a flow can start once the customer writes again");
        String refused = agent.follow("/inbox/conversations/" + late + "/flows", Map.of("flow", flow)).text();
        assertThat(refused).contains("The 24-hour window is closed, so flow “Order desk” cannot write to the customer: nothing was started.")
                .doesNotContain("started by");
        assertThat(runs(late)).isZero();
        assertThat(outbound(late)).isZero();

        UUID blocked = shop.customer().writes("919800007012", "Stop writing to me");
        UUID contact = jdbc.sql("select contact_id from conversations where tenant_id = :t and id = :c").param("t", shop.id()).param("c", blocked)
                .query(UUID.class).single();
        assertThat(admin.send("POST", "/api/v1/contacts/" + contact + "/block", "").status()).isEqualTo(200);
        assertThat(agent.follow("/inbox/conversations/" + blocked + "/flows", Map.of("flow", flow)).text())
                .contains("This contact is blocked: flows do not start for them.");
        assertThat(runs(blocked)).isZero();
        assertThat(outbound(blocked)).isZero();
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'inbox.flow_started'").param("t", shop.id())
                .query(Integer.class).single()).isZero();
    }

    private String publishedFlow(String name) {
        String id = createFlow(name);
        Response published = admin.send("POST", "/api/v1/automation/flows/" + id + "/publish", "");
        assertThat(published.status()).as(published.text()).isEqualTo(200);
        return id;
    }

    private String createFlow(String name) {
        Response created = admin.send("POST", "/api/v1/automation/flows", "{\"name\":\"" + name + "\",\"keywords\":[],\"draft\":" + ASKS_FOR_THE_ORDER + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return ApiClient.json(created).get("id").asString();
    }

    private int runs(UUID conversation) {
        return jdbc.sql("select count(*) from automation_flow_runs where tenant_id = :t and conversation_id = :c").param("t", shop.id())
                .param("c", conversation).query(Integer.class).single();
    }

    private int outbound(UUID conversation) {
        return jdbc.sql("select count(*) from messages where tenant_id = :t and conversation_id = :c and direction = 'OUTBOUND'").param("t", shop.id())
                .param("c", conversation).query(Integer.class).single();
    }

    /** What the business sent this customer, as their phone shows it. */
    private String business(String waId) {
        StringBuilder lines = new StringBuilder();
        for (JsonNode line : shop.customer().chat(waId).get("lines")) {
            if ("business".equals(line.get("from").asString())) {
                lines.append(line.get("content").toString()).append('\n');
            }
        }
        return lines.toString();
    }
}
