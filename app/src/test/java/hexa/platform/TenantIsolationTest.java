package hexa.platform;

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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Two workspaces. Everything of one is probed with the other's session and token, using the first
 * one's real ids: every answer is "not found", nothing of the other shows, and nothing changes.
 */
class TenantIsolationTest extends HexaIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Autowired
    JdbcClient jdbc;

    @Test
    void another_workspace_is_not_found_on_every_page_and_endpoint() {
        var victim = fixtures.workspace("Victim Co");
        var victimAgent = fixtures.member(victim, Role.AGENT);
        String victimToken = fixtures.apiToken(victim, Role.ADMIN);
        WebClient victimOwner = browser();
        victimOwner.signIn(victim.owner().email(), Fixtures.PASSWORD);
        victimOwner.post("/settings/members/invitations", Map.of("email", "pending-" + System.nanoTime() + "@test.example", "role", "AGENT"));
        victimOwner.post("/settings/whatsapp/sandbox", Map.of());
        // A file uploaded to send, and a conversation with a customer (with its message).
        assertThat(api(victimToken).upload("/api/v1/media", "file", "secret.pdf", "application/pdf",
                "%PDF-1.4\nvictim".getBytes(java.nio.charset.StandardCharsets.UTF_8)).status()).isEqualTo(201);
        String victimNumber = jdbc.sql("select phone_number_id from whatsapp_connections where tenant_id = :t").param("t", victim.id())
                .query(String.class).single();
        customerOf(victim.id(), victimNumber).writes("919811100001", "Victim's customer");
        // A note on the customer's contact.
        String victimContact = jdbc.sql("select id::text from contacts where tenant_id = :t").param("t", victim.id()).query(String.class).single();
        assertThat(api(victimToken).send("POST", "/api/v1/contacts/" + victimContact + "/notes", "{\"body\":\"Victim's note\"}").status()).isEqualTo(201);
        // A saved contact segment.
        assertThat(api(victimToken).send("POST", "/api/v1/contacts/segments", "{\"name\":\"Victim segment\",\"filter\":\"consent=opted_in\"}").status())
                .isEqualTo(201);
        List<String> victimIds = jdbc.sql("""
                select user_id::text from memberships where tenant_id = :t
                union all select id::text from invitations where tenant_id = :t
                union all select id::text from api_tokens where tenant_id = :t
                union all select id::text from whatsapp_connections where tenant_id = :t
                union all select id::text from media_uploads where tenant_id = :t
                union all select id::text from conversations where tenant_id = :t
                union all select id::text from messages where tenant_id = :t
                union all select id::text from contacts where tenant_id = :t
                union all select id::text from contact_notes where tenant_id = :t
                union all select id::text from contact_segments where tenant_id = :t
                union all select :t::text
                """).param("t", victim.id()).query(String.class).list();
        String before = snapshot(victim);

        var attacker = fixtures.workspace("Attacker Co");
        WebClient attackerOwner = browser();
        attackerOwner.signIn(attacker.owner().email(), Fixtures.PASSWORD);
        String attackerToken = fixtures.apiToken(attacker, Role.ADMIN);

        List<String> violations = new ArrayList<>();
        ApiClient attackerApi = api(attackerToken);
        for (Endpoints.Endpoint endpoint : Endpoints.all(mapping)) {
            if (!endpoint.pattern().contains("{") || endpoint.pattern().startsWith("/invitations/")) {
                continue;
            }
            for (String id : victimIds) {
                Response response = endpoint.isApi()
                        ? attackerApi.send(endpoint.method(), endpoint.path(id), endpoint.method().equals("GET") ? null : "{}")
                        : attackerOwner.request(endpoint.method(), endpoint.path(id));
                if (response.status() != 404) {
                    violations.add(endpoint + " with " + id + " -> " + response.status());
                }
            }
        }
        Response switchIn = attackerOwner.post("/workspaces/switch", Map.of("workspaceId", victim.id().toString()));
        if (switchIn.status() != 404) {
            violations.add("switch into the victim's workspace -> " + switchIn.status());
        }
        assertThat(violations).isEmpty();
        assertThat(snapshot(victim)).as("nothing of the victim changed").isEqualTo(before);

        assertThat(jdbc.sql("select count(*) from whatsapp_connections where tenant_id = :t").param("t", victim.id()).query(Integer.class).single())
                .as("the victim has a connection to probe").isEqualTo(1);
        for (String page : List.of("/settings/members", "/settings/api-tokens", "/settings/audit-log", "/settings/workspace", "/settings/whatsapp", "/inbox")) {
            String text = attackerOwner.get(page).text();
            assertThat(text).as(page).doesNotContain(victimAgent.email()).doesNotContain("Victim Co").doesNotContain(victim.owner().email());
        }
        Response me = api(attackerToken).get("/api/v1/me");
        assertThat(ApiClient.json(me).get("workspace").get("id").asString()).isEqualTo(attacker.id().toString());
    }

    private String snapshot(Fixtures.TestWorkspace workspace) {
        return jdbc.sql("""
                select concat_ws('|',
                    (select string_agg(user_id || role || active, ',' order by user_id) from memberships where tenant_id = :t),
                    (select string_agg(id || coalesce(revoked_at::text, '') || coalesce(accepted_at::text, ''), ',' order by id) from invitations where tenant_id = :t),
                    (select string_agg(id || coalesce(revoked_at::text, ''), ',' order by id) from api_tokens where tenant_id = :t),
                    (select string_agg(id || status, ',' order by id) from whatsapp_connections where tenant_id = :t),
                    (select string_agg(id || status || coalesce(read_at::text, ''), ',' order by id) from messages where tenant_id = :t),
                    (select count(*) from whatsapp_read_receipts where tenant_id = :t),
                    (select count(*) from media_uploads where tenant_id = :t),
                    (select string_agg(id || marketing_consent || coalesce(blocked_at::text, ''), ',' order by id) from contacts where tenant_id = :t),
                    (select count(*) from contact_consent_events where tenant_id = :t),
                    (select count(*) from contact_events where tenant_id = :t),
                    (select string_agg(id || coalesce(name, '') || updated_at, ',' order by id) from contacts where tenant_id = :t),
                    (select string_agg(id || body || updated_at, ',' order by id) from contact_notes where tenant_id = :t),
                    (select string_agg(id || name || filter::text, ',' order by id) from contact_segments where tenant_id = :t),
                    (select name || time_zone || default_country from workspaces where id = :t))
                """).param("t", workspace.id()).query(String.class).single();
    }
}
