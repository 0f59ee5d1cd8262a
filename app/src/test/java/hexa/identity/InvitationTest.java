package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class InvitationTest extends HexaIntegrationTest {

    private static final Pattern LINK = Pattern.compile("data-testid=\"invitation-link\"|value=\"(http[^\"]*/invitations/[^\"]+)\"");

    @Autowired
    JdbcClient jdbc;

    @Test
    void an_admin_invites_a_new_person_who_creates_an_account_and_joins_with_the_invited_role() {
        var workspace = fixtures.workspace("Invite Co");
        WebClient admin = signedIn(fixtures.member(workspace, Role.ADMIN));
        String email = "new-agent-" + System.nanoTime() + "@test.example";

        String link = invite(admin, email, "AGENT");

        WebClient invitee = browser();
        Response page = invitee.get(path(link));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Invite Co").contains(email).contains("Agent");
        Response accepted = invitee.post(path(link), Map.of("name", "Nia Newcomer", "password", "a-long-password"));
        assertThat(accepted.status()).isEqualTo(302);
        Response inbox = invitee.get("/inbox");
        assertThat(inbox.status()).isEqualTo(200);
        assertThat(inbox.text()).contains("Nia Newcomer").doesNotContain("data-nav=\"nav.settings\"");
        assertThat(role(workspace.id(), email)).isEqualTo("AGENT");
        assertThat(actions(workspace.id())).contains("invitation.sent", "invitation.accepted");
    }

    @Test
    void a_link_works_only_once() {
        var workspace = fixtures.workspace("Once Co");
        WebClient owner = signedIn(workspace.owner());
        String link = invite(owner, "once-" + System.nanoTime() + "@test.example", "SUPERVISOR");
        assertThat(browser().post(path(link), Map.of("name", "First", "password", "a-long-password")).status()).isEqualTo(302);

        Response again = browser().get(path(link));
        Response acceptAgain = browser().post(path(link), Map.of("name", "Second", "password", "another-long-password"));

        assertThat(again.status()).isEqualTo(404);
        assertThat(again.text()).contains("not valid");
        assertThat(acceptAgain.status()).isEqualTo(404);
    }

    @Test
    void a_link_expires_after_seven_days() {
        var workspace = fixtures.workspace("Expiry Co");
        String link = invite(signedIn(workspace.owner()), "late-" + System.nanoTime() + "@test.example", "AGENT");
        clock.advance(Duration.ofDays(6).plusHours(23));
        assertThat(browser().get(path(link)).status()).isEqualTo(200);

        clock.advance(Duration.ofHours(2));

        assertThat(browser().get(path(link)).status()).isEqualTo(404);
        assertThat(browser().post(path(link), Map.of("name", "Late", "password", "a-long-password")).status()).isEqualTo(404);
    }

    @Test
    void a_revoked_link_and_a_forged_one_lead_nowhere() {
        var workspace = fixtures.workspace("Revoke Co");
        WebClient owner = signedIn(workspace.owner());
        String email = "revoked-" + System.nanoTime() + "@test.example";
        String link = invite(owner, email, "AGENT");
        String id = jdbc.sql("select id::text from invitations where tenant_id = :t and email = :e").param("t", workspace.id()).param("e", email).query(String.class).single();

        owner.post("/settings/members/invitations/" + id + "/revoke", Map.of());

        assertThat(browser().get(path(link)).status()).isEqualTo(404);
        assertThat(browser().get("/invitations/inv_forged_token").status()).isEqualTo(404);
        assertThat(browser().get(path(link).substring(0, path(link).length() - 3) + "abc").status()).isEqualTo(404);
        assertThat(actions(workspace.id())).contains("invitation.revoked");
    }

    @Test
    void the_invitation_link_is_stored_only_as_a_hash() {
        var workspace = fixtures.workspace("Hash Co");
        String link = invite(signedIn(workspace.owner()), "hash-" + System.nanoTime() + "@test.example", "AGENT");
        String token = link.substring(link.lastIndexOf('/') + 1);

        String stored = jdbc.sql("select token_hash from invitations where tenant_id = :t").param("t", workspace.id()).query(String.class).single();

        assertThat(stored).isEqualTo(hexa.platform.crypto.Tokens.sha256(token)).doesNotContain(token.substring(30));
    }

    @Test
    void someone_with_an_account_joins_with_their_password_and_can_switch_between_workspaces() {
        var first = fixtures.workspace("First Co");
        var second = fixtures.workspace("Second Co");
        var person = fixtures.member(first, Role.AGENT);
        String link = invite(signedIn(second.owner()), person.email(), "ANALYST");

        WebClient browser = browser();
        Response wrong = browser.post(path(link), Map.of("password", "not-their-password"));
        assertThat(wrong.status()).isEqualTo(401);
        Response joined = browser.post(path(link), Map.of("password", Fixtures.PASSWORD));
        assertThat(joined.status()).isEqualTo(302);

        assertThat(browser.get("/").location()).as("an analyst starts in reports").isEqualTo("/reports");
        Response reports = browser.get("/reports");
        assertThat(reports.text()).contains("First Co").contains("Second Co");
        browser.post("/workspaces/switch", Map.of("workspaceId", first.id().toString()));
        assertThat(browser.get("/").location()).isEqualTo("/inbox");
    }

    @Test
    void only_an_owner_may_invite_an_owner_and_a_member_cannot_be_invited_twice() {
        var workspace = fixtures.workspace("Owners Co");
        WebClient admin = signedIn(fixtures.member(workspace, Role.ADMIN));

        Response byAdmin = admin.post("/settings/members/invitations", Map.of("email", "boss@test.example", "role", "OWNER"));
        assertThat(byAdmin.status()).isEqualTo(403);

        var agent = fixtures.member(workspace, Role.AGENT);
        admin.post("/settings/members/invitations", Map.of("email", agent.email(), "role", "AGENT"));
        assertThat(admin.get("/settings/members").text()).contains(agent.email() + " is already a member");
        assertThat(jdbc.sql("select count(*) from invitations where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
    }

    @Test
    void an_invalid_email_is_refused_with_the_reason() {
        var workspace = fixtures.workspace("Bad Email Co");
        WebClient owner = signedIn(workspace.owner());
        owner.post("/settings/members/invitations", Map.of("email", "not an email", "role", "AGENT"));
        assertThat(owner.get("/settings/members").text()).contains("Enter a valid email address");
    }

    @Test
    void a_weak_password_is_refused_and_nothing_is_created() {
        var workspace = fixtures.workspace("Weak Co");
        String email = "weak-" + System.nanoTime() + "@test.example";
        String link = invite(signedIn(workspace.owner()), email, "AGENT");

        Response response = browser().post(path(link), Map.of("name", "Weak", "password", "short"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).contains("at least 10 characters");
        assertThat(jdbc.sql("select count(*) from users where email = :e").param("e", email).query(Integer.class).single()).isZero();
        assertThat(browser().get(path(link)).status()).as("the link still works").isEqualTo(200);
    }

    @Test
    void without_mail_the_page_says_whoever_holds_the_link_creates_the_account_and_reads_the_same_for_an_existing_account() {
        var workspace = fixtures.workspace("No Mail Co");
        WebClient owner = signedIn(workspace.owner());
        var existing = fixtures.person("Has An Account");
        String newcomer = "newcomer-" + System.nanoTime() + "@test.example";
        String toExisting = invite(owner, existing.email(), "AGENT");
        String toNewcomer = invite(owner, newcomer, "AGENT");
        String third = "third-" + System.nanoTime() + "@test.example";
        owner.post("/settings/members/invitations", Map.of("email", third, "role", "AGENT"));
        assertThat(owner.get("/settings/members").text()).as("the inviter is told what the link can do")
                .contains("whoever holds it can create the account for " + third + ". Hand it to that person yourself.");

        String pageOfNewcomer = browser().get(path(toNewcomer)).text();
        String pageOfExisting = browser().get(path(toExisting)).text();

        assertThat(pageOfNewcomer).contains("This server sends no mail, so it cannot check that " + newcomer
                + " is yours: whoever holds this link can create the account for " + newcomer);
        assertThat(same(pageOfExisting, toExisting, existing.email())).isEqualTo(same(pageOfNewcomer, toNewcomer, newcomer));
    }

    WebClient signedIn(Fixtures.Person person) {
        WebClient client = browser();
        client.signIn(person.email(), person.password());
        return client;
    }

    static String invite(WebClient client, String email, String role) {
        Response response = client.post("/settings/members/invitations", Map.of("email", email, "role", role));
        assertThat(response.status()).isEqualTo(302);
        Response page = client.get("/settings/members");
        Matcher matcher = Pattern.compile("value=\"(http[^\"]*/invitations/[^\"]+)\"").matcher(page.text());
        assertThat(matcher.find()).as("the invitation link is shown to copy: " + page.text()).isTrue();
        return matcher.group(1);
    }

    /** A page with what differs between two invitations by design (their link, their address, the form's CSRF token) taken out. */
    static String same(String text, String link, String email) {
        String token = link.substring(link.lastIndexOf('/') + 1);
        Matcher csrf = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(text);
        String result = text.replace(token, "TOKEN").replace(email, "EMAIL");
        return csrf.find() ? result.replace(csrf.group(1), "CSRF") : result;
    }

    static String path(String link) {
        return link.replaceFirst("^https?://[^/]+", "");
    }

    private String role(java.util.UUID workspace, String email) {
        return jdbc.sql("select m.role from memberships m join users u on u.id = m.user_id where m.tenant_id = :t and u.email = :e")
                .param("t", workspace).param("e", email).query(String.class).single();
    }

    private java.util.List<String> actions(java.util.UUID workspace) {
        return jdbc.sql("select action from audit_events where tenant_id = :t").param("t", workspace).query(String.class).list();
    }
}
