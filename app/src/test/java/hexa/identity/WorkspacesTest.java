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

class WorkspacesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void a_person_starts_a_second_workspace_and_switches_between_them() {
        var first = fixtures.workspace("Alpha Traders");
        WebClient owner = browser();
        owner.signIn(first.owner().email(), Fixtures.PASSWORD);

        Response created = owner.post("/workspaces", Map.of("name", "Beta Traders", "timeZone", "Europe/Berlin", "country", "DE"));
        assertThat(created.status()).isEqualTo(302);

        Response inbox = owner.get("/inbox");
        assertThat(inbox.text()).contains("Beta Traders").contains("Alpha Traders");
        assertThat(owner.get("/settings/workspace").text()).contains("value=\"Beta Traders\"");
        owner.post("/workspaces/switch", Map.of("workspaceId", first.id().toString()));
        assertThat(owner.get("/settings/workspace").text()).contains("value=\"Alpha Traders\"");
    }

    @Test
    void switching_into_a_workspace_one_is_not_a_member_of_is_not_found() {
        var mine = fixtures.workspace("Mine Co");
        var theirs = fixtures.workspace("Theirs Co");
        WebClient owner = browser();
        owner.signIn(mine.owner().email(), Fixtures.PASSWORD);

        Response response = owner.post("/workspaces/switch", Map.of("workspaceId", theirs.id().toString()));

        assertThat(response.status()).isEqualTo(404);
        assertThat(owner.get("/settings/workspace").text()).contains("value=\"Mine Co\"");
    }

    @Test
    void workspace_settings_are_validated_saved_and_audited() {
        var workspace = fixtures.workspace("Settings Co");
        WebClient admin = browser();
        admin.signIn(fixtures.member(workspace, Role.ADMIN).email(), Fixtures.PASSWORD);

        admin.post("/settings/workspace", Map.of("name", "Settings Co", "timeZone", "Mars/Olympus", "country", "IN"));
        assertThat(admin.get("/settings/workspace").text()).contains("Choose a time zone from the list");
        admin.post("/settings/workspace", Map.of("name", "Settings Co", "timeZone", "UTC", "country", "XX"));
        assertThat(admin.get("/settings/workspace").text()).contains("Choose a country from the list");

        admin.post("/settings/workspace", Map.of("name", "Renamed Co", "timeZone", "America/Sao_Paulo", "country", "BR"));

        String page = admin.get("/settings/workspace").text();
        assertThat(page).contains("Workspace settings saved").contains("value=\"Renamed Co\"");
        assertThat(jdbc.sql("select time_zone || ' ' || default_country from workspaces where id = :id").param("id", workspace.id()).query(String.class).single())
                .isEqualTo("America/Sao_Paulo BR");
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'workspace.settings_changed'")
                .param("t", workspace.id()).query(Integer.class).single()).isEqualTo(1);
    }
}
