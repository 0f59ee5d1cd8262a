package hexa.identity;

import static hexa.identity.InvitationTest.invite;
import static hexa.identity.InvitationTest.path;
import static hexa.identity.InvitationTest.same;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.crypto.TenantTokens;
import hexa.support.Response;
import hexa.support.TestMail;
import hexa.support.TunedIntegrationTest;
import hexa.support.WebClient;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Whoever invites sees the invitation link, so with mail configured (the tuned server) the link alone cannot create an
 * account: the address must be proven by a link mailed to it. The page, and what asking for that link answers, read the
 * same whether or not the address already has an account.
 */
class InvitationAddressProofTest extends TunedIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void the_inviter_cannot_create_the_account_of_a_new_address_with_the_link_they_are_shown() {
        var workspace = fixtures.workspace("Hijack Co");
        WebClient owner = signedIn(workspace.owner());
        String victim = "victim-" + System.nanoTime() + "@test.example";
        String link = invite(owner, victim, "AGENT");

        WebClient attacker = browser();
        assertThat(attacker.get(path(link)).status()).isEqualTo(200);
        Response created = attacker.post(path(link), Map.of("name", "Victim", "password", "the-attacker-knows-this"));
        Response forged = attacker.post(path(link), Map.of("name", "Victim", "password", "the-attacker-knows-this",
                "proof", TenantTokens.issue("prf_", workspace.id())));

        assertThat(created.status()).isEqualTo(403);
        assertThat(created.text()).contains("first confirm that " + victim + " is your address");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.text()).contains("This confirmation link is not valid");
        assertThat(accounts(victim)).as("no account was made for the address").isZero();
        assertThat(attacker.get("/inbox").location()).as("nobody was signed in").isEqualTo("/sign-in");
        assertThat(browser().get(path(link)).status()).as("the invitation still waits for its person").isEqualTo(200);

        Response asked = attacker.post(path(link) + "/confirm-address", Map.of());
        assertThat(asked.location()).isEqualTo(path(link));
        assertThat(attacker.get(path(link)).text()).contains("We mailed a link to " + victim);
        MimeMessage confirmation = TestMail.awaitMail(victim, 2);
        assertThat(TestMail.subject(confirmation)).isEqualTo("Confirm your address to join Hijack Co on Hexa CRM");
        assertThat(TestMail.link(confirmation, "/invitations/")).startsWith(link + "?proof=prf_");
        assertThat(actions(workspace.id())).contains("invitation.confirmation_mailed");
    }

    @Test
    void the_invited_person_creates_the_account_through_the_link_mailed_to_the_address() {
        var workspace = fixtures.workspace("Proof Co");
        String email = "proven-" + System.nanoTime() + "@test.example";
        String shown = invite(signedIn(workspace.owner()), email, "SUPERVISOR");
        String mailed = TestMail.link(TestMail.awaitMail(email, 1), "/invitations/");
        assertThat(mailed).as("the mailed link carries a proof the inviter is never shown").startsWith(shown + "?proof=prf_");

        WebClient invitee = browser();
        Response page = invitee.get(path(mailed));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Your address " + email + " is confirmed");
        Response created = invitee.post(path(shown), Map.of("name", "Priya Proven", "password", "a-long-password", "proof", proof(mailed)));

        assertThat(created.status()).isEqualTo(302);
        assertThat(invitee.get("/inbox").text()).contains("Priya Proven");
        assertThat(jdbc.sql("select m.role from memberships m join users u on u.id = m.user_id where m.tenant_id = :t and u.email = :e")
                .param("t", workspace.id()).param("e", email).query(String.class).single()).isEqualTo("SUPERVISOR");
        assertThat(actions(workspace.id())).contains("account.created", "invitation.accepted");
        assertThat(jdbc.sql("select details->>'addressConfirmed' from audit_events where tenant_id = :t and action = 'account.created'")
                .param("t", workspace.id()).query(String.class).single()).isEqualTo("true");
        assertThat(jdbc.sql("select count(*) from invitation_address_proofs where tenant_id = :t and used_at is null")
                .param("t", workspace.id()).query(Integer.class).single()).as("every proof is spent").isZero();
        assertThat(browser().get(path(mailed)).status()).as("the link works once").isEqualTo(404);
    }

    @Test
    void a_confirmation_link_asked_for_on_the_page_expires_after_30_minutes_and_a_new_one_works() {
        var workspace = fixtures.workspace("Late Proof Co");
        String email = "late-proof-" + System.nanoTime() + "@test.example";
        String link = invite(signedIn(workspace.owner()), email, "AGENT");
        TestMail.awaitMail(email, 1);

        browser().post(path(link) + "/confirm-address", Map.of());
        String first = TestMail.link(TestMail.awaitMail(email, 2), "/invitations/");
        clock.advance(Duration.ofMinutes(31));

        Response stale = browser().get(path(first));
        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.text()).contains("This confirmation link is not valid").contains("Mail me a link to create my account");
        Response refused = browser().post(path(link), Map.of("name", "Late", "password", "a-long-password", "proof", proof(first)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(accounts(email)).isZero();

        browser().post(path(link) + "/confirm-address", Map.of());
        String second = TestMail.link(TestMail.awaitMail(email, 3), "/invitations/");
        Response created = browser().post(path(link), Map.of("name", "Late", "password", "a-long-password", "proof", proof(second)));
        assertThat(created.status()).isEqualTo(302);
        assertThat(accounts(email)).isOne();
    }

    @Test
    void an_invitation_causes_at_most_five_confirmation_mails_an_hour() {
        var workspace = fixtures.workspace("Flood Proof Co");
        String email = "flooded-" + System.nanoTime() + "@test.example";
        String link = invite(signedIn(workspace.owner()), email, "AGENT");
        WebClient stranger = browser();
        for (int i = 0; i < 4; i++) {
            stranger.post(path(link) + "/confirm-address", Map.of());
            assertThat(stranger.get(path(link)).text()).contains("We mailed a link to " + email);
        }

        Response refused = stranger.post(path(link) + "/confirm-address", Map.of());

        assertThat(refused.location()).isEqualTo(path(link));
        assertThat(stranger.get(path(link)).text()).contains("Several links were mailed for this invitation in the last hour");
        assertThat(jdbc.sql("select count(*) from invitation_address_proofs where tenant_id = :t").param("t", workspace.id())
                .query(Integer.class).single()).as("the invitation's own and four asked for").isEqualTo(5);
        TestMail.awaitMail(email, 5);
        clock.advance(Duration.ofMinutes(61));
        stranger.post(path(link) + "/confirm-address", Map.of());
        TestMail.awaitMail(email, 6);
    }

    @Test
    void the_page_and_its_answers_read_the_same_whether_or_not_the_address_has_an_account() {
        var workspace = fixtures.workspace("Same Co");
        WebClient owner = signedIn(workspace.owner());
        var existing = fixtures.person("Has An Account");
        String newcomer = "newcomer-" + System.nanoTime() + "@test.example";
        String toExisting = invite(owner, existing.email(), "AGENT");
        String toNewcomer = invite(owner, newcomer, "AGENT");

        WebClient inviter = browser();
        String pageOfExisting = inviter.get(path(toExisting)).text();
        String pageOfNewcomer = inviter.get(path(toNewcomer)).text();
        assertThat(same(pageOfExisting, toExisting, existing.email())).isEqualTo(same(pageOfNewcomer, toNewcomer, newcomer));

        Response askedExisting = inviter.post(path(toExisting) + "/confirm-address", Map.of());
        String answerExisting = inviter.get(path(toExisting)).text();
        Response askedNewcomer = inviter.post(path(toNewcomer) + "/confirm-address", Map.of());
        String answerNewcomer = inviter.get(path(toNewcomer)).text();
        assertThat(askedExisting.status()).isEqualTo(askedNewcomer.status()).isEqualTo(302);
        assertThat(same(answerExisting, toExisting, existing.email())).isEqualTo(same(answerNewcomer, toNewcomer, newcomer));
        MimeMessage mailToExisting = TestMail.awaitMail(existing.email(), 2);
        MimeMessage mailToNewcomer = TestMail.awaitMail(newcomer, 2);
        assertThat(same(TestMail.body(mailToExisting), toExisting, existing.email()).replaceAll("prf_\\S+", "PROOF"))
                .as("the mails say the same too").isEqualTo(same(TestMail.body(mailToNewcomer), toNewcomer, newcomer).replaceAll("prf_\\S+", "PROOF"));
    }

    @Test
    void an_existing_account_joins_only_by_signing_in_even_with_the_mailed_link() {
        var workspace = fixtures.workspace("Known Co");
        var person = fixtures.person("Known Person");
        String link = invite(signedIn(workspace.owner()), person.email(), "ANALYST");
        String mailed = TestMail.link(TestMail.awaitMail(person.email(), 1), "/invitations/");

        WebClient holder = browser();
        Response page = holder.get(path(mailed));
        assertThat(page.text()).as("the address's owner may be told").contains("This address already has a Hexa CRM account. Sign in to join.");
        Response replaced = holder.post(path(link), Map.of("name", "Someone", "password", "a-new-long-password", "proof", proof(mailed)));
        assertThat(replaced.status()).isEqualTo(409);
        assertThat(jdbc.sql("select name from users where id = :id").param("id", person.id()).query(String.class).single())
                .as("the account is unchanged").isEqualTo("Known Person");
        assertThat(holder.post(path(link), Map.of("password", "not-the-password")).status()).isEqualTo(401);

        Response joined = holder.post(path(link), Map.of("password", Fixtures.PASSWORD));

        assertThat(joined.status()).isEqualTo(302);
        assertThat(holder.get("/").location()).isEqualTo("/reports");
    }

    private WebClient signedIn(Fixtures.Person person) {
        WebClient client = browser();
        client.signIn(person.email(), person.password());
        return client;
    }

    private static String proof(String mailedLink) {
        return mailedLink.substring(mailedLink.indexOf("?proof=") + "?proof=".length());
    }

    private int accounts(String email) {
        return jdbc.sql("select count(*) from users where lower(email) = lower(:e)").param("e", email).query(Integer.class).single();
    }

    private List<String> actions(UUID workspace) {
        return jdbc.sql("select action from audit_events where tenant_id = :t").param("t", workspace).query(String.class).list();
    }
}
