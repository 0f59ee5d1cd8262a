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
        assertThat(owner.get("/settings/business-hours").text()).as("the demo's business hours").contains("value=\"18:00\"", "value=\"14:00\"", "Republic Day");
        assertThat(owner.get("/inbox").text()).as("the inbox's open-now badge").contains("data-testid=\"business-hours-badge\"");
        WebClient agent = browser();
        agent.signIn(demo.get("agent").get("email").asString(), demo.get("agent").get("password").asString());
        assertThat(agent.get("/inbox").status()).isEqualTo(200);
        String demoConversation = ApiClient.json(api(demo.get("apiToken").asString()).get("/api/v1/conversations?view=all")).at("/items/0/id").asString();
        assertThat(owner.get("/inbox/conversations/" + demoConversation).text()).as("a demo conversation's \"Start a flow\" menu")
                .contains("data-testid=\"flow-choice\"", "Order status");
        JsonNode whatsapp = demo.get("whatsapp");
        for (String field : new String[] {"callbackUrl", "appSecret", "verifyToken", "phoneNumberId", "wabaId", "displayPhoneNumber"}) {
            assertThat(whatsapp.get(field).asString()).as("demo.json whatsapp." + field).isNotBlank();
        }
        assertThat(sandbox.awaitWebhookVerified(whatsapp.get("phoneNumberId").asString(), java.time.Duration.ofSeconds(20)))
                .as("the sandbox reaches the demo workspace's webhook").isTrue();
        String controlToken = demo.at("/sandbox/controlToken").asString();
        assertThat(controlToken).as("demo.json sandbox.controlToken").isNotBlank();
        var numbers = api(controlToken).get("/sandbox/api/numbers");
        assertThat(numbers.status()).as("the control API takes the token as a bearer").isEqualTo(200);
        assertThat(numbers.text()).contains(whatsapp.get("phoneNumberId").asString());
        var me = ApiClient.json(api(demo.get("apiToken").asString()).get("/api/v1/me"));
        assertThat(me.get("role").asString()).isEqualTo("admin");
        assertThat(me.get("workspace").get("name").asString()).isEqualTo("Demo Shop");
        hexa.support.Eventually.await(() -> api(demo.get("apiToken").asString()).get("/api/v1/templates?status=APPROVED").text(),
                t -> t.contains("spring_sale") && t.contains("order_shipped"), "the demo's two templates approved by the sandbox");
        // A small campaign really sent through the sandbox: finished, the customer who wrote STOP left out as opted out and the
        // one waiting for a replacement by tag.
        assertThat(demo.get("campaign").asString()).isEqualTo("Dispatch notice: festive orders");
        ApiClient admin = api(demo.get("apiToken").asString());
        String campaign = hexa.support.Eventually.await(() -> ApiClient.json(admin.get("/api/v1/campaigns")).get("items"),
                items -> items.valueStream().anyMatch(c -> c.get("name").asString().equals("Dispatch notice: festive orders")
                        && c.get("status").asString().equals("FINISHED")), "the demo campaign to finish")
                .valueStream().filter(c -> c.get("name").asString().equals("Dispatch notice: festive orders")).findFirst().orElseThrow()
                .get("id").asString();
        JsonNode funnel = ApiClient.json(admin.get("/api/v1/campaigns/" + campaign)).get("funnel");
        assertThat(funnel.get("excluded").get("OPTED_OUT").asLong()).as("Meera wrote STOP").isEqualTo(1);
        assertThat(funnel.get("excluded").get("EXCLUDED_TAG").asLong()).as("Kabir waits for a replacement").isEqualTo(1);
        assertThat(funnel.get("queued").asLong() + funnel.get("sent").asLong()).as("the other demo customers got it").isGreaterThanOrEqualTo(3);
        assertThat(owner.get("/campaigns").text()).contains("Dispatch notice: festive orders", "data-status=\"FINISHED\"");
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

    @Test
    void the_demo_inbox_has_customers_writing_and_one_of_them_is_opted_out_by_her_stop_and_told_so() throws Exception {
        JsonNode demo = JsonMapper.builder().build().readTree(Files.readString(properties.dataDir().resolve("demo.json")));
        ApiClient admin = api(demo.get("apiToken").asString());
        String workspace = demo.get("workspace").get("id").asString();

        JsonNode list = hexa.support.Eventually.await(() -> ApiClient.json(admin.get("/api/v1/conversations?view=all&status=open")),
                l -> l.get("items").size() >= 3, "the demo customers' conversations");
        java.util.List<String> names = new java.util.ArrayList<>();
        list.get("items").forEach(item -> names.add(item.get("contact").get("name").asString()));
        assertThat(names).contains("Asha Verma", "Ravi Menon", "Meera Iyer");
        assertThat(ApiClient.json(admin.get("/api/v1/automation/flows")).get("items").toString()).as("the demo's order-status flow, published")
                .contains("\"name\":\"Order status\"").contains("\"keywords\":[\"order\"]").contains("\"publishedVersion\":1");

        String meera = jdbc.sql("select id::text from contacts where tenant_id = cast(:t as uuid) and wa_id = '919812300003'")
                .param("t", workspace).query(String.class).single();
        JsonNode consent = hexa.support.Eventually.await(() -> ApiClient.json(admin.get("/api/v1/contacts/" + meera + "/consent")),
                c -> "opted_out".equals(c.get("marketing").asString()), "Meera's STOP applied");
        assertThat(consent.get("source").asString()).isEqualTo("keyword");
        hexa.support.Eventually.until(() -> jdbc.sql("""
                select count(*) from messages where tenant_id = cast(:t as uuid) and direction = 'OUTBOUND'
                   and contact_id = cast(:c as uuid) and status in ('SENT', 'DELIVERED', 'READ')
                """).param("t", workspace).param("c", meera).query(Integer.class).single() == 1, "the acknowledgement sent to Meera");

        seeder.seed(null);
        hexa.support.DomainEvents.awaitHandled(jdbc);
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = cast(:t as uuid) and body = 'STOP'")
                .param("t", workspace).query(Integer.class).single()).as("a second start writes no sample messages again").isEqualTo(1);
    }

    @Test
    void the_demo_inbox_shows_a_few_days_of_conversation_with_five_customers_seeded_through_the_sandbox() throws Exception {
        JsonNode demo = JsonMapper.builder().build().readTree(Files.readString(properties.dataDir().resolve("demo.json")));
        ApiClient admin = api(demo.get("apiToken").asString());
        String workspace = demo.get("workspace").get("id").asString();
        // The sample is finished when the inbox has resolved Kabir's conversation, its last step.
        JsonNode resolved = hexa.support.Eventually.await(() -> ApiClient.json(admin.get("/api/v1/conversations?view=all&status=resolved")),
                l -> names(l).contains("Kabir Singh"), "Kabir's conversation resolved", java.time.Duration.ofSeconds(90));
        JsonNode open = ApiClient.json(admin.get("/api/v1/conversations?view=all&status=open"));

        assertThat(names(open)).contains("Asha Verma", "Ravi Menon", "Meera Iyer", "Sara Khan").doesNotContain("Kabir Singh");
        assertThat(names(resolved)).contains("Kabir Singh");
        // Assigned to the demo members, with an internal note.
        assertThat(assignee(workspace, "919812300001")).isEqualTo("Arjun Agent");
        assertThat(assignee(workspace, "919812300002")).isEqualTo("Dana Owner");
        assertThat(assignee(workspace, "919812300005")).isNull();
        assertThat(jdbc.sql("""
                select count(*) from conversation_notes n join conversations c on c.tenant_id = n.tenant_id and c.id = n.conversation_id
                  join contacts k on k.tenant_id = c.tenant_id and k.id = c.contact_id
                 where n.tenant_id = cast(:t as uuid) and k.wa_id = '919812300002'
                """).param("t", workspace).query(Integer.class).single()).isEqualTo(1);
        // Contacts with tags and a note.
        String asha = contactId(workspace, "919812300001");
        JsonNode ashaContact = ApiClient.json(admin.get("/api/v1/contacts/" + asha));
        assertThat(ashaContact.get("tags").toString()).contains("vip").contains("kurta");
        assertThat(jdbc.sql("select body from contact_notes where tenant_id = cast(:t as uuid) and contact_id = cast(:c as uuid)")
                .param("t", workspace).param("c", asha).query(String.class).list()).containsExactly("Prefers delivery after 6 pm; pays by UPI.");
        // A few days of every kind: texts, photos, a voice note, a location, an order, an ad's message, a Flow answer.
        java.util.List<String> kinds = jdbc.sql("select distinct type from messages where tenant_id = cast(:t as uuid) and direction = 'INBOUND'")
                .param("t", workspace).query(String.class).list();
        assertThat(kinds).contains("text", "image", "audio", "location", "order", "interactive");
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = cast(:t as uuid) and content::text like '%nfm_reply%'")
                .param("t", workspace).query(Integer.class).single()).as("Kabir's Flow answer").isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = cast(:t as uuid) and direction = 'OUTBOUND' and content::text like '%flow_cta%'")
                .param("t", workspace).query(Integer.class).single()).as("the feedback form Kabir answered").isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = cast(:t as uuid) and content::text like '%\"referral\"%'")
                .param("t", workspace).query(Integer.class).single()).as("Sara's message from the ad").isEqualTo(1);
        java.time.Instant oldest = jdbc.sql("select min(sent_at) from messages where tenant_id = cast(:t as uuid)")
                .param("t", workspace).query(java.time.Instant.class).single();
        assertThat(oldest).as("the conversation goes back two days").isBefore(java.time.Instant.now().minus(java.time.Duration.ofDays(2)));
        // The business answered, and Asha reacted to the answer.
        hexa.support.Eventually.until(() -> jdbc.sql("""
                select count(*) from messages where tenant_id = cast(:t as uuid) and direction = 'OUTBOUND' and status in ('SENT', 'DELIVERED', 'READ')
                """).param("t", workspace).query(Integer.class).single() >= 4, "three answers and Meera's acknowledgement sent");
        assertThat(jdbc.sql("""
                select r.emoji from message_reactions r join messages m on m.tenant_id = r.tenant_id and m.wamid = r.target_wamid
                 where r.tenant_id = cast(:t as uuid) and m.direction = 'OUTBOUND'
                """).param("t", workspace).query(String.class).list()).containsExactly("👍");
        // The privacy side: the public page, Meera's request for her data waiting for an Owner or Admin, Kabir on legal hold.
        hexa.support.Eventually.until(() -> jdbc.sql("select count(*) from privacy_legal_holds where tenant_id = cast(:t as uuid) and released_at is null")
                .param("t", workspace).query(Integer.class).single() == 1, "Kabir on legal hold");
        assertThat(jdbc.sql("""
                select k.wa_id from privacy_legal_holds h join contacts k on k.tenant_id = h.tenant_id and k.id = h.contact_id
                 where h.tenant_id = cast(:t as uuid)
                """).param("t", workspace).query(String.class).list()).containsExactly("919812300004");
        assertThat(jdbc.sql("select kind || ' ' || state from privacy_requests where tenant_id = cast(:t as uuid)")
                .param("t", workspace).query(String.class).list()).containsExactly("export awaiting_approval");
        assertThat(jdbc.sql("select count(*) from privacy_public_pages where tenant_id = cast(:t as uuid) and body like '%{messageDays}%'")
                .param("t", workspace).query(Integer.class).single()).isEqualTo(1);
        // Automation: the welcome and away messages switched on, and a keyword rule that answers "price" with buttons.
        assertThat(jdbc.sql("select name from automation_rules where tenant_id = cast(:t as uuid) and enabled").param("t", workspace)
                .query(String.class).list()).contains("Welcome message", "Away message", "Price question", "STOP/START consent replies");
        // ... and Automation → Rules lists them for the Owner.
        WebClient rulesOwner = browser();
        rulesOwner.signIn(demo.get("owner").get("email").asString(), demo.get("owner").get("password").asString());
        assertThat(rulesOwner.get("/automation").text()).contains("Price question").contains("Welcome message").contains("data-testid=\"built-in\"");
        // Asha's edit and Kabir's deletion came in as Meta sends them, answered 200 and kept.
        for (String kind : new String[] {"edit", "revoke"}) {
            assertThat(jdbc.sql("select count(*) from webhook_events where tenant_id = cast(:t as uuid) and body like :kind")
                    .param("t", workspace).param("kind", "%\"type\":\"" + kind + "\"%").query(Integer.class).single())
                    .as("the " + kind + " webhook").isEqualTo(1);
        }
    }

    private static java.util.List<String> names(JsonNode list) {
        java.util.List<String> names = new java.util.ArrayList<>();
        list.get("items").forEach(item -> names.add(item.get("contact").get("name").asString()));
        return names;
    }

    private String contactId(String workspace, String waId) {
        return jdbc.sql("select id::text from contacts where tenant_id = cast(:t as uuid) and wa_id = :w")
                .param("t", workspace).param("w", waId).query(String.class).single();
    }

    private String assignee(String workspace, String waId) {
        return jdbc.sql("""
                select u.name from conversations c left join users u on u.id = c.assignee_id
                 where c.tenant_id = cast(:t as uuid) and c.contact_id = cast(:c as uuid) order by c.last_message_at desc limit 1
                """).param("t", workspace).param("c", contactId(workspace, waId)).query(String.class).optional().orElse(null);
    }
}
