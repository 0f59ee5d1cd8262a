package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Two-factor authentication over HTTP: enrolling, the second sign-in step, recovery codes, remembered devices, the workspace's requirement. */
class TwoFactorTest extends HexaIntegrationTest {

    private static final Pattern SECRET = Pattern.compile("data-testid=\"two-factor-secret\">([A-Z2-7]+)<");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>");

    @Autowired
    JdbcClient jdbc;

    private final TotpCodes totp = new TotpCodes();

    /** Codes depend on time: the clock stands still, and a test moves it a step on when it needs the next code. */
    @BeforeEach
    void stillClock() {
        clock.freeze();
    }

    record Enrolled(byte[] secret, List<String> recoveryCodes) {
    }

    @Test
    void after_the_password_the_session_reaches_nothing_until_the_code_is_right() {
        var workspace = fixtures.workspace("Second Step Co");
        Enrolled enrolled = enrol(workspace.owner());
        WebClient browser = browser();

        Response password = browser.post("/sign-in", Map.of("email", workspace.owner().email(), "password", Fixtures.PASSWORD));

        assertThat(password.status()).isEqualTo(302);
        assertThat(password.location()).isEqualTo("/sign-in/two-factor");
        for (String page : List.of("/", "/inbox", "/profile", "/profile/two-factor", "/settings/members", "/settings/workspace", "/contacts")) {
            Response response = browser.get(page);
            assertThat(response.status()).as(page).isIn(302, 401, 403);
            assertThat(response.status() == 302 ? response.location() : "refused").as(page).isIn("/sign-in", "/inbox", "refused");
        }
        assertThat(browser.get("/inbox").location()).isEqualTo("/sign-in");
        assertThat(browser.send("GET", "/api/v1/me", null, Map.of()).status()).isEqualTo(401);
        browser.get("/sign-in/two-factor");
        assertThat(browser.post("/profile/two-factor/disable", Map.of("password", Fixtures.PASSWORD)).location()).isEqualTo("/sign-in");
        assertThat(jdbc.sql("select count(*) from two_factor where user_id = :u and enabled_at is not null").param("u", workspace.owner().id())
                .query(Integer.class).single()).as("still on").isEqualTo(1);

        Response form = browser.get("/sign-in/two-factor");
        assertThat(form.status()).isEqualTo(200);
        Response wrong = browser.post("/sign-in/two-factor", Map.of("code", "000000".equals(codeNow(enrolled)) ? "111111" : "000000"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.text()).contains("That code is not right");
        assertThat(browser.get("/inbox").location()).isEqualTo("/sign-in");

        clock.advance(Duration.ofSeconds(30));
        Response right = browser.post("/sign-in/two-factor", Map.of("code", codeNow(enrolled)));
        assertThat(right.status()).isEqualTo(302);
        assertThat(right.location()).isEqualTo("/");
        assertThat(browser.get("/inbox").status()).isEqualTo(200);
        assertThat(actions(workspace.id())).contains("two_factor.enrolled", "sign_in.failed", "sign_in.succeeded");
    }

    @Test
    void the_second_step_waits_five_minutes_at_most() {
        var workspace = fixtures.workspace("Slow Typist Co");
        Enrolled enrolled = enrol(workspace.owner());
        WebClient browser = passwordOnly(workspace.owner());

        clock.advance(Duration.ofMinutes(6));

        assertThat(browser.get("/sign-in/two-factor").location()).isEqualTo("/sign-in");
        assertThat(browser.post("/sign-in/two-factor", Map.of("code", codeNow(enrolled))).location()).isEqualTo("/sign-in");
        assertThat(browser.get("/inbox").location()).isEqualTo("/sign-in");
    }

    @Test
    void a_code_is_accepted_only_once() {
        var workspace = fixtures.workspace("Replay Co");
        Enrolled enrolled = enrol(workspace.owner());
        String enrolmentCode = codeNow(enrolled);

        WebClient first = passwordOnly(workspace.owner());
        assertThat(first.post("/sign-in/two-factor", Map.of("code", enrolmentCode)).status()).as("the code that switched it on").isEqualTo(401);
        clock.advance(Duration.ofSeconds(30));
        String code = codeNow(enrolled);
        assertThat(first.post("/sign-in/two-factor", Map.of("code", code)).status()).isEqualTo(302);

        WebClient second = passwordOnly(workspace.owner());
        Response replayed = second.post("/sign-in/two-factor", Map.of("code", code));
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.text()).contains("already used");
        assertThat(second.get("/inbox").location()).isEqualTo("/sign-in");
    }

    @Test
    void wrong_codes_are_slowed_down_like_wrong_passwords() {
        var workspace = fixtures.workspace("Guessing Co");
        Enrolled enrolled = enrol(workspace.owner());
        clock.advance(Duration.ofSeconds(30));
        String right = codeNow(enrolled);
        String wrong = right.equals("123456") ? "654321" : "123456";
        WebClient browser = passwordOnly(workspace.owner());

        for (int i = 0; i < 3; i++) {
            assertThat(browser.post("/sign-in/two-factor", Map.of("code", wrong)).status()).isEqualTo(401);
        }
        Response slowed = browser.post("/sign-in/two-factor", Map.of("code", right));

        assertThat(slowed.status()).isEqualTo(429);
        assertThat(slowed.text()).contains("Please wait");
        assertThat(browser.get("/inbox").location()).isEqualTo("/sign-in");
        WebClient again = passwordOnly(workspace.owner(), browser);
        assertThat(again.post("/sign-in/two-factor", Map.of("code", right)).status())
                .as("a right password again does not clear the count of wrong codes").isEqualTo(429);
        clock.advance(Duration.ofSeconds(2));
        assertThat(browser.post("/sign-in/two-factor", Map.of("code", right)).status()).as("the wait is over; the code is still the step's").isIn(302);
    }

    @Test
    void a_wrong_code_at_enrolment_changes_nothing_and_enrolling_signs_out_the_other_sessions() {
        var workspace = fixtures.workspace("Enrolment Co");
        WebClient elsewhere = browser();
        elsewhere.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        WebClient browser = browser();
        browser.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        browser.post("/profile/two-factor/start", Map.of());
        Matcher secret = SECRET.matcher(browser.get("/profile/two-factor").text());
        assertThat(secret.find()).isTrue();
        String current = AuthenticatorCode.of(totp, secret.group(1), clock.instant());

        Response wrong = browser.follow("/profile/two-factor/confirm", Map.of("code", current.equals("000000") ? "999999" : "000000"));
        assertThat(wrong.text()).contains("That code is not right");
        assertThat(wrong.text()).contains("data-testid=\"two-factor-secret\">" + secret.group(1) + "<");
        assertThat(jdbc.sql("select count(*) from two_factor where user_id = :u and enabled_at is not null").param("u", workspace.owner().id())
                .query(Integer.class).single()).isZero();
        assertThat(elsewhere.get("/inbox").status()).isEqualTo(200);

        assertThat(browser.post("/profile/two-factor/confirm", Map.of("code", current)).status()).isEqualTo(200);
        assertThat(browser.get("/inbox").status()).as("this session stays").isEqualTo(200);
        assertThat(elsewhere.get("/inbox").location()).as("the other one is signed out").isEqualTo("/sign-in");
    }

    @Test
    void accepting_an_invitation_with_an_existing_account_still_asks_for_the_code() {
        var home = fixtures.workspace("Home Co");
        var other = fixtures.workspace("Inviting Co");
        Enrolled enrolled = enrol(home.owner());
        String link = fixtures.invitationLink(other, home.owner().email(), Role.AGENT);
        WebClient browser = browser();
        String path = link.substring(link.indexOf("/invitations/"));
        browser.get(path);

        Response accepted = browser.post(path, Map.of("password", Fixtures.PASSWORD));

        assertThat(accepted.location()).isEqualTo("/sign-in/two-factor");
        assertThat(browser.get("/inbox").location()).isEqualTo("/sign-in");
        browser.get("/sign-in/two-factor");
        clock.advance(Duration.ofSeconds(30));
        assertThat(browser.post("/sign-in/two-factor", Map.of("code", codeNow(enrolled))).location()).isEqualTo("/");
        assertThat(browser.get("/inbox").text()).contains("Inviting Co");
    }

    @Test
    void a_recovery_code_signs_in_once_and_is_audited() {
        var workspace = fixtures.workspace("Lost Phone Co");
        Enrolled enrolled = enrol(workspace.owner());
        assertThat(enrolled.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();
        String code = enrolled.recoveryCodes().get(3);

        WebClient browser = passwordOnly(workspace.owner());
        assertThat(browser.post("/sign-in/two-factor", Map.of("code", code.toUpperCase())).status()).isEqualTo(302);
        assertThat(browser.get("/inbox").status()).isEqualTo(200);

        WebClient again = passwordOnly(workspace.owner());
        assertThat(again.post("/sign-in/two-factor", Map.of("code", code)).status()).isEqualTo(401);
        assertThat(actions(workspace.id())).contains("two_factor.recovery_code_used");
        assertThat(jdbc.sql("select count(*) from two_factor_recovery_codes where code_hash like :c").param("c", "%" + code + "%")
                .query(Integer.class).single()).as("only hashes are stored").isZero();
    }

    @Test
    void a_remembered_device_skips_the_code_until_two_factor_is_switched_off() {
        var workspace = fixtures.workspace("Remember Co");
        WebClient settings = browser();
        Enrolled enrolled = enrol(settings, workspace.owner());
        clock.advance(Duration.ofSeconds(30));

        WebClient laptop = passwordOnly(workspace.owner());
        Response signedIn = laptop.post("/sign-in/two-factor", Map.of("code", codeNow(enrolled), "rememberDevice", "true"));
        assertThat(signedIn.status()).isEqualTo(302);
        String cookie = signedIn.headerValues("Set-Cookie").stream().filter(c -> c.startsWith("HEXA_DEVICE=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("Max-Age=2592000").doesNotContain("Secure");
        assertThat(actions(workspace.id())).contains("two_factor.device_remembered");

        laptop.post("/sign-out", Map.of());
        laptop.get("/sign-in");
        Response remembered = laptop.post("/sign-in", Map.of("email", workspace.owner().email(), "password", Fixtures.PASSWORD));
        assertThat(remembered.location()).as("no code on a remembered device").isEqualTo("/");
        assertThat(laptop.get("/inbox").status()).isEqualTo(200);

        var colleague = fixtures.member(workspace, Role.AGENT);
        enrol(colleague);
        laptop.post("/sign-out", Map.of());
        laptop.get("/sign-in");
        assertThat(laptop.post("/sign-in", Map.of("email", colleague.email(), "password", Fixtures.PASSWORD)).location())
                .as("the remembered device is remembered for its person only").isEqualTo("/sign-in/two-factor");
        laptop.get("/sign-in/two-factor");
        laptop.post("/sign-in/two-factor/cancel", Map.of());
        laptop.get("/sign-in");
        assertThat(laptop.post("/sign-in", Map.of("email", workspace.owner().email(), "password", Fixtures.PASSWORD)).location()).isEqualTo("/");

        Response refused = settings.follow("/profile/two-factor/disable", Map.of("password", "not-the-password"));
        assertThat(refused.text()).contains("The current password is not correct");
        assertThat(settings.follow("/profile/two-factor/disable", Map.of("password", Fixtures.PASSWORD)).text()).contains("Two-factor authentication is off");
        assertThat(actions(workspace.id())).contains("two_factor.disabled");
        clock.advance(Duration.ofSeconds(30));
        enrol(settings, workspace.owner());

        laptop.post("/sign-out", Map.of());
        laptop.get("/sign-in");
        Response forgotten = laptop.post("/sign-in", Map.of("email", workspace.owner().email(), "password", Fixtures.PASSWORD));
        assertThat(forgotten.location()).as("switching off forgot the device").isEqualTo("/sign-in/two-factor");
    }

    @Test
    void new_recovery_codes_replace_the_old_ones_and_forget_remembered_devices() {
        var workspace = fixtures.workspace("Regenerate Co");
        WebClient settings = browser();
        Enrolled enrolled = enrol(settings, workspace.owner());
        clock.advance(Duration.ofSeconds(30));
        WebClient laptop = passwordOnly(workspace.owner());
        laptop.post("/sign-in/two-factor", Map.of("code", codeNow(enrolled), "rememberDevice", "true"));

        Response fresh = settings.post("/profile/two-factor/recovery-codes", Map.of("password", Fixtures.PASSWORD));
        assertThat(fresh.status()).isEqualTo(200);
        List<String> newCodes = recoveryCodes(fresh.text());
        assertThat(newCodes).hasSize(10).doesNotContainAnyElementsOf(enrolled.recoveryCodes());
        assertThat(actions(workspace.id())).contains("two_factor.recovery_codes_regenerated");

        laptop.post("/sign-out", Map.of());
        laptop.get("/sign-in");
        assertThat(laptop.post("/sign-in", Map.of("email", workspace.owner().email(), "password", Fixtures.PASSWORD)).location())
                .isEqualTo("/sign-in/two-factor");
        laptop.get("/sign-in/two-factor");
        assertThat(laptop.post("/sign-in/two-factor", Map.of("code", enrolled.recoveryCodes().get(0))).status()).isEqualTo(401);
        assertThat(laptop.post("/sign-in/two-factor", Map.of("code", newCodes.get(0))).status()).isEqualTo(302);
    }

    @Test
    void an_owner_requiring_two_factor_sends_members_without_it_to_enrol_and_api_tokens_are_unaffected() {
        var workspace = fixtures.workspace("Required Co");
        var agent = fixtures.member(workspace, Role.AGENT);
        var admin = fixtures.member(workspace, Role.ADMIN);
        String token = fixtures.apiToken(workspace, Role.ADMIN);
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        Response notYet = owner.follow("/settings/workspace/two-factor", Map.of("required", "true"));
        assertThat(notYet.text()).contains("Set up two-factor authentication for yourself first");
        assertThat(requires(workspace)).isFalse();
        WebClient adminBrowser = browser();
        adminBrowser.signIn(admin.email(), Fixtures.PASSWORD);
        assertThat(adminBrowser.post("/settings/workspace/two-factor", Map.of("required", "true")).status()).as("Owners only").isEqualTo(403);

        enrol(owner, workspace.owner());
        assertThat(owner.follow("/settings/workspace/two-factor", Map.of("required", "true")).text()).contains("is now required");
        assertThat(requires(workspace)).isTrue();
        assertThat(actions(workspace.id())).contains("workspace.two_factor_required");
        assertThat(owner.get("/inbox").status()).as("the owner has it").isEqualTo(200);
        assertThat(owner.get("/settings/audit-log").text()).contains("Two-factor requirement changed").contains("Two-factor authentication switched on");

        WebClient member = browser();
        member.signIn(agent.email(), Fixtures.PASSWORD);
        for (String page : List.of("/inbox", "/contacts", "/profile")) {
            assertThat(member.get(page).location()).as(page).isEqualTo("/profile/two-factor");
        }
        assertThat(member.post("/profile/name", Map.of("name", "Not Renamed")).location()).isEqualTo("/profile/two-factor");
        Response enrolPage = member.get("/profile/two-factor");
        assertThat(enrolPage.status()).isEqualTo(200);
        assertThat(enrolPage.text()).contains("This workspace requires two-factor authentication");
        assertThat(api(token).get("/api/v1/me").status()).as("API tokens are unaffected").isEqualTo(200);

        enrol(member, agent);
        assertThat(member.get("/inbox").status()).isEqualTo(200);
        assertThat(member.post("/sign-out", Map.of()).location()).isEqualTo("/sign-in");
    }

    // --- helpers

    private Enrolled enrol(Fixtures.Person person) {
        return enrol(browser(), person);
    }

    /** Enrols as a person does: starts, reads the secret shown, types the current code, reads the recovery codes. */
    private Enrolled enrol(WebClient browser, Fixtures.Person person) {
        if (browser.get("/profile/two-factor").status() != 200) {
            browser.signIn(person.email(), Fixtures.PASSWORD);
        }
        assertThat(browser.post("/profile/two-factor/start", Map.of()).status()).isEqualTo(302);
        Response page = browser.get("/profile/two-factor");
        Matcher matcher = SECRET.matcher(page.text());
        assertThat(matcher.find()).as("the secret is shown").isTrue();
        assertThat(page.text()).contains("data:image/svg+xml;base64,");
        byte[] secret = Base32.decode(matcher.group(1) + "=".repeat((8 - matcher.group(1).length() % 8) % 8));
        Response confirmed = browser.post("/profile/two-factor/confirm", Map.of("code", totp.codeAt(secret, TotpCodes.step(clock.instant()))));
        assertThat(confirmed.status()).isEqualTo(200);
        return new Enrolled(secret, recoveryCodes(confirmed.text()));
    }

    private static List<String> recoveryCodes(String page) {
        List<String> codes = new ArrayList<>();
        Matcher matcher = RECOVERY_CODE.matcher(page);
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    private WebClient passwordOnly(Fixtures.Person person) {
        return passwordOnly(person, null);
    }

    /** A new browser past the password, on the network of {@code sameNetworkAs} when given. */
    private WebClient passwordOnly(Fixtures.Person person, WebClient sameNetworkAs) {
        WebClient browser = sameNetworkAs == null ? browser() : browser().fromAddressOf(sameNetworkAs);
        Response response = browser.post("/sign-in", Map.of("email", person.email(), "password", Fixtures.PASSWORD));
        assertThat(response.location()).isEqualTo("/sign-in/two-factor");
        browser.get("/sign-in/two-factor");
        return browser;
    }

    /** The code an app shows for the key on the page. */
    private static final class AuthenticatorCode {
        static String of(TotpCodes totp, String base32, java.time.Instant at) {
            return totp.codeAt(Base32.decode(base32 + "=".repeat((8 - base32.length() % 8) % 8)), TotpCodes.step(at));
        }
    }

    private String codeNow(Enrolled enrolled) {
        return totp.codeAt(enrolled.secret(), TotpCodes.step(clock.instant()));
    }

    private boolean requires(Fixtures.TestWorkspace workspace) {
        return jdbc.sql("select require_two_factor from workspaces where id = :id").param("id", workspace.id()).query(Boolean.class).single();
    }

    private List<String> actions(java.util.UUID workspace) {
        return jdbc.sql("select action from audit_events where tenant_id = :t order by occurred_at").param("t", workspace).query(String.class).list();
    }
}
