package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Another workspace's contacts, notes and contact fields are "not found" everywhere, and nothing of them changes. */
class ContactTenantIsolationTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void another_workspaces_contacts_notes_and_fields_are_not_found() {
        var victim = fixtures.workspace("Victim Contacts " + UUID.randomUUID().toString().substring(0, 4));
        ApiClient victimApi = api(fixtures.apiToken(victim, Role.ADMIN));
        victimApi.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Secret\",\"type\":\"text\"}");
        String contact = ApiClient.json(victimApi.send("POST", "/api/v1/contacts",
                "{\"name\":\"Victim customer\",\"phone\":\"+919877700001\",\"tags\":[\"vip\"],\"attributes\":{\"secret\":\"s3cret\"}}")).get("id").asString();
        String note = ApiClient.json(victimApi.send("POST", "/api/v1/contacts/" + contact + "/notes", "{\"body\":\"Victim note\"}")).get("id").asString();
        String before = snapshot(victim.id());

        var attacker = fixtures.workspace("Attacker Contacts");
        ApiClient attackerApi = api(fixtures.apiToken(attacker, Role.ADMIN));
        String own = ApiClient.json(attackerApi.send("POST", "/api/v1/contacts", "{\"name\":\"Mine\",\"phone\":\"+919877700002\"}")).get("id").asString();
        WebClient attackerBrowser = browser();
        attackerBrowser.signIn(attacker.owner().email(), Fixtures.PASSWORD);

        String c = "/api/v1/contacts/" + contact;
        List<String> violations = new ArrayList<>();
        List<String[]> api = List.of(new String[] {"GET", c, null}, new String[] {"PATCH", c, "{\"name\":\"Hacked\"}"}, new String[] {"DELETE", c, null},
                new String[] {"PUT", c + "/tags/pwned", null}, new String[] {"DELETE", c + "/tags/vip", null}, new String[] {"GET", c + "/notes", null},
                new String[] {"POST", c + "/notes", "{\"body\":\"x\"}"}, new String[] {"PATCH", c + "/notes/" + note, "{\"body\":\"x\"}"},
                new String[] {"DELETE", c + "/notes/" + note, null}, new String[] {"GET", c + "/timeline", null},
                new String[] {"POST", c + "/merge", "{\"otherContactId\":\"" + own + "\"}"},
                new String[] {"POST", "/api/v1/contacts/" + own + "/merge", "{\"otherContactId\":\"" + contact + "\"}"},
                new String[] {"PATCH", "/api/v1/contacts/" + own + "/notes/" + note, "{\"body\":\"x\"}"},
                new String[] {"PATCH", "/api/v1/contact-attributes/secret", "{\"label\":\"x\"}"},
                new String[] {"DELETE", "/api/v1/contact-attributes/secret", null});
        for (String[] call : api) {
            Response response = attackerApi.send(call[0], call[1], call[2]);
            if (response.status() != 404) {
                violations.add(call[0] + " " + call[1] + " -> " + response.status());
            }
        }
        String p = "/contacts/" + contact;
        for (String page : List.of(p, p + "/delete", p + "/merge?other=" + own, "/contacts/" + own + "/merge?other=" + contact,
                "/settings/contact-fields/secret/delete")) {
            Response response = attackerBrowser.get(page);
            if (response.status() != 404) {
                violations.add("GET " + page + " -> " + response.status());
            }
        }
        for (String form : List.of(p, p + "/tags", p + "/tags/remove", p + "/notes", p + "/notes/" + note, p + "/notes/" + note + "/delete",
                p + "/delete", p + "/merge", "/contacts/" + own + "/notes/" + note + "/delete", "/settings/contact-fields/secret",
                "/settings/contact-fields/secret/delete")) {
            Response response = attackerBrowser.post(form, Map.of("name", "Hacked", "tag", "vip", "body", "x", "otherContactId", own, "label", "x"));
            if (response.status() != 404) {
                violations.add("POST " + form + " -> " + response.status());
            }
        }
        Response merged = attackerBrowser.post("/contacts/" + own + "/merge", Map.of("otherContactId", contact));
        if (merged.status() != 404) {
            violations.add("POST merge the victim's contact into one's own -> " + merged.status());
        }
        assertThat(violations).isEmpty();
        assertThat(snapshot(victim.id())).as("nothing of the victim changed").isEqualTo(before);
        assertThat(attackerBrowser.get("/contacts/" + own + "?merge=victim").text()).doesNotContain("Victim customer");
        Response duplicate = attackerApi.send("POST", "/api/v1/contacts", "{\"phone\":\"+919877700001\"}");
        assertThat(duplicate.status()).as("numbers are one per workspace, not across workspaces").isEqualTo(201);
    }

    private String snapshot(UUID tenant) {
        return jdbc.sql("""
                select concat_ws('|',
                    (select string_agg(id || coalesce(name, '') || coalesce(phone_e164, '') || attributes::text || updated_at, ',' order by id) from contacts where tenant_id = :t),
                    (select string_agg(contact_id || tag, ',' order by tag) from contact_tags where tenant_id = :t),
                    (select string_agg(id || body || updated_at, ',' order by id) from contact_notes where tenant_id = :t),
                    (select string_agg(key || label, ',' order by key) from contact_attributes where tenant_id = :t),
                    (select count(*) from contact_events where tenant_id = :t))
                """).param("t", tenant).query(String.class).single();
    }
}
