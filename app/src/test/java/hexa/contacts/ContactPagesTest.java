package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The contact page, the new-contact form, the confirmations and Settings → Contact fields, over HTTP as a browser uses them. */
class ContactPagesTest extends HexaIntegrationTest {

    private static final List<String> HOSTILE = List.of("<script>alert('name')</script>", "\"><img src=x onerror=alert(1)>",
            "<iframe src=javascript:alert(2)>", "<b>bold tag</b>", "<svg onload=alert(3)>", "<i>Label</i>", "<u>Owner</u>",
            "<script>alert('query')</script>", "<a href=javascript:alert(4)>opt</a>");

    @Autowired
    JdbcClient jdbc;

    private Fixtures.TestWorkspace workspace;
    private ApiClient admin;

    @BeforeEach
    void aWorkspace() {
        workspace = fixtures.workspace("Contact Pages " + UUID.randomUUID().toString().substring(0, 6));
        admin = api(fixtures.apiToken(workspace, Role.ADMIN));
    }

    @Test
    void hostile_strings_on_the_contact_page_render_as_text() {
        Fixtures.Person owner = fixtures.person(HOSTILE.get(6));
        fixtures.join(workspace, owner, Role.AGENT);
        admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"<i>Label</i>\",\"key\":\"i_label\",\"type\":\"text\"}");
        admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Kind\",\"type\":\"list\",\"options\":[\"<a href=javascript:alert(4)>opt</a>\",\"plain\"]}");
        String id = ApiClient.json(admin.send("POST", "/api/v1/contacts", "{\"name\":\"<script>alert('name')</script>\",\"phone\":\"+919811100011\","
                + "\"company\":\"\\\"><img src=x onerror=alert(1)>\",\"ownerId\":\"" + owner.id() + "\","
                + "\"attributes\":{\"i_label\":\"<iframe src=javascript:alert(2)>\",\"kind\":\"<a href=javascript:alert(4)>opt</a>\"},"
                + "\"tags\":[\"<b>bold tag</b>\"]}")).get("id").asString();
        admin.send("POST", "/api/v1/contacts/" + id + "/notes", "{\"body\":\"<svg onload=alert(3)>\"}");
        admin.send("PATCH", "/api/v1/contacts/" + id, "{\"company\":\"<svg onload=alert(3)>\"}");
        String other = ApiClient.json(admin.send("POST", "/api/v1/contacts", "{\"name\":\"<script>alert('name')</script> 2\",\"phone\":\"+919811100012\"}"))
                .get("id").asString();

        WebClient browser = browser();
        browser.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        for (String path : List.of("/contacts/" + id, "/contacts/" + id + "?merge=%3Cscript%3Ealert('query')%3C/script%3E",
                "/contacts/" + id + "?merge=script", "/contacts/" + id + "/delete", "/contacts/" + id + "/merge?other=" + other,
                "/settings/contact-fields")) {
            Response page = browser.get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            for (String hostile : HOSTILE) {
                assertThat(page.text()).as(path + " shows " + hostile + " as text").doesNotContain(hostile);
            }
        }
        String page = browser.get("/contacts/" + id + "?merge=script").text();
        assertThat(page).contains("&lt;script&gt;alert(").contains("&lt;svg onload=alert(3)&gt;").contains("&lt;b&gt;bold tag&lt;/b&gt;")
                .contains("value=\"&lt;iframe src=javascript:alert(2)").contains("&lt;u&gt;Owner&lt;/u&gt;")
                .contains("data-testid=\"merge-candidate\"");
    }

    @Test
    void a_member_creates_a_contact_edits_it_tags_it_and_writes_notes_only_they_can_change() {
        Fixtures.Person agent = fixtures.member(workspace, Role.AGENT);
        Fixtures.Person colleague = fixtures.member(workspace, Role.AGENT);
        WebClient browser = browser();
        browser.signIn(agent.email(), Fixtures.PASSWORD);
        assertThat(browser.get("/contacts/new").status()).isEqualTo(200);

        Response created = browser.post("/contacts/new", Map.of("name", "Ishaan", "phone", "098111 22244", "email", "", "company", "",
                "ownerId", "", "whatsappUserId", "", "tags", "VIP, lead"));
        assertThat(created.status()).as(created.text()).isEqualTo(302);
        String path = created.location();
        String id = path.substring("/contacts/".length());
        String page = browser.get(path).text();
        assertThat(page).contains("Contact Ishaan created.").contains("+919811122244").contains(">vip<").contains(">lead<");

        Response duplicate = browser.post("/contacts/new", Map.of("name", "Ishaan again", "phone", "+91 98111-22244"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.text()).contains("Another contact already has the number +919811122244").contains("href=\"/contacts/" + id + "\"")
                .contains("value=\"Ishaan again\"");
        Response invalid = browser.post("/contacts/new", Map.of("name", "Nobody", "phone", "12"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.text()).contains("is too short to be a phone number");
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isEqualTo(1);

        Response saved = browser.follow(path, Map.of("name", "Ishaan Rao", "phone", "098111 22244", "whatsappUserId", "", "email", "ishaan@example.com",
                "company", "Rao Traders", "ownerId", agent.id().toString()));
        assertThat(saved.text()).contains("Contact saved.").contains("value=\"Rao Traders\"").contains("Company changed");
        Response refused = browser.follow(path, Map.of("name", "Other", "phone", "098111 22244", "email", "not an email"));
        assertThat(refused.text()).contains("is not an email address").contains("value=\"Ishaan Rao\"");

        assertThat(browser.follow(path + "/tags", Map.of("tag", "Repeat Buyer")).text()).contains(">repeat buyer<");
        assertThat(browser.follow(path + "/tags/remove", Map.of("tag", "VIP")).text()).doesNotContain(">vip<");

        assertThat(browser.follow(path + "/notes", Map.of("body", "Wants the 1 kg pack")).text()).contains("Note added.").contains("Wants the 1 kg pack");
        String noteId = jdbc.sql("select id::text from contact_notes where tenant_id = :t").param("t", workspace.id()).query(String.class).single();

        WebClient other = browser();
        other.signIn(colleague.email(), Fixtures.PASSWORD);
        String seen = other.get(path).text();
        assertThat(seen).contains("Wants the 1 kg pack").doesNotContain("/notes/" + noteId + "/delete");
        assertThat(other.follow(path + "/notes/" + noteId, Map.of("body", "Rewritten")).text()).contains("Only the author of a note");
        assertThat(other.follow(path + "/notes/" + noteId + "/delete", Map.of()).text()).contains("Only the author of a note");
        assertThat(other.get("/contacts/" + id + "/delete").status()).as("agents do not delete contacts").isEqualTo(403);

        assertThat(browser.follow(path + "/notes/" + noteId, Map.of("body", "Wants the 2 kg pack")).text()).contains("Wants the 2 kg pack")
                .doesNotContain("Wants the 1 kg pack");
        assertThat(browser.follow(path + "/notes/" + noteId + "/delete", Map.of()).text()).contains("Note deleted.").doesNotContain("2 kg pack");
    }

    @Test
    void deleting_and_merging_on_the_page_ask_first_and_say_what_goes() {
        Fixtures.Person supervisor = fixtures.member(workspace, Role.SUPERVISOR);
        String kept = ApiClient.json(admin.send("POST", "/api/v1/contacts", "{\"name\":\"Kavya\",\"phone\":\"+919811100021\"}")).get("id").asString();
        String other = ApiClient.json(admin.send("POST", "/api/v1/contacts", "{\"name\":\"Kavya R\",\"phone\":\"+919811100022\",\"tags\":[\"vip\"]}"))
                .get("id").asString();
        String gone = ApiClient.json(admin.send("POST", "/api/v1/contacts", "{\"name\":\"Old lead\",\"phone\":\"+919811100023\"}")).get("id").asString();
        WebClient browser = browser();
        browser.signIn(supervisor.email(), Fixtures.PASSWORD);

        String search = browser.get("/contacts/" + kept + "?merge=kavya").text();
        assertThat(search).contains("Kavya R").contains("/contacts/" + kept + "/merge?other=" + other).doesNotContain("Old lead");
        String confirm = browser.get("/contacts/" + kept + "/merge?other=" + other).text();
        assertThat(confirm).contains("Merge Kavya R into Kavya?").contains("Then Kavya R is deleted.");
        assertThat(browser.follow("/contacts/" + kept + "/merge", Map.of("otherContactId", other)).text()).contains("Merged Kavya R into this contact")
                .contains(">vip<");
        assertThat(browser.get("/contacts/" + other).status()).isEqualTo(404);

        String question = browser.get("/contacts/" + gone + "/delete").text();
        assertThat(question).contains("Delete Old lead?").contains("They have no conversations.");
        Response deleted = browser.post("/contacts/" + gone + "/delete", Map.of());
        assertThat(deleted.status()).isEqualTo(302);
        assertThat(deleted.location()).isEqualTo("/contacts");
        assertThat(browser.get("/contacts/" + gone).status()).isEqualTo(404);
    }

    @Test
    void contact_fields_are_for_owners_and_admins_and_deleting_one_asks_first_and_removes_its_values() {
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.get("/settings/contact-fields").text()).contains("No contact fields yet.");
        assertThat(owner.follow("/settings/contact-fields", Map.of("label", "Preferred size", "type", "list", "options", "500 g\n1 kg\n\n1 kg\n"))
                .text()).contains("Field Preferred size added.");
        assertThat(owner.follow("/settings/contact-fields", Map.of("label", "Sizes", "type", "list", "options", "")).text())
                .contains("A list needs at least one option.");
        String id = ApiClient.json(admin.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811100031\",\"attributes\":{\"preferred_size\":\"1 KG\"}}"))
                .get("id").asString();
        assertThat(ApiClient.json(admin.get("/api/v1/contacts/" + id)).get("attributes").get("preferred_size").asString()).isEqualTo("1 kg");

        assertThat(owner.follow("/settings/contact-fields/preferred_size", Map.of("label", "Pack size", "options", "500 g\n1 kg\n2 kg", "required", "true"))
                .text()).contains("Field Pack size saved.");
        assertThat(owner.get("/contacts/" + id).text()).contains("Pack size").contains("selected>1 kg<");

        WebClient agent = browser();
        agent.signIn(fixtures.member(workspace, Role.AGENT).email(), Fixtures.PASSWORD);
        assertThat(agent.get("/settings/contact-fields").status()).isEqualTo(403);

        assertThat(owner.get("/settings/contact-fields/preferred_size/delete").text()).contains("1 contacts have a value for Pack size");
        assertThat(ApiClient.json(admin.get("/api/v1/contacts/" + id)).get("attributes").has("preferred_size")).as("asking deletes nothing").isTrue();
        assertThat(owner.follow("/settings/contact-fields/preferred_size/delete", Map.of()).text())
                .contains("Field Pack size deleted; its value was removed from 1 contacts.");
        assertThat(ApiClient.json(admin.get("/api/v1/contacts/" + id)).get("attributes").has("preferred_size")).isFalse();
    }
}
