package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With SMTP configured (a real SMTP server on loopback) and a short idle timeout. */
class MailAndSessionTimeoutTest extends HexaIntegrationTest {

    private static final GreenMail SMTP = startSmtp();

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("hexa.smtp.host", () -> "127.0.0.1");
        registry.add("hexa.smtp.port", () -> SMTP.getSmtp().getPort());
        registry.add("hexa.smtp.starttls", () -> "false");
        registry.add("hexa.smtp.from", () -> "Hexa CRM <crm@test.example>");
        registry.add("hexa.session-idle-timeout", () -> "5s");
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @Test
    void invitations_are_mailed_when_smtp_is_configured() throws Exception {
        var workspace = fixtures.workspace("Mail Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        String email = "mailed-" + System.nanoTime() + "@test.example";

        owner.post("/settings/members/invitations", Map.of("email", email, "role", "AGENT"));
        String page = owner.get("/settings/members").text();
        assertThat(page).contains("Invitation mailed to " + email);
        var matcher = java.util.regex.Pattern.compile("value=\"(http[^\"]*/invitations/[^\"]+)\"").matcher(page);
        assertThat(matcher.find()).as("the link is also shown to copy").isTrue();
        String link = matcher.group(1);

        assertThat(SMTP.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage mail = java.util.Arrays.stream(SMTP.getReceivedMessages())
                .filter(m -> { try { return m.getAllRecipients()[0].toString().equals(email); } catch (Exception e) { return false; } })
                .findFirst().orElseThrow();
        assertThat(mail.getSubject()).isEqualTo("You are invited to Mail Co on Hexa CRM");
        assertThat(GreenMailUtil.getBody(mail)).contains(link).contains("expires in 7 days");
    }

    @Test
    void an_idle_session_ends() throws Exception {
        var workspace = fixtures.workspace("Idle Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.get("/inbox").status()).isEqualTo(200);
        Thread.sleep(1000); // well inside the 5 s, even on a slow machine
        assertThat(owner.get("/inbox").status()).as("activity keeps it alive").isEqualTo(200);

        Thread.sleep(6500);

        Response response = owner.get("/inbox");
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.location()).isEqualTo("/sign-in");
    }

    private static GreenMail startSmtp() {
        try (ServerSocket socket = new ServerSocket(0)) {
            int port = socket.getLocalPort();
            socket.close();
            GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
            return mail;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
