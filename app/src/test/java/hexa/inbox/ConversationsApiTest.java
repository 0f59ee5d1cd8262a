package hexa.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.whatsapp.ConnectionService;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** /api/v1/conversations and /api/v1/canned-responses, scoped like the pages. */
class ConversationsApiTest extends HexaIntegrationTest {

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    JdbcClient jdbc;

    private Fixtures.TestWorkspace workspace;
    private ConnectionService.View number;
    private ApiClient supervisor;
    private ApiClient agent;

    private hexa.support.SandboxCustomer customer;

    @BeforeEach
    void aWorkspace() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Api Inbox " + UUID.randomUUID().toString().substring(0, 6));
        workspace = shop.workspace();
        number = shop.number();
        customer = shop.customer();
        supervisor = api(fixtures.apiToken(workspace, Role.SUPERVISOR));
        agent = api(fixtures.apiToken(workspace, Role.AGENT));
    }

    /** An Agent who may not see a conversation cannot see its messages by any other way either. */
    @Test
    void a_message_of_a_conversation_hidden_from_an_agent_is_not_found_by_id_by_whatsapp_id_or_to_retry() {
        UUID conversation = customer.writes("919800000409", "Only for the one it is given to");
        UUID message = jdbc.sql("select id from messages where conversation_id = :c").param("c", conversation).query(UUID.class).single();
        String wamid = jdbc.sql("select wamid from messages where id = :m").param("m", message).query(String.class).single();
        assertThat(agent.get("/api/v1/messages/" + message).status()).as("unassigned: every agent sees it").isEqualTo(200);

        UUID colleague = fixtures.member(workspace, Role.AGENT).id();
        supervisor.send("POST", "/api/v1/conversations/" + conversation + "/assign", "{\"assigneeId\": \"" + colleague + "\"}");

        assertThat(agent.get("/api/v1/conversations/" + conversation).status()).isEqualTo(404);
        assertThat(agent.get("/api/v1/messages/" + message).status()).isEqualTo(404);
        assertThat(ApiClient.json(agent.get("/api/v1/messages?whatsappId=" + java.net.URLEncoder.encode(wamid, java.nio.charset.StandardCharsets.UTF_8))).get("items")).isEmpty();
        assertThat(agent.send("POST", "/api/v1/messages/" + message + "/retry", "{}").status()).isEqualTo(404);
        assertThat(supervisor.get("/api/v1/messages/" + message).status()).isEqualTo(200);
        assertThat(ApiClient.json(supervisor.get("/api/v1/messages?whatsappId=" + java.net.URLEncoder.encode(wamid, java.nio.charset.StandardCharsets.UTF_8))).get("items")).hasSize(1);
    }

    @Test
    void conversations_are_listed_changed_and_noted_through_the_api() {
        UUID conversation = customer.writes("919800000401", "API hello");

        JsonNode list = ApiClient.json(supervisor.get("/api/v1/conversations?status=open"));
        assertThat(list.get("items")).hasSize(1);
        JsonNode item = list.get("items").get(0);
        assertThat(item.get("id").asString()).isEqualTo(conversation.toString());
        assertThat(item.get("status").asString()).isEqualTo("open");
        assertThat(item.get("contact").get("phone").asString()).isEqualTo("+919800000401");
        assertThat(item.get("lastMessage").asString()).isEqualTo("API hello");
        assertThat(item.get("unread").asBoolean()).isTrue();

        JsonNode found = ApiClient.json(supervisor.get("/api/v1/search?q=api+hel"));
        assertThat(found.get("messages")).hasSize(1);
        assertThat(found.get("messages").get(0).get("conversationId").asString()).isEqualTo(conversation.toString());
        assertThat(ApiClient.json(agent.get("/api/v1/search?q=nothing-like-this")).get("messages")).isEmpty();

        Response tagged = supervisor.send("POST", "/api/v1/conversations/" + conversation + "/tags", "{\"tag\":\"VIP\"}");
        assertThat(ApiClient.json(tagged).get("tags").get(0).asString()).isEqualTo("vip");
        assertThat(ApiClient.json(supervisor.get("/api/v1/conversations?tag=vip")).get("items")).hasSize(1);

        Response snoozed = supervisor.send("POST", "/api/v1/conversations/" + conversation + "/snooze",
                "{\"until\":\"" + clock.instant().plus(Duration.ofHours(2)) + "\"}");
        assertThat(ApiClient.json(snoozed).get("status").asString()).isEqualTo("snoozed");
        Response resolved = supervisor.send("POST", "/api/v1/conversations/" + conversation + "/status", "{\"status\":\"resolved\"}");
        assertThat(ApiClient.json(resolved).get("status").asString()).isEqualTo("resolved");
        assertThat(supervisor.send("POST", "/api/v1/conversations/" + conversation + "/status", "{\"status\":\"closed\"}").status()).isEqualTo(400);
        assertThat(supervisor.send("POST", "/api/v1/conversations/" + conversation + "/snooze", "{\"until\":\"tomorrow\"}").status()).isEqualTo(400);

        // Notes are signed by people: a token cannot write one, and says why.
        Response note = supervisor.send("POST", "/api/v1/conversations/" + conversation + "/notes", "{\"body\":\"From a script\"}");
        assertThat(note.status()).isEqualTo(422);
        assertThat(ApiClient.json(note).get("code").asString()).isEqualTo("person_only");
    }

    @Test
    void an_agents_token_sees_what_an_agent_sees() {
        UUID conversation = customer.writes("919800000402", "Agent scope");
        Fixtures.Person colleague = fixtures.member(workspace, Role.AGENT);

        assertThat(agent.get("/api/v1/conversations?view=all").status()).isEqualTo(400);
        assertThat(ApiClient.json(agent.get("/api/v1/conversations")).get("items")).hasSize(1);
        Response assigned = supervisor.send("POST", "/api/v1/conversations/" + conversation + "/assign",
                "{\"assigneeId\":\"" + colleague.id() + "\"}");
        assertThat(ApiClient.json(assigned).get("assigneeId").asString()).isEqualTo(colleague.id().toString());

        assertThat(ApiClient.json(agent.get("/api/v1/conversations")).get("items")).isEmpty();
        assertThat(agent.get("/api/v1/conversations/" + conversation).status()).isEqualTo(404);
        assertThat(agent.get("/api/v1/conversations/" + conversation + "/messages").status()).isEqualTo(404);
        assertThat(agent.send("POST", "/api/v1/conversations/" + conversation + "/status", "{\"status\":\"resolved\"}").status()).isEqualTo(404);
    }

    @Test
    void canned_responses_are_managed_by_supervisors_and_read_by_agents() {
        Response created = supervisor.send("POST", "/api/v1/canned-responses", "{\"shortcut\":\"hours\",\"body\":\"We are open 9 to 6.\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = ApiClient.json(created).get("id").asString();
        assertThat(agent.send("POST", "/api/v1/canned-responses", "{\"shortcut\":\"mine\",\"body\":\"x\"}").status()).isEqualTo(403);
        assertThat(ApiClient.json(agent.get("/api/v1/canned-responses")).get("items").get(0).get("shortcut").asString()).isEqualTo("hours");
        assertThat(supervisor.send("POST", "/api/v1/canned-responses", "{\"shortcut\":\"hours\",\"body\":\"again\"}").status()).isEqualTo(409);
        assertThat(supervisor.send("PUT", "/api/v1/canned-responses/" + id, "{\"shortcut\":\"hours\",\"body\":\"We are open 10 to 7.\"}").status())
                .isEqualTo(200);
        assertThat(supervisor.send("DELETE", "/api/v1/canned-responses/" + id, null).status()).isEqualTo(204);
        assertThat(ApiClient.json(agent.get("/api/v1/canned-responses")).get("items")).isEmpty();
    }

    @Test
    void search_pages_run_newest_first_whether_a_word_is_common_or_rare() {
        // Page one of "parcel" is found among the newest messages, page two (5 left) and "zanzibar" (one message)
        // through the full-text index: the two ways must give one consistent, newest-first list.
        java.util.Set<String> all = new java.util.HashSet<>();
        for (int i = 1; i <= 30; i++) {
            customer.writes("9198000006" + (10 + i % 3), "parcel update " + i + (i == 2 ? " zanzibar" : ""));
            clock.advance(Duration.ofSeconds(1));
        }
        JsonNode first = ApiClient.json(supervisor.get("/api/v1/search?q=parcel"));
        assertThat(first.get("messages")).hasSize(InboxSearch.PAGE);
        assertThat(first.get("messages").get(0).get("text").asString()).isEqualTo("parcel update 30");
        assertThat(first.get("nextCursor").isNull()).isFalse();
        JsonNode second = ApiClient.json(supervisor.get("/api/v1/search?q=parcel&cursor=" + first.get("nextCursor").asString()));
        assertThat(second.get("messages")).hasSize(30 - InboxSearch.PAGE);
        assertThat(second.get("nextCursor").isNull()).isTrue();
        java.util.List<String> texts = new java.util.ArrayList<>();
        for (JsonNode page : java.util.List.of(first, second)) {
            page.get("messages").forEach(m -> {
                texts.add(m.get("text").asString());
                all.add(m.get("messageId").asString());
            });
        }
        assertThat(all).hasSize(30);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(texts.get(i)).isEqualTo("parcel update " + (30 - i) + (30 - i == 2 ? " zanzibar" : ""));
        }
        JsonNode rare = ApiClient.json(supervisor.get("/api/v1/search?q=zanzibar"));
        assertThat(rare.get("messages")).hasSize(1);
        assertThat(rare.get("messages").get(0).get("text").asString()).isEqualTo("parcel update 2 zanzibar");
    }

    @Test
    void search_reads_the_newest_day_when_the_newest_messages_do_not_fill_a_page() {
        // More filler than the first attempt's window, newest; behind it, the same day, 30 "gracias" (the newest day's
        // matches fill page one) and 10 "warranty" whose other matches are days older (only the full query finds those).
        UUID conversation = customer.writes("919800000620", "a real message first");
        java.time.Instant first = jdbc.sql("select max(sent_at) from messages where tenant_id = :t").param("t", workspace.id())
                .query(java.time.OffsetDateTime.class).single().toInstant();
        java.time.Instant noon = first.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofHours(12));
        insertMessages(conversation, "filler %s", InboxSearch.RECENT_WINDOW + 100, noon, Duration.ofSeconds(1));
        java.time.Instant morning = noon.minus(Duration.ofHours(3));
        insertMessages(conversation, "gracias today %s", 30, morning, Duration.ofMinutes(1));
        insertMessages(conversation, "gracias twenty days ago %s", 5, morning.minus(Duration.ofDays(20)), Duration.ofMinutes(1));
        insertMessages(conversation, "warranty today %s", 10, morning.minus(Duration.ofHours(1)), Duration.ofMinutes(1));
        insertMessages(conversation, "warranty three days ago %s", 20, morning.minus(Duration.ofDays(3)), Duration.ofMinutes(1));
        insertMessages(conversation, "warranty sixty days ago %s", 3, morning.minus(Duration.ofDays(60)), Duration.ofMinutes(1));

        java.util.List<String> expected = new java.util.ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            expected.add("gracias today " + i);
        }
        for (int i = 1; i <= 5; i++) {
            expected.add("gracias twenty days ago " + i);
        }
        // Page one from the newest day; page two from the cursor's day (5 left there) and then the full query.
        assertThat(allPages("gracias", 2)).isEqualTo(expected);

        expected.clear();
        for (String when : java.util.List.of("today", "three days ago", "sixty days ago")) {
            int count = when.equals("today") ? 10 : when.equals("three days ago") ? 20 : 3;
            for (int i = 1; i <= count; i++) {
                expected.add("warranty " + when + " " + i);
            }
        }
        // The newest day holds 10: the full query answers, in the same order.
        assertThat(allPages("warranty", 2)).isEqualTo(expected);
        // A word only in old messages, and one nowhere.
        assertThat(allPages("sixty", 1)).containsExactly("warranty sixty days ago 1", "warranty sixty days ago 2", "warranty sixty days ago 3");
        assertThat(allPages("nowhere", 1)).isEmpty();
    }

    @Test
    void a_name_in_a_script_the_trigram_index_cannot_read_is_found_among_the_newest_conversations() {
        // The database's character type is C: pg_trgm makes no trigrams of Devanagari, so these names are looked for
        // among the newest conversations' contacts first (over every contact, the index would answer them all).
        UUID conversation = customer.writes("919800000630", "नमस्ते, मेरा ऑर्डर", "राहुल शर्मा");
        customer.writes("919800000631", "hello there", "Rahul Sharma");

        JsonNode found = ApiClient.json(supervisor.get("/api/v1/search?q=" + java.net.URLEncoder.encode("शर्मा", java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(found.get("contacts")).hasSize(1);
        assertThat(found.get("contacts").get(0).get("conversationId").asString()).isEqualTo(conversation.toString());
        JsonNode message = ApiClient.json(supervisor.get("/api/v1/search?q=" + java.net.URLEncoder.encode("ऑर्डर", java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(message.get("messages")).hasSize(1);
        assertThat(message.get("contacts")).isEmpty();
        assertThat(ApiClient.json(supervisor.get("/api/v1/search?q=sharma")).get("contacts")).hasSize(1);
    }

    @Test
    void a_name_the_trigram_index_cannot_read_is_found_beyond_the_newest_conversations_by_a_scan_within_its_budget() {
        UUID old = customer.writes("919800000640", "पुराना संदेश", "सुनीता वर्मा");
        // Push her conversation behind the newest ones the first attempt looks among.
        NewerConversations.push(jdbc, workspace.id(), old, InboxSearch.RECENT_WINDOW + 100);

        JsonNode found = ApiClient.json(supervisor.get("/api/v1/search?q=" + java.net.URLEncoder.encode("वर्मा", java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(found.get("contacts")).as("a workspace this size is scanned within the budget").hasSize(1);
        assertThat(found.get("contacts").get(0).get("conversationId").asString()).isEqualTo(old.toString());
    }

    /** Messages {@code body} 1..count in the conversation, the first at {@code newest}, each {@code step} older than the one before. */
    private void insertMessages(UUID conversation, String body, int count, java.time.Instant newest, Duration step) {
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, direction, type, body, content, status, sent_at, created_at)
                select c.tenant_id, gen_random_uuid(), c.id, c.contact_id, 'INBOUND', 'text', format(:body, n), '{}'::jsonb, 'RECEIVED',
                       cast(:newest as timestamptz) - (n - 1) * cast(:step as interval), now()
                  from conversations c, generate_series(1, :count) n
                 where c.tenant_id = :t and c.id = :c
                """).param("t", workspace.id()).param("c", conversation).param("body", body).param("count", count)
                .param("newest", java.sql.Timestamp.from(newest)).param("step", step.toSeconds() + " seconds").update();
    }

    /** The texts of every page a search answers, following its cursors; checks how many pages there were. */
    private java.util.List<String> allPages(String q, int pages) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        String cursor = null;
        int seen = 0;
        do {
            JsonNode page = ApiClient.json(supervisor.get("/api/v1/search?q=" + q + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("messages").forEach(m -> texts.add(m.get("text").asString()));
            seen++;
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null && seen < 10);
        assertThat(seen).as("pages of " + q).isEqualTo(pages);
        return texts;
    }
}
