package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/contacts}: search, each filter, keyset pages, and segments over the API. */
class ContactListApiTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private Fixtures.TestWorkspace workspace;
    private ApiClient api;
    private ContactRows rows;

    private void workspace(String name) {
        workspace = fixtures.workspace(name);
        api = api(fixtures.apiToken(workspace, Role.ADMIN));
        rows = new ContactRows(jdbc, workspace.id());
    }

    @Test
    void a_number_is_found_in_any_spelling() {
        workspace("Numbers Co");
        rows.contact("Asha Rao").phone("+919876543210").save();
        rows.contact("Somebody Else").phone("+14155550123").save();

        for (String spelling : List.of("+91 98765 43210", "098765 43210", "91-98765-43210", "9876543210", "(0)98765-43210", "0091 98765 43210",
                "765 432", "98765")) {
            assertThat(names("query=" + enc(spelling))).as(spelling).containsExactly("Asha Rao");
        }
        assertThat(names("query=" + enc("+1 415 555 0123"))).containsExactly("Somebody Else");
        assertThat(names("query=" + enc("12345 678"))).isEmpty();
    }

    @Test
    void search_matches_every_word_in_names_and_parts_of_email_addresses() {
        workspace("Words Co");
        rows.contact("Priya Sharma").email("priya.s@acme.example").save();
        rows.contact("Priya Patel").email("pp@other.example").save();
        rows.contact("Rahul Sharma").save();

        assertThat(names("query=priya")).containsExactlyInAnyOrder("Priya Sharma", "Priya Patel");
        assertThat(names("query=" + enc("sharma priya"))).containsExactly("Priya Sharma");
        assertThat(names("query=acme")).containsExactly("Priya Sharma");
        assertThat(names("query=" + enc("@other.exam"))).containsExactly("Priya Patel");
        assertThat(names("query=SHARMA")).containsExactlyInAnyOrder("Priya Sharma", "Rahul Sharma");
        assertThat(names("query=" + enc("100%"))).isEmpty();

        Response tooShort = api.get("/api/v1/contacts?query=pr");
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(ApiClient.json(tooShort).get("message").asString()).contains("at least 3");
    }

    @Test
    void each_filter_keeps_exactly_the_contacts_it_describes() {
        workspace("Filters Co");
        var agent = fixtures.member(workspace, Role.AGENT);
        rows.attribute("city", "City", "list", "Pune", "Mumbai");
        rows.attribute("plan", "Plan", "text");
        rows.attribute("birthday", "Birthday", "date");
        rows.attribute("orders", "Orders", "number");
        rows.attribute("newsletter", "Newsletter", "checkbox");
        Instant now = clock.instant();
        rows.contact("Anil").tags("vip", "customer").owner(agent.id())
                .attributes(Map.of("city", "Pune", "plan", "Enterprise gold", "birthday", "1980-05-01", "orders", 12, "newsletter", true))
                .consent("opted_in", "form", now).active(now.minus(Duration.ofDays(1))).save();
        rows.contact("Bela").tags("customer").attributes(Map.of("city", "Mumbai", "plan", "basic", "birthday", "1995-12-31", "orders", 3))
                .consent("opted_out", "keyword", now).active(now.minus(Duration.ofDays(40))).save();
        rows.contact("Chandu").tags("VIP").blocked(now).active(now.minus(Duration.ofDays(10))).save();
        rows.contact("Devi").save();

        assertThat(names("tag=vip")).containsExactlyInAnyOrder("Anil", "Chandu");
        assertThat(names("tag=vip&tag=customer")).containsExactlyInAnyOrder("Anil", "Bela", "Chandu");
        assertThat(names("tag=vip&tag=customer&tagMatch=all")).containsExactly("Anil");
        assertThat(names("attr=" + enc("city:equals:Pune"))).containsExactly("Anil");
        assertThat(names("attr=" + enc("plan:contains:GOLD"))).containsExactly("Anil");
        assertThat(names("attr=" + enc("birthday:before:1990-01-01"))).containsExactly("Anil");
        assertThat(names("attr=" + enc("birthday:after:1990-01-01"))).containsExactly("Bela");
        assertThat(names("attr=" + enc("birthday:equals:1995-12-31"))).containsExactly("Bela");
        assertThat(names("attr=" + enc("orders:equals:12"))).containsExactly("Anil");
        assertThat(names("attr=newsletter:checked")).containsExactly("Anil");
        assertThat(names("attr=newsletter:unchecked")).containsExactlyInAnyOrder("Bela", "Chandu", "Devi");
        assertThat(names("attr=" + enc("city:equals:Pune") + "&attr=" + enc("orders:equals:3"))).isEmpty();
        assertThat(names("owner=" + agent.id())).containsExactly("Anil");
        assertThat(names("owner=none")).containsExactlyInAnyOrder("Bela", "Chandu", "Devi");
        assertThat(names("activeWithin=7")).containsExactly("Anil");
        assertThat(names("activeWithin=30")).containsExactlyInAnyOrder("Anil", "Chandu");
        String thirtyDaysAgo = now.minus(Duration.ofDays(30)).toString().substring(0, 10);
        assertThat(names("activeBefore=" + thirtyDaysAgo)).containsExactly("Bela");
        assertThat(names("activeSince=" + thirtyDaysAgo)).containsExactlyInAnyOrder("Anil", "Chandu");
        assertThat(names("consent=opted_in")).containsExactly("Anil");
        assertThat(names("consent=opted_out")).containsExactly("Bela");
        assertThat(names("consent=unknown")).containsExactlyInAnyOrder("Chandu", "Devi");
        assertThat(names("blocked=true")).containsExactly("Chandu");
        assertThat(names("blocked=false")).containsExactlyInAnyOrder("Anil", "Bela", "Devi");
        assertThat(names("tag=customer&consent=opted_in&owner=" + agent.id())).containsExactly("Anil");

        JsonNode anil = ApiClient.json(api.get("/api/v1/contacts?tag=vip&tagMatch=all&tag=customer")).get("items").get(0);
        assertThat(anil.get("tags").toString()).isEqualTo("[\"customer\",\"vip\"]");
        assertThat(anil.get("consent").get("marketing").asString()).isEqualTo("opted_in");
        assertThat(anil.get("consent").get("source").asString()).isEqualTo("form");
        assertThat(anil.get("attributes").get("city").asString()).isEqualTo("Pune");
        assertThat(anil.get("ownerId").asString()).isEqualTo(agent.id().toString());

        for (String bad : List.of("consent=maybe", "owner=someone", "activeWithin=soon", "activeSince=yesterday", "blocked=perhaps",
                "attr=" + enc("shoe:equals:9"), "attr=" + enc("newsletter:contains:x"), "attr=" + enc("orders:equals:many"),
                "attr=" + enc("birthday:before:tomorrow"), "attr=city", "tagMatch=some&tag=vip", "sort=colour", "limit=0", "limit=500",
                "cursor=not-a-cursor")) {
            Response response = api.get("/api/v1/contacts?" + bad);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(ApiClient.json(response).get("code").asString()).as(bad).isEqualTo("invalid_request");
        }
    }

    @Test
    void keyset_pages_visit_every_contact_once_in_each_order_and_back() {
        workspace("Pages Co");
        Instant base = Instant.parse("2026-06-01T10:00:00Z");
        List<UUID> all = new ArrayList<>();
        List<UUID> named = new ArrayList<>();
        for (int i = 0; i < 57; i++) {
            // Ties on every sort key, and some never active, so that the id has to break them.
            var draft = rows.contact(i % 5 == 0 ? null : "Person " + (i % 9)).created(base.minus(Duration.ofHours(i % 4)))
                    .active(i % 7 == 0 ? null : base.minus(Duration.ofMinutes(i % 6)));
            all.add(draft.save());
            if (i % 5 != 0) {
                named.add(all.get(i));
            }
        }
        for (String sort : List.of("activity", "name", "created")) {
            assertPagesCoverExactly(sort, "", all);
            // A search reads a window of the order first and the trigram index when the window has too few: same pages.
            assertPagesCoverExactly(sort, "&query=person", named);
        }
        String nameCursor = ApiClient.json(api.get("/api/v1/contacts?limit=10&sort=name")).get("nextCursor").asString();
        assertThat(api.get("/api/v1/contacts?sort=activity&cursor=" + nameCursor).status()).isEqualTo(400);
    }

    @Test
    void a_search_with_a_tag_reads_a_wider_window_when_the_first_holds_too_few_and_the_pages_stay_the_same() {
        // More contacts than the first window, most active first: two customers named Sharma among the first window's
        // contacts, 20 more behind it (a wider window finds them), and a Sharma only at the very end (only collecting
        // every match finds him first).
        workspace("Windows Co");
        int total = ContactSearch.WINDOW + 300;
        Instant base = Instant.parse("2026-06-01T10:00:00Z");
        jdbc.sql("""
                insert into contacts (tenant_id, id, name, phone_e164, created_at, updated_at, last_activity_at)
                select :t, gen_random_uuid(),
                       case when n in (100, 2000) or n between :window + 1 and :window + 20 then 'Sharma ' || n
                            when n = :total then 'Rare Sharmaji' else 'Filler ' || n end, '+9170000' || n,
                       cast(:base as timestamptz), cast(:base as timestamptz), cast(:base as timestamptz) - n * interval '1 minute'
                  from generate_series(1, :total) n
                """).param("t", workspace.id()).param("window", ContactSearch.WINDOW).param("total", total)
                .param("base", java.sql.Timestamp.from(base)).update();
        jdbc.sql("""
                insert into contact_tags (tenant_id, contact_id, tag, created_at)
                select tenant_id, id, 'customer', created_at from contacts where tenant_id = :t and name like 'Sharma %'
                """).param("t", workspace.id()).update();
        List<String> customers = new ArrayList<>(List.of("Sharma 100", "Sharma 2000"));
        for (int n = ContactSearch.WINDOW + 1; n <= ContactSearch.WINDOW + 20; n++) {
            customers.add("Sharma " + n);
        }
        assertThat(ContactSearch.widerWindow(2, 10)).as("two in the first window call for a wider one").isBetween(ContactSearch.WINDOW + 1, ContactSearch.MAX_WINDOW);

        assertThat(namesOfAllPages("query=sharma&tag=customer&limit=10")).isEqualTo(customers);
        List<String> everyone = new ArrayList<>(customers);
        everyone.add("Rare Sharmaji");
        assertThat(namesOfAllPages("query=sharma&limit=10")).isEqualTo(everyone);
        assertThat(namesOfAllPages("query=sharmaji&limit=10")).containsExactly("Rare Sharmaji");
        assertThat(ContactSearch.widerWindow(0, 10)).isZero();
        assertThat(ContactSearch.widerWindow(11, 10)).isZero();
        assertThat(ContactSearch.widerWindow(1, 200)).as("too wide: collect every match instead").isZero();
    }

    private List<String> namesOfAllPages(String filter) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ApiClient.json(api.get("/api/v1/contacts?" + filter + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("items").forEach(item -> names.add(item.get("name").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null && ++pages < 20);
        return names;
    }

    private void assertPagesCoverExactly(String sort, String filter, List<UUID> all) {
        String pagePath = "/api/v1/contacts?limit=10&sort=" + sort + filter;
        List<String> forward = new ArrayList<>();
        List<List<String>> pages = new ArrayList<>();
        List<String> previousCursors = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = ApiClient.json(api.get(pagePath + (cursor == null ? "" : "&cursor=" + cursor)));
            List<String> ids = new ArrayList<>();
            page.get("items").forEach(item -> ids.add(item.get("id").asString()));
            pages.add(ids);
            forward.addAll(ids);
            previousCursors.add(page.get("previousCursor").isNull() ? null : page.get("previousCursor").asString());
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(forward).as(sort + filter).hasSize(all.size()).doesNotHaveDuplicates();
        assertThat(new HashSet<>(forward)).as(sort).isEqualTo(new HashSet<>(all.stream().map(UUID::toString).toList()));
        assertThat(pages).as(sort + filter).hasSize((all.size() + 9) / 10);
        assertThat(previousCursors.get(0)).as("the first page has no previous one").isNull();
        // Back from the last page, one page at a time, gives the same pages.
        String before = previousCursors.get(pages.size() - 1);
        for (int p = pages.size() - 2; p >= 0; p--) {
            JsonNode page = ApiClient.json(api.get(pagePath + "&before=" + before));
            List<String> ids = new ArrayList<>();
            page.get("items").forEach(item -> ids.add(item.get("id").asString()));
            assertThat(ids).as(sort + " page " + p + " read backwards").isEqualTo(pages.get(p));
            before = page.get("previousCursor").isNull() ? null : page.get("previousCursor").asString();
        }
        assertThat(before).as("going back ends at the first page").isNull();
    }

    @Test
    void segments_are_saved_listed_applied_renamed_and_deleted() {
        workspace("Segments Co");
        rows.attribute("city", "City", "list", "Pune", "Mumbai");
        rows.contact("Vip in Pune").tags("vip").attributes(Map.of("city", "Pune")).save();
        rows.contact("Vip elsewhere").tags("vip").attributes(Map.of("city", "Mumbai")).save();

        Response created = api.send("POST", "/api/v1/contacts/segments",
                "{\"name\":\"Pune VIPs\",\"filter\":{\"tags\":[\"vip\"],\"attributes\":[{\"key\":\"city\",\"op\":\"equals\",\"value\":\"Pune\"}]}}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode segment = ApiClient.json(created);
        String id = segment.get("id").asString();
        assertThat(segment.get("query").asString()).isEqualTo("tag=vip&attr=city%3Aequals%3APune");
        assertThat(names("segment=" + id)).containsExactly("Vip in Pune");

        Response fromQuery = api.send("POST", "/api/v1/contacts/segments", "{\"name\":\"All VIPs\",\"filter\":\"tag=vip&consent=unknown\"}");
        assertThat(fromQuery.status()).isEqualTo(201);
        assertThat(ApiClient.json(fromQuery).get("filter").get("consent").asString()).isEqualTo("unknown");

        assertThat(api.send("POST", "/api/v1/contacts/segments", "{\"name\":\"pune vips\",\"filter\":{}}").status()).isEqualTo(409);
        assertThat(api.send("POST", "/api/v1/contacts/segments", "{\"name\":\"  \",\"filter\":{}}").status()).isEqualTo(400);
        assertThat(api.send("POST", "/api/v1/contacts/segments", "{\"name\":\"Shoes\",\"filter\":{\"attributes\":[{\"key\":\"shoe\",\"op\":\"equals\",\"value\":\"9\"}]}}")
                .status()).isEqualTo(400);
        assertThat(api.send("POST", "/api/v1/contacts/segments", "{\"name\":\"Bad\",\"filter\":{\"consent\":\"maybe\"}}").status()).isEqualTo(400);
        assertThat(api.send("POST", "/api/v1/contacts/segments", "{\"name\":\"Bad\"}").status()).isEqualTo(400);

        JsonNode listed = ApiClient.json(api.get("/api/v1/contacts/segments"));
        assertThat(listed.get("items")).hasSize(2);
        assertThat(listed.get("items").get(0).get("name").asString()).isEqualTo("All VIPs");

        JsonNode renamed = ApiClient.json(api.send("PATCH", "/api/v1/contacts/segments/" + id, "{\"name\":\"VIPs of Pune\"}"));
        assertThat(renamed.get("name").asString()).isEqualTo("VIPs of Pune");
        assertThat(renamed.get("query").asString()).isEqualTo("tag=vip&attr=city%3Aequals%3APune");
        JsonNode refiltered = ApiClient.json(api.send("PATCH", "/api/v1/contacts/segments/" + id, "{\"filter\":{\"tags\":[\"vip\"]}}"));
        assertThat(refiltered.get("name").asString()).isEqualTo("VIPs of Pune");
        assertThat(names("segment=" + id)).containsExactlyInAnyOrder("Vip in Pune", "Vip elsewhere");
        assertThat(api.send("PATCH", "/api/v1/contacts/segments/" + id, "{}").status()).isEqualTo(400);

        assertThat(api.send("DELETE", "/api/v1/contacts/segments/" + id, null).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/contacts/segments/" + id).status()).isEqualTo(404);
        assertThat(api.send("DELETE", "/api/v1/contacts/segments/" + id, null).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/contacts?segment=" + id).status()).isEqualTo(400);

        assertThat(jdbc.sql("select action from audit_events where tenant_id = :t and action like 'contact_segment.%' order by occurred_at, action")
                .param("t", workspace.id()).query(String.class).list())
                .containsExactlyInAnyOrder("contact_segment.created", "contact_segment.created", "contact_segment.changed", "contact_segment.changed",
                        "contact_segment.deleted");
    }

    @Test
    void another_workspace_sees_none_of_these_contacts_or_segments() {
        workspace("Victim Contacts Co");
        UUID victimContact = rows.contact("Secret Customer").email("secret@victim.example").tags("vip").save();
        String segment = ApiClient.json(api.send("POST", "/api/v1/contacts/segments", "{\"name\":\"Victim VIPs\",\"filter\":\"tag=vip\"}"))
                .get("id").asString();
        ApiClient attacker = api(fixtures.apiToken(fixtures.workspace("Attacker Contacts Co"), Role.ADMIN));

        assertThat(ApiClient.json(attacker.get("/api/v1/contacts")).get("items")).isEmpty();
        assertThat(ApiClient.json(attacker.get("/api/v1/contacts?query=secret")).get("items")).isEmpty();
        assertThat(ApiClient.json(attacker.get("/api/v1/contacts?tag=vip")).get("items")).isEmpty();
        assertThat(ApiClient.json(attacker.get("/api/v1/contacts/segments")).get("items")).isEmpty();
        assertThat(attacker.get("/api/v1/contacts/segments/" + segment).status()).isEqualTo(404);
        assertThat(attacker.send("PATCH", "/api/v1/contacts/segments/" + segment, "{\"name\":\"Mine\"}").status()).isEqualTo(404);
        assertThat(attacker.send("DELETE", "/api/v1/contacts/segments/" + segment, null).status()).isEqualTo(404);
        assertThat(attacker.get("/api/v1/contacts?segment=" + segment).status()).isEqualTo(400);
        assertThat(attacker.get("/api/v1/contacts/export").text()).doesNotContain("Secret Customer");

        JsonNode bulk = BulkJobsUnderTest.finished(attacker, attacker.send("POST", "/api/v1/contacts/bulk",
                "{\"action\":\"delete\",\"ids\":[\"" + victimContact + "\"]}"));
        assertThat(bulk.get("matched").asLong()).isZero();
        assertThat(bulk.get("changed").asLong()).isZero();
        JsonNode tagged = BulkJobsUnderTest.finished(attacker, attacker.send("POST", "/api/v1/contacts/bulk",
                "{\"action\":\"tag\",\"tag\":\"x\",\"ids\":[\"" + victimContact + "\"]}"));
        assertThat(tagged.get("matched").asLong()).isZero();
        assertThat(tagged.get("changed").asLong()).isZero();
        String victimJob = BulkJobsUnderTest.finished(api, api.send("POST", "/api/v1/contacts/bulk", "{\"action\":\"tag\",\"tag\":\"vip\",\"filter\":{}}"))
                .get("id").asString();
        assertThat(attacker.get("/api/v1/contacts/bulk/" + victimJob).status()).as("another workspace's job").isEqualTo(404);
        assertThat(attacker.get("/api/v1/contacts/bulk/" + bulk.get("id").asString()).status()).isEqualTo(200);
        assertThat(names("")).containsExactly("Secret Customer");
        assertThat(jdbc.sql("select count(*) from contact_tags where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single())
                .isEqualTo(1);
        assertThat(ApiClient.json(api.get("/api/v1/contacts/segments/" + segment)).get("name").asString()).isEqualTo("Victim VIPs");
    }

    @Test
    void agents_search_and_save_segments_but_do_not_export_or_act_in_bulk() {
        workspace("Roles Co");
        rows.contact("Someone").save();
        ApiClient agent = api(fixtures.apiToken(workspace, Role.AGENT));
        assertThat(agent.get("/api/v1/contacts").status()).isEqualTo(200);
        assertThat(agent.send("POST", "/api/v1/contacts/segments", "{\"name\":\"Mine\",\"filter\":{}}").status()).isEqualTo(201);
        assertThat(agent.get("/api/v1/contacts/export").status()).isEqualTo(403);
        assertThat(agent.send("POST", "/api/v1/contacts/bulk", "{\"action\":\"tag\",\"tag\":\"x\",\"filter\":{}}").status()).isEqualTo(403);
        assertThat(agent.get("/api/v1/contacts/bulk/" + UUID.randomUUID()).status()).isEqualTo(403);
        ApiClient analyst = api(fixtures.apiToken(workspace, Role.ANALYST));
        assertThat(analyst.get("/api/v1/contacts").status()).isEqualTo(403);
    }

    private List<String> names(String query) {
        Response response = api.get("/api/v1/contacts?limit=200" + (query.isEmpty() ? "" : "&" + query));
        assertThat(response.status()).as(query + ": " + response.text()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        ApiClient.json(response).get("items").forEach(item -> names.add(item.get("name").isNull() ? null : item.get("name").asString()));
        return names;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
