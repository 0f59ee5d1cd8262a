package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class MembersTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void the_last_owner_can_be_neither_demoted_nor_deactivated() {
        var workspace = fixtures.workspace("Last Owner Co");
        WebClient owner = signedIn(workspace.owner());

        owner.post("/settings/members/" + workspace.owner().id() + "/role", Map.of("role", "ADMIN"));
        assertThat(owner.get("/settings/members").text()).contains("always keeps at least one active Owner");
        assertThat(role(workspace, workspace.owner())).isEqualTo("OWNER");

        var secondOwner = fixtures.member(workspace, Role.OWNER);
        WebClient other = signedIn(secondOwner);
        other.post("/settings/members/" + secondOwner.id() + "/role", Map.of("role", "AGENT"));
        assertThat(role(workspace, secondOwner)).as("with two owners, one may step down").isEqualTo("AGENT");

        owner.post("/settings/members/" + workspace.owner().id() + "/role", Map.of("role", "ADMIN"));
        assertThat(role(workspace, workspace.owner())).isEqualTo("OWNER");
    }

    @Test
    void an_owner_cannot_be_deactivated_when_they_are_the_last_one() {
        var workspace = fixtures.workspace("Deactivate Owner Co");
        var coOwner = fixtures.member(workspace, Role.OWNER);
        WebClient owner = signedIn(workspace.owner());

        owner.post("/settings/members/" + coOwner.id() + "/deactivate", Map.of());
        assertThat(active(workspace, coOwner)).isFalse();

        WebClient admin = signedIn(fixtures.member(workspace, Role.ADMIN));
        Response byAdmin = admin.post("/settings/members/" + workspace.owner().id() + "/deactivate", Map.of());
        assertThat(byAdmin.status()).as("admins cannot touch owners").isEqualTo(302);
        assertThat(admin.get("/settings/members").text()).contains("Only an Owner can grant, change or remove the Owner role");
        assertThat(active(workspace, workspace.owner())).isTrue();
    }

    @Test
    void an_admin_cannot_make_anyone_an_owner() {
        var workspace = fixtures.workspace("Promote Co");
        var agent = fixtures.member(workspace, Role.AGENT);
        WebClient admin = signedIn(fixtures.member(workspace, Role.ADMIN));

        admin.post("/settings/members/" + agent.id() + "/role", Map.of("role", "OWNER"));

        assertThat(role(workspace, agent)).isEqualTo("AGENT");
    }

    @Test
    void a_role_change_takes_effect_at_once_and_is_audited() {
        var workspace = fixtures.workspace("Role Change Co");
        var agent = fixtures.member(workspace, Role.AGENT);
        WebClient agentBrowser = signedIn(agent);
        assertThat(agentBrowser.get("/settings/members").status()).isEqualTo(403);

        WebClient owner = signedIn(workspace.owner());
        owner.post("/settings/members/" + agent.id() + "/role", Map.of("role", "SUPERVISOR"));

        assertThat(agentBrowser.get("/settings/members").status()).isEqualTo(200);
        String details = jdbc.sql("select details::text from audit_events where tenant_id = :t and action = 'member.role_changed'")
                .param("t", workspace.id()).query(String.class).single();
        assertThat(details.replace(" ", "")).contains("\"from\":\"AGENT\"").contains("\"to\":\"SUPERVISOR\"");
    }

    @Test
    void a_deactivated_member_loses_access_at_once_and_can_be_brought_back() {
        var workspace = fixtures.workspace("Deactivate Co");
        var agent = fixtures.member(workspace, Role.AGENT);
        WebClient agentBrowser = signedIn(agent);
        assertThat(agentBrowser.get("/inbox").status()).isEqualTo(200);

        WebClient owner = signedIn(workspace.owner());
        owner.post("/settings/members/" + agent.id() + "/deactivate", Map.of());

        assertThat(agentBrowser.get("/inbox").status()).isEqualTo(403);
        owner.post("/settings/members/" + agent.id() + "/reactivate", Map.of());
        assertThat(agentBrowser.get("/inbox").status()).isEqualTo(200);
        assertThat(jdbc.sql("select action from audit_events where tenant_id = :t").param("t", workspace.id()).query(String.class).list())
                .contains("member.deactivated", "member.reactivated");
    }

    @Test
    void nobody_deactivates_themselves() {
        var workspace = fixtures.workspace("Self Co");
        var admin = fixtures.member(workspace, Role.ADMIN);
        WebClient browser = signedIn(admin);
        browser.post("/settings/members/" + admin.id() + "/deactivate", Map.of());
        assertThat(active(workspace, admin)).isTrue();
        assertThat(browser.get("/settings/members").text()).contains("You cannot deactivate yourself");
    }

    @Test
    void a_supervisor_sees_the_members_but_cannot_change_them() {
        var workspace = fixtures.workspace("Supervised Co");
        var agent = fixtures.member(workspace, Role.AGENT);
        WebClient supervisor = signedIn(fixtures.member(workspace, Role.SUPERVISOR));

        Response page = supervisor.get("/settings/members");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains(agent.email()).doesNotContain("/deactivate").doesNotContain("Invite someone");
        assertThat(supervisor.post("/settings/members/" + agent.id() + "/deactivate", Map.of()).status()).isEqualTo(403);
        assertThat(active(workspace, agent)).isTrue();
    }

    @Test
    void hostile_names_are_shown_as_text() {
        var workspace = fixtures.workspace("Hostile Co");
        var person = fixtures.member(workspace, Role.AGENT);
        jdbc.sql("update users set name = :n where id = :id").param("n", "<img src=x onerror=alert(1)><script>alert(2)</script>").param("id", person.id()).update();

        String page = signedIn(workspace.owner()).get("/settings/members").text();

        assertThat(page).doesNotContain("<img src=x").doesNotContain("<script>alert(2)").contains("&lt;img src=x onerror=alert(1)&gt;");
    }

    private WebClient signedIn(Fixtures.Person person) {
        WebClient client = browser();
        client.signIn(person.email(), person.password());
        return client;
    }

    private String role(Fixtures.TestWorkspace workspace, Fixtures.Person person) {
        return jdbc.sql("select role from memberships where tenant_id = :t and user_id = :u").param("t", workspace.id()).param("u", person.id()).query(String.class).single();
    }

    private boolean active(Fixtures.TestWorkspace workspace, Fixtures.Person person) {
        return jdbc.sql("select active from memberships where tenant_id = :t and user_id = :u").param("t", workspace.id()).param("u", person.id()).query(Boolean.class).single();
    }
}
