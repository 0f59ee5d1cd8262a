package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.tenant.TenantContext;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.util.HtmlUtils;

/**
 * A person's rights of access and correction, on the contacts' side: who opened a contact is recorded (once an hour per
 * viewer), and every correction keeps the previous value on the timeline.
 */
class ContactAccessAndCorrectionTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ContactService contacts;

    private Fixtures.TestWorkspace workspace;
    private ApiClient admin;

    @BeforeEach
    void aWorkspace() {
        workspace = fixtures.workspace("Access " + UUID.randomUUID().toString().substring(0, 6));
        admin = api(fixtures.apiToken(workspace, Role.ADMIN));
    }

    @Test
    void opening_a_contact_is_recorded_once_an_hour_per_viewer_by_page_and_by_api() {
        String id = ApiClient.json(admin.send("POST", "/api/v1/contacts", "{\"name\":\"Ann\",\"phone\":\"+919811177001\"}")).get("id").asString();
        Fixtures.Person agent = fixtures.member(workspace, Role.AGENT);
        WebClient browser = browser();
        browser.signIn(agent.email(), Fixtures.PASSWORD);
        try {
            assertThat(browser.get("/contacts/" + id).status()).isEqualTo(200);
            assertThat(browser.get("/contacts/" + id).status()).isEqualTo(200);
            assertThat(admin.get("/api/v1/contacts/" + id).status()).isEqualTo(200);
            assertThat(admin.get("/api/v1/contacts/" + id).status()).isEqualTo(200);
            assertThat(views(id)).as("one view each for the member and the token within the hour")
                    .containsExactlyInAnyOrder("USER " + agent.name(), "API_TOKEN");

            clock.advance(Duration.ofMinutes(59));
            browser.get("/contacts/" + id);
            assertThat(views(id)).hasSize(2);
            clock.advance(Duration.ofMinutes(2));
            browser.get("/contacts/" + id);
            admin.get("/api/v1/contacts/" + id);
            assertThat(views(id)).as("an hour later, each view counts again").hasSize(4);
        } finally {
            clock.reset();
        }
        assertThat(admin.get("/api/v1/contacts/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'contact.viewed' and target_id <> :id")
                .param("t", workspace.id()).param("id", id).query(Integer.class).single()).as("a contact not found is no view").isZero();
    }

    @Test
    void a_correction_keeps_the_previous_value_on_the_timeline() {
        Fixtures.Person owner = fixtures.member(workspace, Role.AGENT);
        admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"City\",\"key\":\"city\",\"type\":\"text\"}");
        String id = ApiClient.json(admin.send("POST", "/api/v1/contacts", "{\"name\":\"Ann\",\"phone\":\"+919811177002\",\"email\":\"ann@example.com\","
                + "\"company\":\"<b>Old Co</b>\",\"attributes\":{\"city\":\"Pune\"}}")).get("id").asString();
        assertThat(admin.send("PATCH", "/api/v1/contacts/" + id, "{\"name\":\"Anna\",\"email\":\"anna@example.com\",\"company\":\"New Co\","
                + "\"phone\":\"+919811177003\",\"ownerId\":\"" + owner.id() + "\",\"attributes\":{\"city\":\"Mumbai\"}}").status()).isEqualTo(200);

        String timeline = ApiClient.json(admin.get("/api/v1/contacts/" + id + "/timeline")).get("items").toString();
        assertThat(timeline).contains("\"to\":\"Anna\",\"from\":\"Ann\"").contains("\"to\":\"anna@example.com\",\"from\":\"ann@example.com\"")
                .contains("\"to\":\"+919811177003\",\"from\":\"+919811177002\"").contains("\"to\":\"Mumbai\",\"from\":\"Pune\"");

        WebClient browser = browser();
        browser.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        String page = HtmlUtils.htmlUnescape(browser.get("/contacts/" + id).text());
        for (String line : List.of("Name changed", "Ann → Anna", "Email changed", "ann@example.com → anna@example.com", "Company changed",
                "<b>Old Co</b> → New Co", "WhatsApp number changed", "+919811177002 → +919811177003", "Owner changed", "→ " + owner.name(),
                "City changed", "Pune → Mumbai")) {
            assertThat(page).as("the timeline shows " + line).contains(line);
        }
        assertThat(browser.get("/contacts/" + id).text()).as("a previous value is shown as text").doesNotContain("<b>Old Co</b>");

        // The customer changes their number on WhatsApp (as Meta's "user changed number" tells the channel): the timeline keeps the one they had.
        jdbc.sql("update contacts set wa_id = '919811177003' where tenant_id = :t and id = :id").param("t", workspace.id())
                .param("id", UUID.fromString(id)).update();
        try (TenantContext.Scope ignored = fixtures.actAsOwner(workspace)) {
            contacts.changeNumber("919811177003", "919811177009");
        }
        assertThat(ApiClient.json(admin.get("/api/v1/contacts/" + id + "/timeline")).get("items").toString())
                .contains("\"to\":\"+919811177009\",\"from\":\"+919811177003\"");
    }

    private List<String> views(String id) {
        return jdbc.sql("select actor_kind || coalesce(' ' || (case when actor_kind = 'USER' then actor_name end), '') from audit_events"
                        + " where tenant_id = :t and action = 'contact.viewed' and target_type = 'contact' and target_id = :id")
                .param("t", workspace.id()).param("id", id).query(String.class).list();
    }
}
