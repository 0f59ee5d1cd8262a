package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import hexa.platform.config.HexaProperties;
import hexa.support.Eventually;
import hexa.support.Response;
import hexa.support.TestMail;
import hexa.support.TunedIntegrationTest;
import hexa.support.WebClient;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

/** With SMTP configured (the tuned server mails to a real SMTP server on loopback), and sessions that end when idle. */
class MailAndSessionTimeoutTest extends TunedIntegrationTest {

    @Autowired
    JdbcIndexedSessionRepository sessions;

    @Autowired
    HexaProperties properties;

    @Autowired
    JdbcClient jdbc;

    @Test
    void invitations_are_mailed_when_smtp_is_configured() throws Exception {
        GreenMail smtp = TestMail.server();
        var workspace = fixtures.workspace("Mail Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        String email = "mailed-" + System.nanoTime() + "@test.example";

        owner.post("/settings/members/invitations", Map.of("email", email, "role", "AGENT"));
        String page = owner.get("/settings/members").text();
        assertThat(page).contains("Invitation mailed to " + email);
        assertThat(page).contains("must first confirm the address through a link mailed to it, so this link alone cannot create an account");
        var matcher = java.util.regex.Pattern.compile("value=\"(http[^\"]*/invitations/[^\"]+)\"").matcher(page);
        assertThat(matcher.find()).as("the link is also shown to copy").isTrue();
        String link = matcher.group(1);

        MimeMessage mail = Eventually.present(() -> java.util.Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> { try { return m.getAllRecipients()[0].toString().equals(email); } catch (Exception e) { return false; } })
                .findFirst(), "the invitation to " + email + " to be mailed");
        assertThat(mail.getSubject()).isEqualTo("You are invited to Mail Co on Hexa CRM");
        assertThat(GreenMailUtil.getBody(mail)).contains(link).contains("expires in 7 days");
        assertThat(GreenMailUtil.getBody(mail)).as("the mailed link also proves the address, which the shown one cannot")
                .contains(link + "?proof=prf_");
    }

    @Test
    void an_idle_session_ends() throws Exception {
        Duration configured = ((org.springframework.session.Session) sessions.createSession()).getMaxInactiveInterval();
        assertThat(configured).as("sessions end after hexa.session-idle-timeout").isEqualTo(properties.sessionIdleTimeout());
        // Sessions begun from now on end after 5 s idle: the setting's value, at run time, for this test only.
        sessions.setDefaultMaxInactiveInterval(Duration.ofSeconds(5));
        try {
            var workspace = fixtures.workspace("Idle Co");
            WebClient owner = browser();
            owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
            assertThat(owner.get("/inbox").status()).isEqualTo(200);
            // Real time: Spring Session reads the wall clock, not the app's. Well inside the 5 s, even on a slow machine.
            Thread.sleep(1000);
            assertThat(owner.get("/inbox").status()).as("activity keeps it alive").isEqualTo(200);

            String id = new String(Base64.getDecoder().decode(owner.sessionId()), StandardCharsets.UTF_8);
            long expiry = jdbc.sql("select expiry_time from spring_session where session_id = :id").param("id", id).query(Long.class).single();
            assertThat(expiry - System.currentTimeMillis()).as("idle for 5 s from the last request").isBetween(0L, 5_000L);
            Eventually.until(() -> System.currentTimeMillis() > expiry, "the session to have been idle for 5 s", Duration.ofSeconds(10));

            Response response = owner.get("/inbox");
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.location()).isEqualTo("/sign-in");
        } finally {
            sessions.setDefaultMaxInactiveInterval(configured);
        }
    }
}
