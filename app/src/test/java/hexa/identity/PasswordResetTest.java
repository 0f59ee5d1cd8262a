package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.platform.crypto.Tokens;
import hexa.support.Response;
import hexa.support.TestMail;
import hexa.support.TunedIntegrationTest;
import hexa.support.WebClient;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** "Forgot your password?" with mail configured (the tuned server mails to a real SMTP server on loopback). */
class PasswordResetTest extends TunedIntegrationTest {

    private static final String NEW_PASSWORD = "a-brand-new-passphrase";

    @Autowired
    JdbcClient jdbc;

    @Test
    void a_forgotten_password_is_reset_through_the_mailed_link_and_every_session_of_the_account_ends() {
        var workspace = fixtures.workspace("Reset Co");
        var person = fixtures.member(workspace, Role.AGENT);
        WebClient laptop = signedIn(person);
        WebClient phone = signedIn(person);

        WebClient forgetful = browser();
        assertThat(forgetful.get("/sign-in").text()).contains("href=\"/forgot-password\"");
        Response asked = forgetful.post("/forgot-password", Map.of("email", person.email().toUpperCase()));
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.text()).contains("we have mailed it a link to set a new password");

        MimeMessage mail = TestMail.awaitMail(person.email(), 1);
        assertThat(TestMail.subject(mail)).isEqualTo("Reset your Hexa CRM password");
        assertThat(TestMail.body(mail)).contains("expires in 30 minutes");
        String link = TestMail.link(mail, "/reset-password/");
        String token = link.substring(link.lastIndexOf('/') + 1);
        assertThat(jdbc.sql("select token_hash from password_resets where user_id = :u").param("u", person.id()).query(String.class).single())
                .as("only a hash of the link is kept").isEqualTo(Tokens.sha256(token));
        Response form = forgetful.get(path(link));
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.text()).contains("Choose a new password").contains(person.email());

        Response reset = forgetful.post(path(link), Map.of("password", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD));

        assertThat(reset.status()).isEqualTo(302);
        assertThat(reset.location()).isEqualTo("/sign-in");
        assertThat(forgetful.get("/sign-in").text()).contains("Your password was changed and every session of your account was signed out");
        assertThat(laptop.get("/inbox").location()).as("the other sessions ended").isEqualTo("/sign-in");
        assertThat(phone.get("/inbox").location()).isEqualTo("/sign-in");
        assertThat(browser().post("/sign-in", Map.of("email", person.email(), "password", Fixtures.PASSWORD)).status()).isEqualTo(401);
        assertThat(browser().post("/sign-in", Map.of("email", person.email(), "password", NEW_PASSWORD)).status()).isEqualTo(302);
        assertThat(actions(workspace.id())).contains("password_reset.requested", "password_reset.completed");
    }

    /** Locked out from their own network by failures (theirs or someone's), the owner of the mailbox gets back in now. */
    @Test
    void a_reset_through_the_mailed_link_lifts_the_accounts_sign_in_locks() {
        var workspace = fixtures.workspace("Locked Out Co");
        var person = fixtures.member(workspace, Role.AGENT);
        WebClient home = browser();
        clock.freeze();
        for (int failures = 0; failures < 10; failures++) {
            clock.advance(Duration.ofSeconds(31));
            home.post("/sign-in", Map.of("email", person.email(), "password", "not-it-" + failures));
        }
        clock.advance(Duration.ofSeconds(31));
        assertThat(home.post("/sign-in", Map.of("email", person.email(), "password", Fixtures.PASSWORD)).status()).as("locked").isEqualTo(429);

        home.post("/forgot-password", Map.of("email", person.email()));
        String link = TestMail.link(TestMail.awaitMail(person.email(), 1), "/reset-password/");
        home.post(path(link), Map.of("password", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD));

        assertThat(home.post("/sign-in", Map.of("email", person.email(), "password", NEW_PASSWORD)).status())
                .as("the lock is lifted at once, from the same network").isEqualTo(302);
    }

    @Test
    void a_reset_link_works_once() {
        var person = fixtures.member(fixtures.workspace("Once Reset Co"), Role.AGENT);
        String link = askForLink(person.email(), 1);
        assertThat(browser().post(path(link), Map.of("password", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD)).status()).isEqualTo(302);

        Response again = browser().get(path(link));
        Response resetAgain = browser().post(path(link), Map.of("password", "yet-another-passphrase", "confirmPassword", "yet-another-passphrase"));

        assertThat(again.status()).isEqualTo(404);
        assertThat(again.text()).contains("This password reset link is not valid").contains("href=\"/forgot-password\"");
        assertThat(resetAgain.status()).isEqualTo(404);
        assertThat(resetAgain.text()).contains("This password reset link is not valid");
        assertThat(browser().post("/sign-in", Map.of("email", person.email(), "password", NEW_PASSWORD)).status())
                .as("the password set with the link stays").isEqualTo(302);
    }

    @Test
    void a_reset_link_expires_after_30_minutes() {
        var person = fixtures.member(fixtures.workspace("Expired Reset Co"), Role.AGENT);
        String link = askForLink(person.email(), 1);
        clock.advance(Duration.ofMinutes(29));
        assertThat(browser().get(path(link)).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(2));

        assertThat(browser().get(path(link)).status()).isEqualTo(404);
        Response late = browser().post(path(link), Map.of("password", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD));
        assertThat(late.status()).isEqualTo(404);
        assertThat(late.text()).contains("This password reset link is not valid");
        assertThat(browser().post("/sign-in", Map.of("email", person.email(), "password", Fixtures.PASSWORD)).status())
                .as("the password is unchanged").isEqualTo(302);
    }

    @Test
    void a_wrong_link_or_a_password_that_breaks_the_rules_changes_nothing() {
        var person = fixtures.member(fixtures.workspace("Wrong Reset Co"), Role.AGENT);
        WebClient signedIn = signedIn(person);
        String link = askForLink(person.email(), 1);

        Response forged = browser().post("/reset-password/pwr_" + Tokens.random(32), Map.of("password", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD));
        Response garbage = browser().get("/reset-password/not-a-link");
        Response weak = browser().post(path(link), Map.of("password", "short", "confirmPassword", "short"));
        Response mismatch = browser().post(path(link), Map.of("password", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD + "!"));

        assertThat(forged.status()).isEqualTo(404);
        assertThat(forged.text()).contains("This password reset link is not valid");
        assertThat(garbage.status()).isEqualTo(404);
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.text()).contains("at least 10 characters");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.text()).contains("The two new passwords are not the same");
        assertThat(signedIn.get("/inbox").status()).as("no session ended").isEqualTo(200);
        assertThat(browser().post("/sign-in", Map.of("email", person.email(), "password", Fixtures.PASSWORD)).status()).isEqualTo(302);
        assertThat(browser().get(path(link)).status()).as("the link still works").isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from password_resets where user_id = :u and used_at is null").param("u", person.id())
                .query(Integer.class).single()).isOne();
    }

    @Test
    void the_answer_for_an_address_without_an_account_is_the_same_and_nothing_is_mailed_to_it() {
        var person = fixtures.member(fixtures.workspace("Unknown Reset Co"), Role.AGENT);
        String stranger = "nobody-" + System.nanoTime() + "@test.example";

        WebClient visitor = browser();
        Response unknown = visitor.post("/forgot-password", Map.of("email", stranger));
        Response known = visitor.post("/forgot-password", Map.of("email", person.email()));

        assertThat(unknown.status()).isEqualTo(known.status()).isEqualTo(200);
        assertThat(same(unknown.text(), stranger)).isEqualTo(same(known.text(), person.email()));
        // Mails go out one after another in the order asked: once the known address's has come, the stranger's would have.
        TestMail.awaitMail(person.email(), 1);
        assertThat(TestMail.to(stranger)).isEmpty();
        assertThat(jdbc.sql("select count(*) from password_resets r join users u on u.id = r.user_id where lower(u.email) = lower(:e)")
                .param("e", stranger).query(Integer.class).single()).isZero();
    }

    @Test
    void an_account_is_mailed_at_most_three_links_an_hour_and_the_answer_does_not_change() {
        var person = fixtures.member(fixtures.workspace("Flood Co"), Role.AGENT);
        var other = fixtures.member(fixtures.workspace("Flood Other Co"), Role.AGENT);
        WebClient visitor = browser();
        String first = same(visitor.post("/forgot-password", Map.of("email", person.email())).text(), person.email());
        for (int i = 0; i < 4; i++) {
            assertThat(same(visitor.post("/forgot-password", Map.of("email", person.email())).text(), person.email())).isEqualTo(first);
        }
        visitor.post("/forgot-password", Map.of("email", other.email()));
        TestMail.awaitMail(other.email(), 1);
        assertThat(TestMail.to(person.email())).as("mails go out in order: the other's came after these").hasSize(3);

        clock.advance(Duration.ofMinutes(61));
        visitor.post("/forgot-password", Map.of("email", person.email()));
        TestMail.awaitMail(person.email(), 4);
    }

    private String askForLink(String email, int mailNumber) {
        assertThat(browser().post("/forgot-password", Map.of("email", email)).status()).isEqualTo(200);
        return TestMail.link(TestMail.awaitMail(email, mailNumber), "/reset-password/");
    }

    private WebClient signedIn(Fixtures.Person person) {
        WebClient client = browser();
        client.signIn(person.email(), person.password());
        return client;
    }

    private static String same(String text, String email) {
        Matcher csrf = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(text);
        String result = text.replace(email, "EMAIL");
        return csrf.find() ? result.replace(csrf.group(1), "CSRF") : result;
    }

    private static String path(String link) {
        return link.replaceFirst("^https?://[^/]+", "");
    }

    private List<String> actions(UUID workspace) {
        return jdbc.sql("select action from audit_events where tenant_id = :t").param("t", workspace).query(String.class).list();
    }
}
