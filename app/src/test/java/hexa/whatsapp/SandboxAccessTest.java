package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.SandboxSwitches;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The WhatsApp sandbox inside the app (issue 13, hole 1): nobody gets in without signing in or the control token; a
 * member sees and uses only their own workspace's sandbox numbers; only Owners and Admins change how it behaves;
 * callbacks point at this server's webhooks only; customers' files and load runs are bounded.
 */
class SandboxAccessTest extends HexaIntegrationTest {

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    SandboxSwitches switches;

    @Autowired
    JdbcClient jdbc;

    /** Every request the phone simulator and the control API serve, aimed at {@code phoneNumberId}. */
    private static List<String[]> everySandboxRequest(String phoneNumberId, String customer) {
        String id = phoneNumberId;
        return List.of(
                new String[] {"GET", "/sandbox", null},
                new String[] {"GET", "/sandbox/", null},
                new String[] {"GET", "/sandbox/static/simulator.js", null},
                new String[] {"GET", "/sandbox/api/me", null},
                new String[] {"GET", "/sandbox/api/numbers", null},
                new String[] {"POST", "/sandbox/api/numbers", "{\"phoneNumberId\":\"" + id + "\",\"callbackUrl\":\"http://127.0.0.1:5432/\"}"},
                new String[] {"GET", "/sandbox/api/customers", null},
                new String[] {"POST", "/sandbox/api/customers", "{\"waId\":\"" + customer + "\",\"phoneNumberId\":\"" + id + "\",\"undeliverable\":true}"},
                new String[] {"PATCH", "/sandbox/api/customers/" + customer, "{\"undeliverable\":true}"},
                new String[] {"POST", "/sandbox/api/customers/" + customer + "/messages",
                        "{\"phoneNumberId\":\"" + id + "\",\"type\":\"text\",\"text\":{\"body\":\"STOP\"}}"},
                new String[] {"GET", "/sandbox/api/numbers/" + id + "/chats", null},
                new String[] {"GET", "/sandbox/api/numbers/" + id + "/chats/" + customer, null},
                new String[] {"GET", "/sandbox/api/numbers/" + id + "/templates", null},
                new String[] {"GET", "/sandbox/api/media/1234567890", null},
                new String[] {"POST", "/sandbox/api/load",
                        "{\"phoneNumberId\":\"" + id + "\",\"customers\":1,\"messagesPerCustomer\":1,\"messagesPerSecond\":1}"},
                new String[] {"GET", "/sandbox/api/load/load-1", null},
                new String[] {"GET", "/sandbox/api/stats", null},
                new String[] {"GET", "/sandbox/api/stats?phoneNumberId=" + id, null},
                new String[] {"DELETE", "/sandbox/api/stats", null},
                new String[] {"GET", "/sandbox/api/switches", null},
                new String[] {"PATCH", "/sandbox/api/switches", "{\"undeliverableRate\":1.0}"},
                new String[] {"POST", "/sandbox/api/clock", "{\"advanceSeconds\":90000}"});
    }

    private long messagesOf(UUID workspace) {
        return jdbc.sql("select count(*) from messages where tenant_id = :t").param("t", workspace).query(Long.class).single();
    }

    private String callbackOf(String phoneNumberId) {
        return sandbox.find(phoneNumberId).orElseThrow().webhookTarget().callbackUrl();
    }

    @Test
    void anonymous_requests_to_every_sandbox_path_are_refused_and_change_nothing() {
        Fixtures.SandboxWorkspace victim = fixtures.withSandboxNumber("Anonymous target " + UUID.randomUUID().toString().substring(0, 6));
        victim.customer().writes("919800070001", "hello");
        String callback = callbackOf(victim.phoneNumberId());
        double undeliverable = switches.undeliverableRate;
        long messages = messagesOf(victim.id());
        String accessToken = sandbox.find(victim.phoneNumberId()).orElseThrow().accessToken();

        for (String[] r : everySandboxRequest(victim.phoneNumberId(), "919800070002")) {
            for (String authorization : new String[] {null, "not-the-control-token", accessToken}) {
                Response answer = new ApiClient(baseUrl(), authorization).send(r[0], r[1], r[2]);
                assertThat(answer.status()).as(r[0] + " " + r[1] + " with " + authorization).isIn(401, 404);
                assertThat(answer.text()).as(r[1]).doesNotContain(victim.phoneNumberId()).doesNotContain(accessToken)
                        .doesNotContain("919800070001");
            }
        }

        assertThat(callbackOf(victim.phoneNumberId())).isEqualTo(callback);
        assertThat(switches.undeliverableRate).isEqualTo(undeliverable);
        assertThat(messagesOf(victim.id())).as("no message injected").isEqualTo(messages);
        assertThat(ApiClient.json(sandboxControl().get("/sandbox/api/customers")).toString()).doesNotContain("919800070002");
    }

    @Test
    void a_member_of_another_workspace_sees_and_changes_nothing_of_its_sandbox_number() {
        Fixtures.SandboxWorkspace victim = fixtures.withSandboxNumber("Victim " + UUID.randomUUID().toString().substring(0, 6));
        victim.customer().writes("919800070011", "my order number is 4411");
        String uploaded = victim.customer().uploads("919800070011", "%PDF-1.4 invoice".getBytes(StandardCharsets.US_ASCII), "application/pdf", "invoice.pdf");
        Fixtures.SandboxWorkspace other = fixtures.withSandboxNumber("Other " + UUID.randomUUID().toString().substring(0, 6));
        String callback = callbackOf(victim.phoneNumberId());
        long messages = messagesOf(victim.id());
        WebClient owner = browser();
        owner.signIn(other.owner().email(), Fixtures.PASSWORD);
        Map<String, String> csrf = csrfOf(owner);

        JsonNode numbers = ApiClient.json(owner.get("/sandbox/api/numbers"));
        assertThat(numbers).hasSize(1);
        assertThat(numbers.get(0).get("phoneNumberId").asString()).isEqualTo(other.phoneNumberId());
        assertThat(numbers.get(0).has("accessToken")).as("a member never gets the number's access token").isFalse();
        for (String[] r : everySandboxRequest(victim.phoneNumberId(), "919800070011")) {
            if (!r[1].contains(victim.phoneNumberId()) && !r[1].contains("919800070011") && (r[2] == null || !r[2].contains(victim.phoneNumberId()))) {
                continue;
            }
            Response answer = owner.send(r[0], r[1], r[2], csrf);
            assertThat(answer.status()).as(r[0] + " " + r[1]).isEqualTo(404);
            assertThat(answer.text()).as(r[1]).doesNotContain("my order number");
        }
        assertThat(owner.get("/sandbox/api/media/" + uploaded).status()).isEqualTo(404);
        assertThat(owner.get("/sandbox/api/customers").text()).doesNotContain("919800070011");
        assertThat(ApiClient.json(owner.get("/sandbox/api/stats")).get("phoneNumberId").asString()).isEqualTo(other.phoneNumberId());

        assertThat(callbackOf(victim.phoneNumberId())).isEqualTo(callback);
        assertThat(messagesOf(victim.id())).as("nothing injected into the victim's inbox").isEqualTo(messages);
        assertThat(victim.customer().chat("919800070011").toString()).contains("my order number");
    }

    @Test
    void a_member_uses_the_phone_simulator_with_the_csrf_token_of_their_session() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Simulator " + UUID.randomUUID().toString().substring(0, 6));
        Fixtures.Person agent = fixtures.member(shop.workspace(), Role.AGENT);
        WebClient phone = browser();
        phone.signIn(agent.email(), Fixtures.PASSWORD);
        String message = "{\"phoneNumberId\":\"" + shop.phoneNumberId() + "\",\"type\":\"text\",\"text\":{\"body\":\"Is the shop open?\"}}";
        long before = messagesOf(shop.id());

        assertThat(phone.get("/sandbox").status()).isEqualTo(200);
        assertThat(phone.send("POST", "/sandbox/api/customers/919800070021/messages", message, Map.of()).status())
                .as("without the CSRF token a session cannot send").isEqualTo(403);
        assertThat(messagesOf(shop.id())).isEqualTo(before);
        Response sent = phone.send("POST", "/sandbox/api/customers/919800070021/messages", message, csrfOf(phone));

        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        shop.customer().stored(ApiClient.json(sent).get("id").asString());
    }

    @Test
    void an_agent_cannot_change_numbers_switches_the_clock_or_load_runs() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Agent rights " + UUID.randomUUID().toString().substring(0, 6));
        Fixtures.Person agent = fixtures.member(shop.workspace(), Role.AGENT);
        WebClient client = browser();
        client.signIn(agent.email(), Fixtures.PASSWORD);
        Map<String, String> csrf = csrfOf(client);
        String callback = callbackOf(shop.phoneNumberId());
        String switchesBefore = sandboxControl().get("/sandbox/api/switches").text();
        String id = shop.phoneNumberId();

        Map<String, String[]> refused = new HashMap<>();
        refused.put("numbers", new String[] {"POST", "/sandbox/api/numbers", "{\"phoneNumberId\":\"" + id + "\",\"callbackUrl\":\"" + callback + "\"}"});
        refused.put("switches", new String[] {"PATCH", "/sandbox/api/switches", "{\"undeliverableRate\":1.0}"});
        refused.put("clock", new String[] {"POST", "/sandbox/api/clock", "{\"advanceSeconds\":90000}"});
        refused.put("load", new String[] {"POST", "/sandbox/api/load", "{\"phoneNumberId\":\"" + id + "\",\"customers\":1,\"messagesPerCustomer\":1,\"messagesPerSecond\":1}"});
        refused.put("stats reset", new String[] {"DELETE", "/sandbox/api/stats", null});
        refused.forEach((what, r) -> {
            Response answer = client.send(r[0], r[1], r[2], csrf);
            assertThat(answer.status()).as(what + ": " + answer.text()).isEqualTo(403);
        });

        assertThat(sandboxControl().get("/sandbox/api/switches").text()).isEqualTo(switchesBefore);
        assertThat(callbackOf(id)).isEqualTo(callback);
        assertThat(sandboxControl().get("/sandbox/api/stats").status()).isEqualTo(200);
    }

    @Test
    void a_callback_url_that_points_anywhere_but_this_servers_webhooks_is_refused() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Callbacks " + UUID.randomUUID().toString().substring(0, 6));
        WebClient owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        Map<String, String> csrf = csrfOf(owner);
        String callback = callbackOf(shop.phoneNumberId());
        String id = shop.phoneNumberId();

        for (String elsewhere : new String[] {"http://127.0.0.1:5432/", "http://169.254.169.254/latest/meta-data/",
                baseUrl() + "/api/v1/me", "http://attacker.example/webhooks/whatsapp/wh_x", baseUrl() + "/webhooks/whatsapp/wh_x?next=1",
                "http://localhost:1/webhooks/whatsapp/wh_x", "file:///etc/passwd"}) {
            String body = "{\"phoneNumberId\":\"" + id + "\",\"callbackUrl\":\"" + elsewhere + "\"}";
            for (Response answer : List.of(owner.send("POST", "/sandbox/api/numbers", body, csrf), sandboxControl().send("POST", "/sandbox/api/numbers", body))) {
                assertThat(answer.status()).as(elsewhere + ": " + answer.text()).isEqualTo(400);
                assertThat(ApiClient.json(answer).get("message").asString()).contains("only to this server's own webhook path")
                        .contains("Nothing was changed");
            }
        }
        assertThat(callbackOf(id)).isEqualTo(callback);

        Response own = owner.send("POST", "/sandbox/api/numbers", "{\"phoneNumberId\":\"" + id + "\",\"callbackUrl\":\"" + callback + "\"}", csrf);
        assertThat(own.status()).as(own.text()).isEqualTo(201);
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'sandbox.number_registered'")
                .param("t", shop.id()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void a_customers_file_above_the_limit_is_refused_and_a_load_run_is_bounded() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Bounds " + UUID.randomUUID().toString().substring(0, 6));
        byte[] big = new byte[17 * 1024 * 1024];
        System.arraycopy("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), 0, big, 0, 9);

        Response upload = sandboxControl().upload("/sandbox/api/customers/919800070031/media?phoneNumberId=" + shop.phoneNumberId(), "file",
                "big.pdf", "application/pdf", big);
        Response load = sandboxControl().send("POST", "/sandbox/api/load", "{\"phoneNumberId\":\"" + shop.phoneNumberId()
                + "\",\"customers\":100000,\"messagesPerCustomer\":1000,\"messagesPerSecond\":1}");

        assertThat(upload.status()).as(upload.text()).isEqualTo(400);
        assertThat(ApiClient.json(upload).get("message").asString()).contains("up to 16.0 MB");
        assertThat(load.status()).as(load.text()).isEqualTo(400);
        assertThat(ApiClient.json(load).get("message").asString()).contains("at most").contains("Nothing was started");
    }

    /** What the phone simulator's script does first: ask who it is, and which headers to send back. */
    private static Map<String, String> csrfOf(WebClient client) {
        Response me = client.get("/sandbox/api/me");
        assertThat(me.status()).as(me.text()).isEqualTo(200);
        Map<String, String> headers = new HashMap<>();
        ApiClient.json(me).get("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
        assertThat(headers).isNotEmpty();
        return headers;
    }
}
