package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.ApiClient;
import hexa.support.TunedIntegrationTest;
import hexa.support.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** ./hexa run --demo (the tuned server starts with it): a demo workspace, and demo.json saying how to use it. */
class DemoTest extends TunedIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    hexa.platform.config.HexaProperties properties;

    @org.springframework.beans.factory.annotation.Autowired
    hexa.sandbox.numbers.SandboxNumbers sandbox;

    @Test
    void demo_json_holds_working_credentials_for_an_owner_an_agent_and_an_admin_token() throws Exception {
        Path file = properties.dataDir().resolve("demo.json");
        JsonNode demo = JsonMapper.builder().build().readTree(Files.readString(file));

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(demo.get("url").asString()).isEqualTo(baseUrl());
        WebClient owner = browser();
        owner.signIn(demo.get("owner").get("email").asString(), demo.get("owner").get("password").asString());
        assertThat(owner.get("/settings/members").text()).contains("Demo Shop").contains(demo.get("agent").get("email").asString());
        WebClient agent = browser();
        agent.signIn(demo.get("agent").get("email").asString(), demo.get("agent").get("password").asString());
        assertThat(agent.get("/inbox").status()).isEqualTo(200);
        JsonNode whatsapp = demo.get("whatsapp");
        for (String field : new String[] {"callbackUrl", "appSecret", "verifyToken", "phoneNumberId", "wabaId", "displayPhoneNumber"}) {
            assertThat(whatsapp.get(field).asString()).as("demo.json whatsapp." + field).isNotBlank();
        }
        assertThat(sandbox.awaitWebhookVerified(whatsapp.get("phoneNumberId").asString(), java.time.Duration.ofSeconds(20)))
                .as("the sandbox reaches the demo workspace's webhook").isTrue();
        var me = ApiClient.json(api(demo.get("apiToken").asString()).get("/api/v1/me"));
        assertThat(me.get("role").asString()).isEqualTo("admin");
        assertThat(me.get("workspace").get("name").asString()).isEqualTo("Demo Shop");
    }

    @org.springframework.beans.factory.annotation.Autowired
    DemoSeeder seeder;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void starting_again_hands_out_new_credentials_and_the_old_token_stops_working() throws Exception {
        Path file = properties.dataDir().resolve("demo.json");
        JsonNode before = JsonMapper.builder().build().readTree(Files.readString(file));
        String oldToken = before.get("apiToken").asString();
        assertThat(api(oldToken).get("/api/v1/me").status()).isEqualTo(200);

        seeder.seed(null);

        JsonNode after = JsonMapper.builder().build().readTree(Files.readString(file));
        String newToken = after.get("apiToken").asString();
        assertThat(newToken).isNotEqualTo(oldToken);
        assertThat(api(newToken).get("/api/v1/me").status()).isEqualTo(200);
        assertThat(api(oldToken).get("/api/v1/me").status()).as("the token of the last start is revoked").isEqualTo(401);
        assertThat(after.get("workspace").get("id").asString()).isEqualTo(before.get("workspace").get("id").asString());
        long active = jdbc.sql("select count(*) from api_tokens where tenant_id = cast(:t as uuid) and name = 'Demo integration' and revoked_at is null")
                .param("t", after.get("workspace").get("id").asString()).query(Long.class).single();
        assertThat(active).as("one active demo token").isEqualTo(1);
    }
}
