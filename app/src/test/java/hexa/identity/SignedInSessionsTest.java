package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A person sees where they are signed in and ends any of those sessions; an Owner signs a member out everywhere. */
class SignedInSessionsTest extends HexaIntegrationTest {

    private static final String CHROME_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    private static final String SAFARI_ON_IOS = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    @Autowired
    JdbcClient jdbc;

    @Test
    void a_person_sees_each_browser_they_signed_in_from_and_signs_one_out() {
        var workspace = fixtures.workspace("Sessions Co");
        String email = workspace.owner().email();
        WebClient laptop = browser().userAgent(CHROME_ON_WINDOWS);
        laptop.signIn(email, Fixtures.PASSWORD);
        WebClient phone = browser().userAgent(SAFARI_ON_IOS);
        phone.signIn(email, Fixtures.PASSWORD);

        String page = laptop.get("/profile/sessions").text();
        assertThat(page).contains("Chrome on Windows", "Safari on iOS", "This browser", laptop.address(), phone.address());
        List<String> refs = refs(page);
        assertThat(refs).hasSize(2);
        assertThat(page).doesNotContain(laptop.sessionId()).doesNotContain(phone.sessionId());

        String phoneRef = refs.stream().filter(ref -> !page.split("data-session=\"" + ref + "\"")[1].split("</li>")[0].contains("This browser"))
                .findFirst().orElseThrow();
        laptop.post("/profile/sessions/" + phoneRef + "/end", Map.of());
        Response after = phone.get("/inbox");
        assertThat(after.status()).as("the phone is signed out").isEqualTo(302);
        assertThat(after.location()).isEqualTo("/sign-in");
        assertThat(laptop.get("/inbox").status()).as("the laptop is not").isEqualTo(200);
        assertThat(refs(laptop.get("/profile/sessions").text())).hasSize(1);
        assertThat(actions(workspace.id())).contains("session.ended");

        // Another person's session is not found by its reference.
        WebClient stranger = browser();
        stranger.signIn(fixtures.workspace("Other Sessions Co").owner().email(), Fixtures.PASSWORD);
        String laptopRef = refs(laptop.get("/profile/sessions").text()).get(0);
        assertThat(stranger.post("/profile/sessions/" + laptopRef + "/end", Map.of()).status()).isEqualTo(404);
        assertThat(laptop.get("/inbox").status()).isEqualTo(200);
    }

    @Test
    void an_owner_signs_a_member_out_everywhere_and_an_admin_cannot() {
        var workspace = fixtures.workspace("Sign Out Co");
        Fixtures.Person agent = fixtures.member(workspace, Role.AGENT);
        WebClient agentLaptop = browser();
        agentLaptop.signIn(agent.email(), Fixtures.PASSWORD);
        WebClient agentPhone = browser();
        agentPhone.signIn(agent.email(), Fixtures.PASSWORD);

        WebClient admin = browser();
        admin.signIn(fixtures.member(workspace, Role.ADMIN).email(), Fixtures.PASSWORD);
        assertThat(admin.post("/settings/members/" + agent.id() + "/sign-out-everywhere", Map.of()).status()).isEqualTo(403);
        assertThat(agentLaptop.get("/inbox").status()).isEqualTo(200);

        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.get("/settings/members").text()).contains("/settings/members/" + agent.id() + "/sign-out-everywhere");
        Response done = owner.follow("/settings/members/" + agent.id() + "/sign-out-everywhere", Map.of());
        assertThat(done.text()).contains("signed out everywhere (2 sessions ended)");
        assertThat(agentLaptop.get("/inbox").status()).isEqualTo(302);
        assertThat(agentPhone.get("/inbox").status()).isEqualTo(302);
        assertThat(owner.get("/inbox").status()).isEqualTo(200);
        assertThat(actions(workspace.id())).contains("session.signed_out_everywhere");

        // A member of another workspace is not found.
        Fixtures.Person outsider = fixtures.member(fixtures.workspace("Elsewhere Co"), Role.AGENT);
        assertThat(owner.post("/settings/members/" + outsider.id() + "/sign-out-everywhere", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void devices_are_named_from_the_user_agent() {
        assertThat(SignedInSessions.device(CHROME_ON_WINDOWS)).isEqualTo("Chrome on Windows");
        assertThat(SignedInSessions.device(SAFARI_ON_IOS)).isEqualTo("Safari on iOS");
        assertThat(SignedInSessions.device("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")).isEqualTo("Firefox on Linux");
        assertThat(SignedInSessions.device("curl/8.5.0")).isEqualTo("curl/8.5.0");
        assertThat(SignedInSessions.device(null)).isEmpty();
    }

    private static List<String> refs(String page) {
        Matcher m = Pattern.compile("data-session=\"([0-9a-f]+)\"").matcher(page);
        List<String> refs = new java.util.ArrayList<>();
        while (m.find()) {
            refs.add(m.group(1));
        }
        return refs;
    }

    private List<String> actions(java.util.UUID workspace) {
        return jdbc.sql("select action from audit_events where tenant_id = :t").param("t", workspace).query(String.class).list();
    }
}
