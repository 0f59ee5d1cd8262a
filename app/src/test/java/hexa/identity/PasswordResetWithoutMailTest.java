package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Without SMTP (the shared server) a password cannot be reset by email, and the page says so instead of pretending. */
class PasswordResetWithoutMailTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void the_page_says_a_reset_needs_mail_and_asking_changes_nothing() {
        var person = fixtures.person("No Mail Person");

        Response page = browser().get("/forgot-password");
        Response asked = browser().post("/forgot-password", Map.of("email", person.email()));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("This server cannot send mail, so a password cannot be reset by email here").doesNotContain("name=\"email\"");
        assertThat(asked.status()).isEqualTo(400);
        assertThat(asked.text()).contains("This server cannot send mail");
        assertThat(jdbc.sql("select count(*) from password_resets where user_id = :u").param("u", person.id()).query(Integer.class).single()).isZero();
    }
}
