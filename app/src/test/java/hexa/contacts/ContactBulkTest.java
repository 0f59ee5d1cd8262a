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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Bulk actions on a selection and on everything a filter matches, as background jobs: counts, confirmation, audit, timeline. */
class ContactBulkTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void a_selection_is_tagged_untagged_and_given_an_owner_with_counts_audit_and_timeline() {
        var workspace = fixtures.workspace("Bulk Selection Co");
        var agent = fixtures.member(workspace, Role.AGENT);
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        UUID a = rows.contact("A").tags("VIP").save();
        UUID b = rows.contact("B").save();
        UUID c = rows.contact("C").save();
        ApiClient api = api(fixtures.apiToken(workspace, Role.SUPERVISOR));

        JsonNode tagged = BulkJobsUnderTest.finished(api, api.send("POST", "/api/v1/contacts/bulk",
                "{\"action\":\"tag\",\"tag\":\" vip \",\"ids\":[\"" + a + "\",\"" + b + "\"]}"));
        assertThat(tagged.get("status").asString()).isEqualTo("done");
        assertThat(tagged.get("matched").asLong()).isEqualTo(2);
        assertThat(tagged.get("processed").asLong()).isEqualTo(2);
        assertThat(tagged.get("changed").asLong()).as("A had the tag already, in capitals").isEqualTo(1);
        assertThat(tagged.get("tag").asString()).as("the spelling the workspace uses").isEqualTo("VIP");
        assertThat(tagged.get("target").get("selected").asInt()).isEqualTo(2);
        assertThat(tagged.get("outcome").asString()).isEqualTo("Tagged 1 contacts with \"VIP\" (2 matched; the others had it already).");
        assertThat(tags(workspace, b)).containsExactly("VIP");
        assertThat(tags(workspace, c)).isEmpty();
        assertThat(events.of(workspace.id(), ContactsTagged.class)).as("one event for the chunk, naming who got the tag")
                .singleElement().satisfies(e -> assertThat(e.contactIds()).containsExactly(b)).satisfies(e -> assertThat(e.tag()).isEqualTo("VIP"));

        JsonNode owned = BulkJobsUnderTest.finished(api, api.send("POST", "/api/v1/contacts/bulk",
                "{\"action\":\"owner\",\"ownerId\":\"" + agent.id() + "\",\"ids\":[\"" + b + "\",\"" + c + "\"]}"));
        assertThat(owned.get("changed").asLong()).isEqualTo(2);
        assertThat(owner(workspace, c)).isEqualTo(agent.id());
        assertThat(events.of(workspace.id(), ContactsChanged.class)).singleElement()
                .satisfies(e -> assertThat(e.contactIds()).containsExactlyInAnyOrder(b, c)).satisfies(e -> assertThat(e.fields()).containsExactly("ownerId"));
        assertThat(api.send("POST", "/api/v1/contacts/bulk", "{\"action\":\"owner\",\"ownerId\":\"" + UUID.randomUUID() + "\",\"ids\":[\"" + b + "\"]}").status())
                .isEqualTo(400);
        assertThat(owner(workspace, b)).as("a refused owner changes nothing").isEqualTo(agent.id());

        JsonNode untagged = BulkJobsUnderTest.finished(api, api.send("POST", "/api/v1/contacts/bulk",
                "{\"action\":\"untag\",\"tag\":\"vip\",\"ids\":[\"" + a + "\",\"" + c + "\"]}"));
        assertThat(untagged.get("changed").asLong()).isEqualTo(1);
        assertThat(tags(workspace, a)).isEmpty();
        assertThat(tags(workspace, b)).containsExactly("VIP");
        assertThat(events.of(workspace.id(), ContactsUntagged.class)).singleElement().satisfies(e -> assertThat(e.contactIds()).containsExactly(a));

        assertThat(jdbc.sql("select kind from contact_events where tenant_id = :t and contact_id = :c order by created_at, kind")
                .param("t", workspace.id()).param("c", b).query(String.class).list()).containsExactlyInAnyOrder("tag_added", "owner_changed");
        assertThat(jdbc.sql("select details::text from contact_events where tenant_id = :t and contact_id = :c and kind = 'owner_changed'")
                .param("t", workspace.id()).param("c", b).query(String.class).single())
                .as("the line says from whom to whom, done in bulk").contains("\"to\": \"" + agent.id() + "\"").contains("\"from\": null")
                .contains("\"field\": \"owner\"").contains("\"bulk\": true");
        assertThat(jdbc.sql("select details::text from contact_events where tenant_id = :t and contact_id = :c and kind = 'tag_removed'")
                .param("t", workspace.id()).param("c", a).query(String.class).single()).contains("\"tag\": \"VIP\"").contains("\"bulk\": true");
        List<Map<String, Object>> audit = jdbc.sql("select action, details::text as details from audit_events where tenant_id = :t and action like 'contacts.bulk%' order by occurred_at")
                .param("t", workspace.id()).query().listOfRows();
        assertThat(audit).extracting(r -> r.get("action")).containsExactly("contacts.bulk_started", "contacts.bulk_tagged", "contacts.bulk_started",
                "contacts.bulk_owner_set", "contacts.bulk_started", "contacts.bulk_untagged");
        assertThat(audit.get(0).get("details").toString()).contains("\"selected\": 2").contains("\"matched\": 2").contains("\"tag\": \"VIP\"")
                .contains("\"action\": \"tag\"");
        assertThat(audit.get(1).get("details").toString()).contains("\"selected\": 2").contains("\"matched\": 2").contains("\"changed\": 1")
                .contains("\"tag\": \"VIP\"").contains(tagged.get("id").asString());

        for (String bad : List.of("{\"action\":\"tag\",\"ids\":[\"" + a + "\"]}", "{\"action\":\"paint\",\"ids\":[\"" + a + "\"]}",
                "{\"action\":\"tag\",\"tag\":\"x\"}", "{\"action\":\"tag\",\"tag\":\"x\",\"ids\":[]}", "{\"action\":\"tag\",\"tag\":\"x\",\"ids\":[\"nope\"]}",
                "{\"action\":\"tag\",\"tag\":\"x\",\"ids\":[\"" + a + "\"],\"filter\":{}}", "[]")) {
            assertThat(api.send("POST", "/api/v1/contacts/bulk", bad).status()).as(bad).isEqualTo(400);
        }
        int jobs = jobs(workspace);
        Response stale = api.send("POST", "/api/v1/contacts/bulk", "{\"action\":\"tag\",\"tag\":\"x\",\"ids\":[\"" + a + "\"],\"expectedCount\":5}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(ApiClient.json(stale).get("message").asString()).contains("1 match now");
        assertThat(jobs(workspace)).as("a stale count starts nothing").isEqualTo(jobs);
        assertThat(tags(workspace, a)).as("a stale count changes nothing").isEmpty();
        assertThat(jdbc.sql("select count(*) from contact_bulk_job_items where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single())
                .as("ended jobs keep no list of contacts").isZero();
    }

    @Test
    void everything_a_filter_matches_is_deleted_except_people_with_conversations_after_a_confirmation_with_the_count() {
        var workspace = fixtures.workspace("Bulk Filter Co");
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        for (int i = 0; i < 30; i++) {
            rows.contact("Lead " + i).tags("lead").save();
        }
        UUID talking = rows.contact("Lead who wrote").tags("lead").save();
        UUID keep = rows.contact("Customer").tags("customer").save();
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/whatsapp/sandbox", Map.of());
        UUID connection = jdbc.sql("select id from whatsapp_connections where tenant_id = :t").param("t", workspace.id()).query(UUID.class).single();
        conversationWithAMessage(workspace.id(), talking, connection, "RESOLVED", "Thanks, all sorted");

        Response confirm = owner.post("/contacts/bulk", Map.of("action", "delete", "scope", "filter", "filter", "tag=lead"));
        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.text()).contains("data-count=\"31\"").contains("Delete 31 contacts").contains("1 of them have conversations");
        assertThat(count(workspace)).as("nothing is deleted before the confirmation").isEqualTo(32);

        Response stale = owner.post("/contacts/bulk/apply", Map.of("action", "delete", "scope", "filter", "filter", "tag=lead", "expected", "30"));
        assertThat(stale.status()).isEqualTo(302);
        assertThat(owner.get(stale.location()).text()).contains("changed meanwhile: 31 match now");
        assertThat(count(workspace)).isEqualTo(32);

        Response done = owner.post("/contacts/bulk/apply", Map.of("action", "delete", "scope", "filter", "filter", "tag=lead", "expected", "31"));
        assertThat(done.status()).isEqualTo(302);
        assertThat(done.location()).startsWith("/contacts?tag=lead&bulk=");
        String outcome = BulkJobsUnderTest.outcome(owner, done.location());
        assertThat(outcome).contains("data-status=\"done\"").contains("Deleted 30 contacts. 1 with conversations were kept.")
                .contains("31 of 31 contacts (100 %)");
        assertThat(count(outcome, "data-testid=\"contact-row\"")).as("the list shows who is left: the one who wrote").isEqualTo(1);
        assertThat(jdbc.sql("select id from contacts where tenant_id = :t order by name").param("t", workspace.id()).query(UUID.class).list())
                .containsExactly(keep, talking);
        assertThat(jdbc.sql("select count(*) from contact_tags where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isEqualTo(2);
        String details = jdbc.sql("select details::text from audit_events where tenant_id = :t and action = 'contacts.bulk_deleted'")
                .param("t", workspace.id()).query(String.class).single();
        assertThat(details).contains("\"filter\": \"tag=lead\"").contains("\"matched\": 31").contains("\"changed\": 30").contains("\"kept\": 1");
        assertThat(jdbc.sql("select details::text from audit_events where tenant_id = :t and action = 'contacts.bulk_started'")
                .param("t", workspace.id()).query(String.class).single()).contains("\"filter\": \"tag=lead\"").contains("\"matched\": 31")
                .contains("\"action\": \"delete\"");
    }

    @Test
    void a_bulk_delete_asked_to_also_delete_conversations_deletes_the_people_who_wrote_with_their_conversations_and_messages() {
        var workspace = fixtures.workspace("Bulk Erase Co");
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        for (int i = 0; i < 5; i++) {
            rows.contact("Old lead " + i).tags("stale").save();
        }
        UUID wrote = rows.contact("Stale who wrote").tags("stale").save();
        UUID other = rows.contact("Customer who wrote").tags("customer").save();
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/whatsapp/sandbox", Map.of());
        UUID connection = jdbc.sql("select id from whatsapp_connections where tenant_id = :t").param("t", workspace.id()).query(UUID.class).single();
        UUID gone = conversationWithAMessage(workspace.id(), wrote, connection, "OPEN", "Please forget me");
        UUID stays = conversationWithAMessage(workspace.id(), other, connection, "OPEN", "Keep this one");

        String confirm = owner.post("/contacts/bulk", Map.of("action", "delete", "scope", "filter", "filter", "tag=stale")).text();
        assertThat(confirm).contains("data-count=\"6\"").contains("1 of them have conversations")
                .contains("data-testid=\"bulk-with-conversations\"").contains("Also delete the conversations of these 1 contacts");

        Response done = owner.post("/contacts/bulk/apply",
                Map.of("action", "delete", "scope", "filter", "filter", "tag=stale", "expected", "6", "withConversations", "true"));
        assertThat(done.status()).isEqualTo(302);
        assertThat(BulkJobsUnderTest.outcome(owner, done.location())).contains("Deleted 6 contacts.").doesNotContain("were kept");
        assertThat(jdbc.sql("select id from contacts where tenant_id = :t").param("t", workspace.id()).query(UUID.class).list()).containsExactly(other);
        assertThat(jdbc.sql("select id from conversations where tenant_id = :t").param("t", workspace.id()).query(UUID.class).list())
                .as("the other customer's conversation is untouched").containsExactly(stays);
        assertThat(jdbc.sql("select body from messages where tenant_id = :t").param("t", workspace.id()).query(String.class).list())
                .containsExactly("Keep this one");
        assertThat(gone).isNotEqualTo(stays);
        assertThat(jdbc.sql("select details::text from audit_events where tenant_id = :t and action = 'contacts.bulk_deleted'")
                .param("t", workspace.id()).query(String.class).single()).contains("\"withConversations\": true").contains("\"changed\": 6");

        ApiClient api = api(fixtures.apiToken(workspace, Role.ADMIN));
        Response refused = api.send("POST", "/api/v1/contacts/bulk", "{\"action\": \"delete\", \"ids\": [\"" + other + "\"], \"withConversations\": \"yes\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("withConversations must be true or false");
        JsonNode erased = BulkJobsUnderTest.finished(api, api.send("POST", "/api/v1/contacts/bulk",
                "{\"action\": \"delete\", \"ids\": [\"" + other + "\"], \"withConversations\": true}"));
        assertThat(erased.get("withConversations").asBoolean()).isTrue();
        assertThat(erased.get("changed").asLong()).isEqualTo(1);
        assertThat(erased.get("kept").asLong()).isZero();
        assertThat(jdbc.sql("select count(*) from conversations where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
    }

    /** A conversation in the given status holding one message from the customer. */
    private UUID conversationWithAMessage(UUID tenant, UUID contact, UUID connection, String status, String text) {
        UUID conversation = UUID.randomUUID();
        jdbc.sql("""
                insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at)
                values (:t, :id, :c, :n, :s, now(), now())
                """).param("t", tenant).param("id", conversation).param("c", contact).param("n", connection).param("s", status).update();
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content, status, sent_at, created_at)
                values (:t, gen_random_uuid(), :v, :c, 'INBOUND', :w, 'text', :b, '{}'::jsonb, 'RECEIVED', now(), now())
                """).param("t", tenant).param("v", conversation).param("c", contact).param("w", "wamid.bulk-" + UUID.randomUUID()).param("b", text)
                .update();
        return conversation;
    }

    @Test
    void the_list_page_tags_a_ticked_selection_and_a_whole_filter_through_the_confirmation() {
        var workspace = fixtures.workspace("Bulk Page Co");
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        UUID one = rows.contact("One").consent("opted_in", "form", clock.instant()).save();
        UUID two = rows.contact("Two").consent("opted_in", "form", clock.instant()).save();
        rows.contact("Three").save();
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        String page = owner.get("/contacts?consent=opted_in").text();
        assertThat(page).contains("name=\"ids\" value=\"" + one + "\"").contains("Everything this filter matches (2)");

        Response confirm = owner.post("/contacts/bulk", Map.of("action", "tag", "scope", "selected", "ids", one.toString(), "tag", "newsletter",
                "filter", "consent=opted_in"));
        assertThat(confirm.text()).contains("Add the tag \"newsletter\" to 1 contacts");
        Matcher ids = Pattern.compile("name=\"ids\" value=\"([^\"]+)\"").matcher(confirm.text());
        assertThat(ids.find()).isTrue();
        assertThat(ids.group(1)).isEqualTo(one.toString());
        Response applied = owner.post("/contacts/bulk/apply", Map.of("action", "tag", "scope", "selected", "ids", one.toString(), "tag", "newsletter",
                "filter", "consent=opted_in", "expected", "1"));
        assertThat(applied.status()).isEqualTo(302);
        assertThat(BulkJobsUnderTest.outcome(owner, applied.location())).contains("Tagged 1 contacts with \"newsletter\".");
        assertThat(tags(workspace, one)).containsExactly("newsletter");
        assertThat(tags(workspace, two)).isEmpty();

        Response all = owner.post("/contacts/bulk/apply", Map.of("action", "tag", "scope", "filter", "tag", "subscriber", "filter", "consent=opted_in"));
        assertThat(BulkJobsUnderTest.outcome(owner, all.location())).contains("Tagged 2 contacts with \"subscriber\".");
        assertThat(jdbc.sql("select count(*) from contact_tags where tenant_id = :t and tag = 'subscriber'").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(2);

        Response nothing = owner.post("/contacts/bulk", Map.of("action", "tag", "scope", "selected", "tag", "x", "filter", ""));
        assertThat(nothing.status()).isEqualTo(302);
        assertThat(owner.get(nothing.location()).text()).contains("Tick the contacts to act on");

        WebClient agent = browser();
        var agentPerson = fixtures.member(workspace, Role.AGENT);
        agent.signIn(agentPerson.email(), Fixtures.PASSWORD);
        assertThat(agent.get("/contacts").text()).doesNotContain("name=\"ids\"").doesNotContain("/contacts/export");
        assertThat(agent.post("/contacts/bulk", Map.of("action", "delete", "scope", "filter", "filter", "")).status()).isEqualTo(403);
        assertThat(count(workspace)).isEqualTo(3);
    }

    private List<String> tags(Fixtures.TestWorkspace workspace, UUID contact) {
        return jdbc.sql("select tag from contact_tags where tenant_id = :t and contact_id = :c order by tag")
                .param("t", workspace.id()).param("c", contact).query(String.class).list();
    }

    private UUID owner(Fixtures.TestWorkspace workspace, UUID contact) {
        return jdbc.sql("select owner_id from contacts where tenant_id = :t and id = :c").param("t", workspace.id()).param("c", contact)
                .query(UUID.class).single();
    }

    private int jobs(Fixtures.TestWorkspace workspace) {
        return jdbc.sql("select count(*) from contact_bulk_jobs where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private int count(Fixtures.TestWorkspace workspace) {
        return jdbc.sql("select count(*) from contacts where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single();
    }
}
