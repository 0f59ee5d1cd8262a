package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.WebClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTest extends HexaIntegrationTest {

    @Test
    void changing_the_password_needs_the_current_one_and_signs_out_the_other_sessions() {
        var workspace = fixtures.workspace("Profile Co");
        var agent = fixtures.member(workspace, Role.AGENT);
        WebClient laptop = browser();
        laptop.signIn(agent.email(), Fixtures.PASSWORD);
        WebClient phone = browser();
        phone.signIn(agent.email(), Fixtures.PASSWORD);

        laptop.post("/profile/password", Map.of("currentPassword", "wrong-password", "newPassword", "a-new-long-password", "confirmPassword", "a-new-long-password"));
        assertThat(laptop.get("/profile").text()).contains("The current password is not correct");
        assertThat(phone.get("/inbox").status()).isEqualTo(200);

        laptop.post("/profile/password", Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "a-new-long-password", "confirmPassword", "a-new-long-password"));

        assertThat(laptop.get("/profile").text()).contains("Your password was changed");
        assertThat(laptop.get("/inbox").status()).as("the session that changed it stays").isEqualTo(200);
        assertThat(phone.get("/inbox").location()).as("the other session is signed out").isEqualTo("/sign-in");
        assertThat(browser().post("/sign-in", Map.of("email", agent.email(), "password", Fixtures.PASSWORD)).status()).isEqualTo(401);
        assertThat(browser().post("/sign-in", Map.of("email", agent.email(), "password", "a-new-long-password")).status()).isEqualTo(302);
    }

    @Test
    void mismatched_or_short_new_passwords_are_refused() {
        var workspace = fixtures.workspace("Mismatch Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        owner.post("/profile/password", Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "a-new-long-password", "confirmPassword", "another-long-one"));
        assertThat(owner.get("/profile").text()).contains("not the same");
        owner.post("/profile/password", Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "short", "confirmPassword", "short"));
        assertThat(owner.get("/profile").text()).contains("at least 10 characters");
        assertThat(browser().post("/sign-in", Map.of("email", workspace.owner().email(), "password", Fixtures.PASSWORD)).status()).isEqualTo(302);
    }

    @Test
    void a_person_renames_themselves() {
        var workspace = fixtures.workspace("Rename Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        owner.post("/profile/name", Map.of("name", "Priya Patel"));

        assertThat(owner.get("/profile").text()).contains("Your name was saved");
        assertThat(owner.get("/inbox").text()).contains("Priya Patel");
        owner.post("/profile/name", Map.of("name", "   "));
        assertThat(owner.get("/profile").text()).contains("Enter a name");
    }
}
