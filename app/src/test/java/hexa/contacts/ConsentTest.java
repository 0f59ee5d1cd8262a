package hexa.contacts;

import static hexa.support.Eventually.await;
import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.live.LiveUpdates;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.DomainEvents;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import hexa.support.WebClient;
import hexa.whatsapp.ConnectionService;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Marketing consent kept by the customer's own words and by people, its effect on marketing sends, and
 * blocking: all through the sandbox (the customer's phone) and over real HTTP.
 */
class ConsentTest extends HexaIntegrationTest {

    private static final String OPT_OUT_REPLY = "You will no longer receive marketing messages from us. Reply START to receive them again.";
    private static final String OPT_IN_REPLY = "You will receive our marketing messages again. Reply STOP to stop them at any time.";

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LiveUpdates live;

    @Autowired
    ConsentService consent;

    @Autowired
    Blocking blocking;

    private Fixtures.TestWorkspace workspace;
    private ConnectionService.View number;
    private SandboxCustomer customer;
    private ApiClient agent;
    private WebClient admin;

    @BeforeEach
    void aWorkspaceWithASandboxNumber() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Consent Co");
        workspace = shop.workspace();
        number = shop.number();
        customer = shop.customer();
        agent = api(fixtures.apiToken(workspace, Role.AGENT));
        admin = browser();
        admin.signIn(fixtures.member(workspace, Role.ADMIN).email(), Fixtures.PASSWORD);
    }

    @Test
    void stop_in_any_case_and_spacing_opts_out_start_opts_back_in_and_each_acknowledgement_reaches_the_phone() {
        customer.writes("919800000101", "Hello, what are your hours?");
        UUID contact = contactOf("919800000101");
        assertThat(consentOf(contact)).isEqualTo("unknown");

        customer.writes("919800000101", "  sToP ");

        assertThat(consentOf(contact)).isEqualTo("opted_out");
        Map<String, Object> event = jdbc.sql("select status, source, actor_id, detail from contact_consent_events where tenant_id = :t and contact_id = :c")
                .param("t", workspace.id()).param("c", contact).query().singleRow();
        assertThat(event).containsEntry("status", "opted_out").containsEntry("source", "keyword").containsEntry("detail", "sToP");
        assertThat(event.get("actor_id")).isNull();
        await(() -> businessLines("919800000101"), lines -> lines.contains(OPT_OUT_REPLY), "the opt-out acknowledgement on the phone");

        customer.writes("919800000101", "start");

        assertThat(consentOf(contact)).isEqualTo("opted_in");
        await(() -> businessLines("919800000101"), lines -> lines.contains(OPT_IN_REPLY), "the opt-in acknowledgement on the phone");
        JsonNode answer = ApiClient.json(agent.get("/api/v1/contacts/" + contact + "/consent"));
        assertThat(answer.get("marketing").asString()).isEqualTo("opted_in");
        assertThat(answer.get("source").asString()).isEqualTo("keyword");
        assertThat(answer.get("history")).hasSize(2);
        assertThat(answer.get("history").get(0).get("status").asString()).isEqualTo("opted_in");
        assertThat(answer.get("history").get(1).get("detail").asString()).isEqualTo("sToP");
    }

    @Test
    void unsubscribe_and_metas_stop_promotions_button_opt_out_while_a_sentence_with_stop_in_it_does_not() {
        customer.writes("919800000102", "Please stop calling me at work, write here instead");
        UUID talkative = contactOf("919800000102");
        assertThat(consentOf(talkative)).isEqualTo("unknown");
        assertThat(outboundCount()).isZero();

        customer.writes("919800000103", "UNSUBSCRIBE");
        assertThat(consentOf(contactOf("919800000103"))).isEqualTo("opted_out");

        // Meta's marketing templates carry a "Stop promotions" quick reply; its tap arrives as a button message.
        customer.stored(customer.sendsMessage("919800000109", "{\"type\":\"button\",\"button\":{\"payload\":\"stop\",\"text\":\"No thanks\"}}"));
        customer.stored(customer.sendsMessage("919800000104", "{\"type\":\"button\",\"button\":{\"payload\":\"STOP\",\"text\":\"Stop promotions\"}}"));
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t and type = 'button'").param("t", workspace.id())
                .query(Integer.class).single()).as("the button taps are stored").isEqualTo(2);
        DomainEvents.awaitHandled(jdbc);
        assertThat(consentOf(contactOf("919800000109"))).as("a quick reply whose payload is STOP").isEqualTo("opted_out");
        UUID tapper = contactOf("919800000104");
        assertThat(consentOf(tapper)).isEqualTo("opted_out");
        assertThat(jdbc.sql("select detail from contact_consent_events where tenant_id = :t and contact_id = :c")
                .param("t", workspace.id()).param("c", tapper).query(String.class).single()).isEqualTo("Stop promotions");
        await(() -> businessLines("919800000104"), lines -> lines.contains(OPT_OUT_REPLY), "the acknowledgement of the button tap");
    }

    @Test
    void the_workspaces_own_words_and_acknowledgements_are_set_in_settings_by_admins() {
        String page = admin.get("/settings/contacts/consent").text();
        assertThat(page).contains("STOP, UNSUBSCRIBE").contains(OPT_OUT_REPLY).contains(OPT_IN_REPLY);
        WebClient agentBrowser = browser();
        agentBrowser.signIn(fixtures.member(workspace, Role.AGENT).email(), Fixtures.PASSWORD);
        assertThat(agentBrowser.get("/settings/contacts/consent").status()).isEqualTo(403);

        String refused = admin.follow("/settings/contacts/consent", Map.of("optOutWords", "basta", "optInWords", "Basta",
                "optOutReply", "x", "optInReply", "y")).text();
        assertThat(refused).contains("cannot both opt out and opt in");
        assertThat(jdbc.sql("select count(*) from contact_consent_settings where tenant_id = :t").param("t", workspace.id())
                .query(Integer.class).single()).as("a refused form changes nothing").isZero();

        String saved = admin.follow("/settings/contacts/consent", Map.of("optOutWords", "Basta,\nno more", "optInWords", "hola",
                "optOutReply", "Listo, no more offers.", "optInReply", "Welcome back to our offers!")).text();
        assertThat(saved).contains("Consent keywords saved").contains("no more").contains("Welcome back to our offers!");

        customer.writes("919800000105", " BASTA");
        UUID contact = contactOf("919800000105");
        assertThat(consentOf(contact)).isEqualTo("opted_out");
        await(() -> businessLines("919800000105"), lines -> lines.contains("Listo, no more offers."), "the workspace's own opt-out acknowledgement");

        customer.writes("919800000105", "Hola");
        assertThat(consentOf(contact)).isEqualTo("opted_in");
        await(() -> businessLines("919800000105"), lines -> lines.contains("Welcome back to our offers!"), "the workspace's own opt-in acknowledgement");

        // The built-in words keep working next to the workspace's own.
        customer.writes("919800000105", "stop");
        assertThat(consentOf(contact)).isEqualTo("opted_out");
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'contacts.consent_settings_changed'")
                .param("t", workspace.id()).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void a_marketing_template_is_refused_for_an_opted_out_contact_while_utility_templates_and_replies_still_go() throws Exception {
        customer.writes("919800000106", "Where is my order?");
        UUID contact = contactOf("919800000106");
        UUID conversation = conversationOf(contact);

        Response optedOut = agent.send("POST", "/api/v1/contacts/" + contact + "/consent",
                "{\"status\": \"opted_out\", \"source\": \"form\", \"detail\": \"Unticked the newsletter box\"}");
        assertThat(optedOut.status()).as(optedOut.text()).isEqualTo(200);
        assertThat(ApiClient.json(optedOut).get("changed").asBoolean()).isTrue();
        Response again = agent.send("POST", "/api/v1/contacts/" + contact + "/consent", "{\"status\": \"opted_out\"}");
        assertThat(ApiClient.json(again).get("changed").asBoolean()).as("the same state again changes nothing").isFalse();
        assertThat(ApiClient.json(again).get("source").asString()).isEqualTo("form");
        assertThat(ApiClient.json(again).get("history")).hasSize(1);
        Response keywordByApi = agent.send("POST", "/api/v1/contacts/" + contact + "/consent", "{\"status\": \"opted_in\", \"source\": \"keyword\"}");
        assertThat(keywordByApi.status()).isEqualTo(400);
        assertThat(agent.send("POST", "/api/v1/contacts/" + contact + "/consent", "{\"status\": \"maybe\"}").status()).isEqualTo(400);
        assertThat(consentOf(contact)).isEqualTo("opted_out");

        // hello_world is a MARKETING template (as Meta's own is), synced when the number was connected.
        Response marketing = agent.send("POST", "/api/v1/messages", "{\"contactId\": \"" + contact + "\", \"type\": \"template\","
                + " \"template\": {\"name\": \"hello_world\", \"language\": {\"code\": \"en_US\"}}}");
        assertThat(marketing.status()).isEqualTo(422);
        assertThat(ApiClient.json(marketing).get("code").asString()).isEqualTo("opted_out");
        assertThat(ApiClient.json(marketing).get("message").asString()).contains("opted out of marketing messages on 20").contains("through a form");
        assertThat(outboundCount()).as("nothing was queued").isZero();

        approveUtilityTemplate();
        Response utility = agent.send("POST", "/api/v1/messages", """
                {"contactId": "%s", "type": "template", "template": {"name": "order_ready", "language": {"code": "en_US"},
                 "components": [{"type": "body", "parameters": [{"type": "text", "text": "Asha"}, {"type": "text", "text": "A-17"}]}]}}
                """.formatted(contact));
        assertThat(utility.status()).as(utility.text()).isEqualTo(202);
        Response reply = agent.send("POST", "/api/v1/messages", "{\"contactId\": \"" + contact + "\", \"type\": \"text\", \"text\": {\"body\": \"It ships today.\"}}");
        assertThat(reply.status()).isEqualTo(202);

        // The inbox's template form says the same, in the page.
        UUID helloWorld = jdbc.sql("select id from whatsapp_templates where tenant_id = :t and name = 'hello_world'").param("t", workspace.id())
                .query(UUID.class).single();
        String inboxPage = admin.follow("/inbox/conversations/" + conversation + "/template", Map.of("template", helloWorld.toString())).text();
        assertThat(inboxPage).contains("opted out of marketing messages").contains("through a form");
        assertThat(inboxPage).contains("data-consent=\"opted_out\"").contains("Unticked the newsletter box");
        assertThat(outboundCount()).isEqualTo(2);

        // An agent opts them back in from the side panel (after a confirmation in the page); marketing goes again.
        Response optIn = admin.post("/contacts/" + contact + "/consent", Map.of("status", "opted_in", "back", "/inbox/conversations/" + conversation));
        assertThat(optIn.status()).isEqualTo(302);
        assertThat(optIn.location()).isEqualTo("/inbox/conversations/" + conversation);
        assertThat(consentOf(contact)).isEqualTo("opted_in");
        assertThat(jdbc.sql("select source from contact_consent_events where tenant_id = :t and contact_id = :c order by created_at desc limit 1")
                .param("t", workspace.id()).param("c", contact).query(String.class).single()).isEqualTo("agent");
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'contact.consent_changed' and target_id = :c")
                .param("t", workspace.id()).param("c", contact.toString()).query(Integer.class).single()).isEqualTo(2);
        Response nowAllowed = agent.send("POST", "/api/v1/messages", "{\"contactId\": \"" + contact + "\", \"type\": \"template\","
                + " \"template\": {\"name\": \"hello_world\", \"language\": {\"code\": \"en_US\"}}}");
        assertThat(nowAllowed.status()).isEqualTo(202);
        Response offSite = admin.post("/contacts/" + contact + "/consent", Map.of("status", "opted_in", "back", "//evil.example/x"));
        assertThat(offSite.location()).isEqualTo("/inbox");
    }

    @Test
    void the_audience_rule_leaves_out_the_opted_out_and_the_blocked() {
        for (String waId : List.of("919800000111", "919800000112", "919800000113", "919800000114")) {
            customer.writes(waId, "Hi from " + waId);
        }
        UUID optedOut = contactOf("919800000111");
        UUID blocked = contactOf("919800000112");
        UUID optedIn = contactOf("919800000113");
        UUID unknown = contactOf("919800000114");
        List<UUID> everyone = List.of(optedOut, blocked, optedIn, unknown);
        try (var ignored = fixtures.actAsOwner(workspace)) {
            Map<UUID, ConsentService.Status> optIn = new java.util.HashMap<>();
            everyone.forEach(id -> optIn.put(id, ConsentService.Status.OPTED_IN));
            assertThat(consent.recordEach(workspace.id(), optIn, ConsentService.Source.IMPORT, workspace.owner().id(), "list.csv", true,
                    java.time.Instant.now()).changed()).isEqualTo(4);
            assertThat(consent.recordEach(workspace.id(), optIn, ConsentService.Source.IMPORT, workspace.owner().id(), "list.csv", true,
                    java.time.Instant.now()).changed()).as("a second import of the same consent changes nothing").isZero();
            consent.record(optedOut, ConsentService.Status.OPTED_OUT, ConsentService.Source.AGENT, null);
            blocking.block(blocked);

            assertThat(consent.marketingAudience(everyone)).containsExactly(optedIn, unknown);
            assertThat(jdbc.sql("select c.id from contacts c where c.tenant_id = :t and " + ConsentService.marketingAllowed("c"))
                    .param("t", workspace.id()).query(UUID.class).list()).containsExactlyInAnyOrder(optedIn, unknown);
        }
        assertThat(jdbc.sql("select count(*) from contact_consent_events where tenant_id = :t and source = 'import'").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(4);
    }

    @Test
    void a_blocked_contacts_messages_are_kept_but_raise_no_notification_assignment_or_keyword_reply_until_unblocked() throws Exception {
        admin.post("/settings/inbox/numbers/" + number.id(), Map.of("mode", "ROUND_ROBIN"));
        admin.post("/settings/inbox/after-resolved", Map.of("value", "NEW"));
        assertThat(jdbc.sql("select mode from assignment_rules where tenant_id = :t").param("t", workspace.id()).query(String.class).single())
                .isEqualTo("ROUND_ROBIN");
        ApiClient supervisor = api(fixtures.apiToken(workspace, Role.ADMIN));
        // Added by hand before they ever wrote.
        UUID contact = UUID.randomUUID();
        jdbc.sql("insert into contacts (tenant_id, id, name, phone_e164, created_at, updated_at) values (:t, :id, 'Spammy Sam', '+919800000107', now(), now())")
                .param("t", workspace.id()).param("id", contact).update();

        Response blocked = agent.send("POST", "/api/v1/contacts/" + contact + "/block", null);
        assertThat(blocked.status()).as(blocked.text()).isEqualTo(200);
        assertThat(ApiClient.json(blocked).get("blocked").asBoolean()).isTrue();
        assertThat(ApiClient.json(blocked).get("changed").asBoolean()).isTrue();
        assertThat(ApiClient.json(agent.send("POST", "/api/v1/contacts/" + contact + "/block", null)).get("changed").asBoolean()).isFalse();

        List<LiveUpdates.News> news = new CopyOnWriteArrayList<>();
        try (AutoCloseable ignored = live.subscribe(workspace.id(), news::add)) {
            UUID conversation = customer.writes("919800000107", "BUY CHEAP WATCHES");
            // News leaves in commit order: once news published after the message's commit is here, its own would be too.
            String marker = UUID.randomUUID().toString();
            live.publish(workspace.id(), "test-marker", marker);
            await(() -> news, n -> n.stream().anyMatch(x -> marker.equals(x.id())), "news published after the message");

            assertThat(contactOf("919800000107")).isEqualTo(contact);
            JsonNode seen = ApiClient.json(supervisor.get("/api/v1/conversations/" + conversation));
            assertThat(seen.get("id").asString()).isEqualTo(conversation.toString());
            assertThat(seen.get("unread").asBoolean()).as("no unread marker").isFalse();
            assertThat(assigned(seen)).as("no round-robin assignment").isFalse();
            assertThat(notificationCount()).isZero();
            assertThat(news).as("no live alert").noneMatch(n -> conversation.toString().equals(n.id()));
            assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t and conversation_id = :c and read_at is null")
                    .param("t", workspace.id()).param("c", conversation).query(Integer.class).single()).isZero();

            // Their STOP is recorded (their wish is theirs), but no acknowledgement goes to a blocked contact.
            customer.writes("919800000107", "STOP");
            assertThat(consentOf(contact)).isEqualTo("opted_out");
            assertThat(outboundCount()).isZero();
            assertThat(businessLines("919800000107")).isEmpty();

            String page = admin.get("/inbox/conversations/" + conversation).text();
            assertThat(page).contains("BUY CHEAP WATCHES").contains("data-testid=\"blocked-banner\"").contains("data-testid=\"unblock\"");
            assertThat(jdbc.sql("select kind from contact_events where tenant_id = :t and contact_id = :c").param("t", workspace.id())
                    .param("c", contact).query(String.class).list()).containsExactly("blocked");
            assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'contact.blocked'")
                    .param("t", workspace.id()).query(Integer.class).single()).isEqualTo(1);

            // Unblocked from the side panel: their next messages notify again.
            Response unblocked = admin.post("/contacts/" + contact + "/unblock", Map.of("back", "/inbox/conversations/" + conversation));
            assertThat(unblocked.status()).isEqualTo(302);
            assertThat(unblocked.location()).isEqualTo("/inbox/conversations/" + conversation);
            assertThat(admin.get(unblocked.location()).text()).contains("The contact is unblocked").doesNotContain("data-testid=\"blocked-banner\"");
            news.clear();
            // WhatsApp stamps messages in whole seconds of Meta's (wall) clock: the next message must be later than the one
            // already read, so it is written once Meta's clock has reached the next second.
            long readSecond = jdbc.sql("select extract(epoch from last_inbound_at)::bigint from conversations where tenant_id = :t and id = :c")
                    .param("t", workspace.id()).param("c", conversation).query(Long.class).single();
            until(() -> java.time.Instant.now().getEpochSecond() > readSecond, "Meta's clock to pass the second of the message read");
            customer.writes("919800000107", "Sorry, wrong chat");
            await(() -> news, n -> n.stream().anyMatch(x -> conversation.toString().equals(x.id())), "the live alert after unblocking");
            assertThat(ApiClient.json(supervisor.get("/api/v1/conversations/" + conversation)).get("unread").asBoolean()).isTrue();

            admin.post("/inbox/conversations/" + conversation + "/status", Map.of("action", "resolve"));
            UUID next = customer.writes("919800000107", "A new question");
            assertThat(next).isNotEqualTo(conversation);
            assertThat(assigned(ApiClient.json(supervisor.get("/api/v1/conversations/" + next))))
                    .as("round-robin hands out the new conversation again").isTrue();
            assertThat(notificationCount()).isEqualTo(1);
        }
        assertThat(jdbc.sql("select kind from contact_events where tenant_id = :t and contact_id = :c order by created_at").param("t", workspace.id())
                .param("c", contact).query(String.class).list()).containsExactly("blocked", "unblocked");
    }

    @Test
    void another_workspaces_contact_is_not_found_and_nothing_of_it_changes() {
        customer.writes("919800000108", "Hi");
        UUID contact = contactOf("919800000108");
        var attacker = fixtures.workspace("Attacker Co");
        ApiClient stranger = api(fixtures.apiToken(attacker, Role.ADMIN));
        WebClient strangerBrowser = browser();
        strangerBrowser.signIn(attacker.owner().email(), Fixtures.PASSWORD);

        assertThat(stranger.get("/api/v1/contacts/" + contact + "/consent").status()).isEqualTo(404);
        assertThat(stranger.send("POST", "/api/v1/contacts/" + contact + "/consent", "{\"status\": \"opted_out\"}").status()).isEqualTo(404);
        assertThat(stranger.send("POST", "/api/v1/contacts/" + contact + "/block", null).status()).isEqualTo(404);
        assertThat(stranger.send("DELETE", "/api/v1/contacts/" + contact + "/block", null).status()).isEqualTo(404);
        assertThat(strangerBrowser.post("/contacts/" + contact + "/consent", Map.of("status", "opted_out")).status()).isEqualTo(404);
        assertThat(strangerBrowser.post("/contacts/" + contact + "/block", Map.of()).status()).isEqualTo(404);

        assertThat(consentOf(contact)).isEqualTo("unknown");
        assertThat(jdbc.sql("select blocked_at is null from contacts where tenant_id = :t and id = :c").param("t", workspace.id()).param("c", contact)
                .query(Boolean.class).single()).isTrue();
        ApiClient analyst = api(fixtures.apiToken(workspace, Role.ANALYST));
        assertThat(analyst.get("/api/v1/contacts/" + contact + "/consent").status()).isEqualTo(403);
    }

    // ---------------------------------------------------------------------------------------------

    private void approveUtilityTemplate() throws InterruptedException {
        Response created = new ApiClient(baseUrl(), sandbox.find(number.phoneNumberId()).orElseThrow().accessToken()).send("POST",
                "/sandbox/graph/v25.0/" + number.wabaId() + "/message_templates", """
                {"name": "order_ready", "language": "en_US", "category": "UTILITY",
                 "components": [{"type": "BODY", "text": "Hi {{1}}, your order {{2}} is ready.",
                                 "example": {"body_text": [["Asha", "A-17"]]}}]}
                """);
        assertThat(created.status()).isEqualTo(200);
        admin.post("/settings/whatsapp/templates/refresh", Map.of());
        await(() -> jdbc.sql("select status from whatsapp_templates where tenant_id = :t and name = 'order_ready'").param("t", workspace.id())
                .query(String.class).optional().orElse(""), "APPROVED"::equals, "order_ready to be approved");
    }

    private UUID contactOf(String waId) {
        return jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", workspace.id()).param("w", waId)
                .query(UUID.class).single();
    }

    private UUID conversationOf(UUID contact) {
        return jdbc.sql("select id from conversations where tenant_id = :t and contact_id = :c").param("t", workspace.id()).param("c", contact)
                .query(UUID.class).single();
    }

    private String consentOf(UUID contact) {
        return jdbc.sql("select marketing_consent from contacts where tenant_id = :t and id = :c").param("t", workspace.id()).param("c", contact)
                .query(String.class).single();
    }

    private int outboundCount() {
        return jdbc.sql("select count(*) from messages where tenant_id = :t and direction = 'OUTBOUND'").param("t", workspace.id())
                .query(Integer.class).single();
    }

    private static boolean assigned(JsonNode conversation) {
        JsonNode assignee = conversation.path("assigneeId");
        return !assignee.isMissingNode() && !assignee.isNull();
    }

    private int notificationCount() {
        return jdbc.sql("select count(*) from inbox_notifications where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single();
    }

    /** What the business sent to this customer, as their phone shows it (the sandbox's side). */
    private String businessLines(String waId) {
        JsonNode chat = customer.chat(waId);
        StringBuilder lines = new StringBuilder();
        for (JsonNode line : chat.get("lines")) {
            if ("business".equals(line.get("from").asString())) {
                lines.append(line.get("content").toString()).append('\n');
            }
        }
        return lines.toString();
    }
}
