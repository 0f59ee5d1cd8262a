package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.FreshInstallationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** First start on an empty database. */
class SetupTest extends FreshInstallationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void the_set_up_page_creates_the_first_workspace_and_owner_then_is_gone_for_good() {
        WebClient browser = browser();
        assertThat(browser.get("/").location()).isEqualTo("/setup");
        assertThat(browser.get("/sign-in").location()).isEqualTo("/setup");
        assertThat(browser.get("/setup").text()).contains("Set up Hexa CRM").contains("Asia/Kolkata").contains("India (+91)");

        Response invalid = browser.post("/setup", Map.of("workspaceName", "Chai & Co", "timeZone", "Asia/Kolkata", "country", "IN",
                "name", "Meera", "email", "meera@chai.example", "password", "short"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.text()).contains("at least 10 characters").contains("value=\"Chai &amp; Co\"").contains("value=\"meera@chai.example\"");
        assertThat(jdbc.sql("select count(*) from workspaces").query(Integer.class).single()).isZero();

        Response done = browser.post("/setup", Map.of("workspaceName", "Chai & Co", "timeZone", "Asia/Kolkata", "country", "IN",
                "name", "Meera", "email", "meera@chai.example", "password", "a-long-enough-password"));
        assertThat(done.status()).isEqualTo(302);
        assertThat(browser.get("/").location()).isEqualTo("/inbox");
        assertThat(browser.get("/inbox").text()).contains("Chai &amp; Co").contains("Meera");
        assertThat(jdbc.sql("select role from memberships").query(String.class).single()).isEqualTo("OWNER");
        assertThat(jdbc.sql("select action from audit_events").query(String.class).list()).contains("workspace.set_up", "sign_in.succeeded");

        WebClient stranger = browser();
        assertThat(stranger.get("/setup").status()).isEqualTo(404);
        assertThat(stranger.post("/setup", Map.of("workspaceName", "Takeover", "timeZone", "UTC", "country", "IN",
                "name", "Mallory", "email", "mallory@evil.example", "password", "a-long-enough-password")).status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from workspaces").query(Integer.class).single()).isEqualTo(1);
        assertThat(stranger.get("/").location()).isEqualTo("/sign-in");
    }
}
