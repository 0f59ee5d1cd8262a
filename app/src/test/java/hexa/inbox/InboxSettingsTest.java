package hexa.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import hexa.whatsapp.ConnectionService;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Settings → Inbox: teams and what agents then see, canned responses in the composer, availability. */
class InboxSettingsTest extends HexaIntegrationTest {

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    InboxSettings inboxSettings;

    private Fixtures.TestWorkspace workspace;
    private ConnectionService.View number;
    private WebClient supervisor;
    private Fixtures.Person agentPerson;
    private WebClient agent;

    private hexa.support.SandboxCustomer customer;

    @BeforeEach
    void aWorkspace() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Settings Co " + UUID.randomUUID().toString().substring(0, 6));
        workspace = shop.workspace();
        number = shop.number();
        customer = shop.customer();
        Fixtures.Person supervisorPerson = fixtures.member(workspace, Role.SUPERVISOR);
        supervisor = browser();
        supervisor.signIn(supervisorPerson.email(), Fixtures.PASSWORD);
        agentPerson = fixtures.member(workspace, Role.AGENT);
        agent = browser();
        agent.signIn(agentPerson.email(), Fixtures.PASSWORD);
    }

    @Test
    void a_team_gives_its_agents_the_conversations_given_to_it() {
        UUID conversation = customer.writes("919800000301", "Quote for 50 units please");
        Fixtures.Person someoneElse = fixtures.member(workspace, Role.AGENT);
        supervisor.follow("/inbox/conversations/" + conversation + "/assign", Map.of("assignee", someoneElse.id().toString()));
        assertThat(agent.get("/inbox/conversations/" + conversation).status()).isEqualTo(404);

        Response created = supervisor.follow("/settings/inbox/teams", Map.of("name", "Sales"));
        assertThat(created.text()).contains("Team created.");
        UUID team = jdbc.sql("select id from teams where tenant_id = :t and name = 'Sales'").param("t", workspace.id()).query(UUID.class).single();
        supervisor.follow("/settings/inbox/teams/" + team, Map.of("name", "Sales", "member", agentPerson.id().toString()));
        supervisor.follow("/inbox/conversations/" + conversation + "/team", Map.of("team", team.toString()));

        assertThat(agent.get("/inbox/conversations/" + conversation).status()).isEqualTo(200);
        // A second team of the same name is refused; deleting the team leaves the conversation.
        assertThat(supervisor.follow("/settings/inbox/teams", Map.of("name", "sales")).text()).contains("already exists");
        supervisor.follow("/settings/inbox/teams/" + team + "/delete", Map.of());
        assertThat(jdbc.sql("select team_id from conversations where tenant_id = :t and id = :c").param("t", workspace.id()).param("c", conversation)
                .query(UUID.class).optional()).isEmpty();
        assertThat(agent.get("/inbox/conversations/" + conversation).status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action in ('inbox.team_created', 'inbox.team_deleted')")
                .param("t", workspace.id()).query(Integer.class).single()).isEqualTo(2);
    }

    @Test
    void agents_cannot_change_inbox_settings() {
        assertThat(agent.get("/settings/inbox").status()).isEqualTo(403);
        assertThat(agent.post("/settings/inbox/teams", Map.of("name", "Mine")).status()).isEqualTo(403);
        assertThat(jdbc.sql("select count(*) from teams where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
    }

    @Test
    void canned_responses_are_offered_in_the_composer_with_the_contacts_name_filled_in() {
        Response bad = supervisor.follow("/settings/inbox/canned", Map.of("shortcut", "Hello World!", "body", "x"));
        assertThat(bad.text()).contains("A shortcut is 1 to 32");
        supervisor.follow("/settings/inbox/canned", Map.of("shortcut", "/thanks", "body", "Thank you {{contact.first_name}}, {{agent.name}} here."));
        assertThat(supervisor.follow("/settings/inbox/canned", Map.of("shortcut", "thanks", "body", "again")).text()).contains("already taken");

        UUID conversation = customer.writes("919800000302", "Hi", "Meera Iyer");
        String page = agent.get("/inbox/conversations/" + conversation).text();
        assertThat(page).contains("data-shortcut=\"thanks\"").contains("data-body=\"Thank you Meera, " + agentPerson.name() + " here.\"");
    }

    @Test
    void an_agent_sets_themselves_away_and_back() {
        agent.follow("/inbox/availability", Map.of("available", "false"));
        assertThat(jdbc.sql("select available from member_availability where tenant_id = :t and user_id = :u").param("t", workspace.id())
                .param("u", agentPerson.id()).query(Boolean.class).single()).isFalse();
        assertThat(agent.get("/inbox").text()).contains("aria-pressed=\"false\"");
        agent.follow("/inbox/availability", Map.of("available", "true"));
        assertThat(agent.get("/inbox").text()).contains("aria-pressed=\"true\"");
    }

    @Test
    void several_files_go_out_in_order_and_a_refused_file_sends_none() {
        UUID conversation = customer.writes("919800000303", "Send me the brochure");
        byte[] pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] png = java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

        Response sent = agent.multipart("/inbox/conversations/" + conversation + "/attachments", Map.of("caption", "Our brochure"),
                java.util.List.of(new WebClient.FilePart("file", "brochure.pdf", "application/pdf", pdf),
                        new WebClient.FilePart("file", "photo.png", "image/png", png)));
        assertThat(sent.status()).isEqualTo(302);
        assertThat(agent.get(sent.location()).text()).contains("2 files are on their way, in order.");
        assertThat(jdbc.sql("select type from messages where tenant_id = :t and conversation_id = :c and direction = 'OUTBOUND' order by created_at, id")
                .param("t", workspace.id()).param("c", conversation).query(String.class).list()).containsExactly("document", "image");

        Response refused = agent.multipart("/inbox/conversations/" + conversation + "/attachments", Map.of(),
                java.util.List.of(new WebClient.FilePart("file", "ok.png", "image/png", png),
                        new WebClient.FilePart("file", "page.html", "text/html", "<html><script>x</script></html>".getBytes())));
        assertThat(refused.status()).isEqualTo(302);
        assertThat(agent.get(refused.location()).text()).contains("alert-warning");
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t and conversation_id = :c and direction = 'OUTBOUND'")
                .param("t", workspace.id()).param("c", conversation).query(Integer.class).single()).isEqualTo(2);
    }

    @Test
    void a_message_after_resolving_reopens_the_conversation_for_its_assignee_or_starts_a_new_one_as_the_workspace_chose() {
        UUID conversation = customer.writes("919800000311", "First question");
        supervisor.follow("/inbox/conversations/" + conversation + "/assign", Map.of("assignee", agentPerson.id().toString()));
        agent.follow("/inbox/conversations/" + conversation + "/status", Map.of("action", "resolve"));

        UUID again = customer.writes("919800000311", "One more thing");
        assertThat(again).isEqualTo(conversation);
        assertThat(jdbc.sql("select status || ' ' || assignee_id from conversations where tenant_id = :t and id = :c")
                .param("t", workspace.id()).param("c", conversation).query(String.class).single()).isEqualTo("OPEN " + agentPerson.id());

        supervisor.follow("/settings/inbox/after-resolved", Map.of("value", "NEW"));
        agent.follow("/inbox/conversations/" + conversation + "/status", Map.of("action", "resolve"));
        UUID fresh = customer.writes("919800000311", "A new topic");
        assertThat(fresh).isNotEqualTo(conversation);
        assertThat(jdbc.sql("select assignee_id from conversations where tenant_id = :t and id = :c").param("t", workspace.id()).param("c", fresh)
                .query(UUID.class).optional()).isEmpty();
    }

    @Test
    void round_robin_hands_new_conversations_to_available_members_of_the_team_in_turn() {
        Fixtures.Person second = fixtures.member(workspace, Role.AGENT);
        Fixtures.Person away = fixtures.member(workspace, Role.AGENT);
        supervisor.follow("/settings/inbox/teams", Map.of("name", "Support"));
        UUID team = jdbc.sql("select id from teams where tenant_id = :t").param("t", workspace.id()).query(UUID.class).single();
        try (var ignored = fixtures.actAsOwner(workspace)) {
            inboxSettings.setTeamMembers(team, java.util.Set.of(agentPerson.id(), second.id(), away.id()));
        }
        WebClient awayClient = browser();
        awayClient.signIn(away.email(), Fixtures.PASSWORD);
        awayClient.follow("/inbox/availability", Map.of("available", "false"));
        supervisor.follow("/settings/inbox/numbers/" + number.id(), Map.of("mode", "ROUND_ROBIN", "team", team.toString()));

        java.util.List<UUID> assignees = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UUID conversation = customer.writes("91980000032" + i, "Need help " + i);
            assignees.add(jdbc.sql("select assignee_id from conversations where tenant_id = :t and id = :c").param("t", workspace.id())
                    .param("c", conversation).query(UUID.class).single());
            assertThat(jdbc.sql("select team_id from conversations where tenant_id = :t and id = :c").param("t", workspace.id())
                    .param("c", conversation).query(UUID.class).single()).isEqualTo(team);
        }
        assertThat(assignees).doesNotContain(away.id()).containsOnly(agentPerson.id(), second.id());
        assertThat(assignees.get(0)).isNotEqualTo(assignees.get(1));
        assertThat(assignees.get(0)).isEqualTo(assignees.get(2));
        assertThat(jdbc.sql("select count(*) from inbox_notifications where tenant_id = :t and kind = 'ASSIGNED'").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(4);
    }

    // ---------------------------------------------------------------------------------------------
}
