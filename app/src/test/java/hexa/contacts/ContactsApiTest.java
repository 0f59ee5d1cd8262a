package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.identity.MemberService;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** /api/v1/contacts and /api/v1/contact-attributes: one contact per number, checked fields, tags, notes, merge, delete. */
class ContactsApiTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ContactService contacts;

    @Autowired
    MemberService members;

    @Autowired
    SandboxNumbers sandbox;

    private Fixtures.TestWorkspace workspace;
    private ApiClient admin;
    private ApiClient agent;

    @BeforeEach
    void aWorkspaceInIndia() {
        workspace = fixtures.workspace("Contacts Api " + UUID.randomUUID().toString().substring(0, 6));
        admin = api(fixtures.apiToken(workspace, Role.ADMIN));
        agent = api(fixtures.apiToken(workspace, Role.AGENT));
    }

    @Test
    void the_same_number_in_any_spelling_is_one_contact_and_a_second_answers_409_with_the_existing_id() {
        Response created = agent.send("POST", "/api/v1/contacts", "{\"name\":\"Priya Shah\",\"phone\":\"+91 98111 22233\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode priya = ApiClient.json(created);
        assertThat(priya.get("phone").asString()).isEqualTo("+919811122233");
        assertThat(priya.get("whatsappUserId").isNull()).isTrue();
        String id = priya.get("id").asString();

        for (String spelling : List.of("09811122233", "91-98111-22233", "0091 98111 22233", "+91 (981) 112-2233", "98111 22233", "919811122233")) {
            Response again = agent.send("POST", "/api/v1/contacts", "{\"name\":\"Someone else\",\"phone\":\"" + spelling + "\"}");
            assertThat(again.status()).as(spelling + ": " + again.text()).isEqualTo(409);
            JsonNode error = ApiClient.json(again);
            assertThat(error.get("code").asString()).isEqualTo("conflict");
            assertThat(error.get("existingContactId").asString()).as(spelling).isEqualTo(id);
            assertThat(error.get("message").asString()).contains("+919811122233");
        }
        assertThat(contactCount()).isEqualTo(1);

        // Changing another contact to that number is refused the same way, and changes nothing.
        String other = id(agent.send("POST", "/api/v1/contacts", "{\"name\":\"Ravi\",\"phone\":\"+91 98222 33344\"}"));
        Response changed = agent.send("PATCH", "/api/v1/contacts/" + other, "{\"name\":\"Ravi K\",\"phone\":\"098111-22233\"}");
        assertThat(changed.status()).isEqualTo(409);
        assertThat(ApiClient.json(changed).get("existingContactId").asString()).isEqualTo(id);
        JsonNode ravi = ApiClient.json(agent.get("/api/v1/contacts/" + other));
        assertThat(ravi.get("name").asString()).isEqualTo("Ravi");
        assertThat(ravi.get("phone").asString()).isEqualTo("+919822233344");

        // Someone who wrote on WhatsApp is a contact already; adding them by hand names that contact.
        UUID wrote;
        try (var ignored = fixtures.actAsOwner(workspace)) {
            wrote = contacts.identify(new WhatsAppIdentity("919833344455", "IN.123456789", "Meera")).id();
        }
        Response byNumber = agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+91 98333 44455\"}");
        assertThat(byNumber.status()).isEqualTo(409);
        assertThat(ApiClient.json(byNumber).get("existingContactId").asString()).isEqualTo(wrote.toString());
        Response byUserId = agent.send("POST", "/api/v1/contacts", "{\"whatsappUserId\":\"IN.123456789\"}");
        assertThat(byUserId.status()).isEqualTo(409);
        assertThat(ApiClient.json(byUserId).get("existingContactId").asString()).isEqualTo(wrote.toString());
        assertThat(contactCount()).isEqualTo(3);
    }

    @Test
    void an_impossible_number_is_refused_with_its_reason_and_nothing_is_created() {
        assertRefused(agent.send("POST", "/api/v1/contacts", "{\"name\":\"Short\",\"phone\":\"12\"}"), "too short");
        assertRefused(agent.send("POST", "/api/v1/contacts", "{\"name\":\"Letters\",\"phone\":\"call me\"}"), "not a phone number");
        assertRefused(agent.send("POST", "/api/v1/contacts", "{\"name\":\"Long\",\"phone\":\"+91 98111 22233 44455 66\"}"), "too long");
        assertRefused(agent.send("POST", "/api/v1/contacts", "{\"name\":\"Nobody\"}"), "WhatsApp number or a WhatsApp user id");
        assertRefused(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811122233\",\"email\":\"not-an-email\"}"), "not an email");
        assertRefused(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811122233\",\"ownerId\":\"" + UUID.randomUUID() + "\"}"), "active member");
        assertRefused(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811122233\",\"nickname\":\"x\"}"), "nickname");
        assertRefused(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811122233\",\"tags\":[\"" + "t".repeat(65) + "\"]}"), "64");
        assertThat(agent.send("POST", "/api/v1/contacts", "[1,2]").status()).isEqualTo(400);
        assertThat(contactCount()).isZero();
    }

    @Test
    void a_change_sets_what_is_given_and_a_refused_change_changes_nothing() {
        var owner = fixtures.member(workspace, Role.SUPERVISOR);
        var gone = fixtures.member(workspace, Role.AGENT);
        try (var ignored = fixtures.actAsOwner(workspace)) {
            members.deactivate(gone.id());
        }
        String id = id(agent.send("POST", "/api/v1/contacts",
                "{\"name\":\"Anita\",\"phone\":\"+91 98444 55566\",\"email\":\"anita@example.com\",\"company\":\"Chai Co\",\"tags\":[\"Lead\",\" lead \"]}"));
        JsonNode created = ApiClient.json(agent.get("/api/v1/contacts/" + id));
        assertThat(created.get("tags").toString()).isEqualTo("[\"lead\"]");

        JsonNode patched = ApiClient.json(agent.send("PATCH", "/api/v1/contacts/" + id,
                "{\"company\":\"Masala Ltd\",\"email\":null,\"ownerId\":\"" + owner.id() + "\"}"));
        assertThat(patched.get("name").asString()).isEqualTo("Anita");
        assertThat(patched.get("company").asString()).isEqualTo("Masala Ltd");
        assertThat(patched.get("email").isNull()).isTrue();
        assertThat(patched.get("ownerId").asString()).isEqualTo(owner.id().toString());
        assertThat(patched.get("phone").asString()).isEqualTo("+919844455566");

        String before = agent.get("/api/v1/contacts/" + id).text();
        int events = eventCount(id);
        for (String refused : List.of("{\"name\":\"Changed\",\"email\":\"anita@\"}", "{\"name\":\"Changed\",\"ownerId\":\"" + gone.id() + "\"}",
                "{\"name\":\"Changed\",\"ownerId\":\"nobody\"}", "{\"name\":\"Changed\",\"phone\":null}", "{\"name\":\"Changed\",\"phone\":\"0\"}",
                "{\"name\":\"Changed\",\"attributes\":{\"unknown_field\":\"x\"}}", "{\"name\":\"Changed\",\"company\":[\"x\"]}",
                "{\"name\":\"" + "n".repeat(201) + "\"}")) {
            assertThat(agent.send("PATCH", "/api/v1/contacts/" + id, refused).status()).as(refused).isEqualTo(400);
        }
        assertThat(agent.get("/api/v1/contacts/" + id).text()).isEqualTo(before);
        assertThat(eventCount(id)).isEqualTo(events);

        JsonNode timeline = ApiClient.json(agent.get("/api/v1/contacts/" + id + "/timeline"));
        assertThat(timeline.get("items").toString()).contains("\"field_changed\"").contains("\"company\"").contains("Masala Ltd")
                .contains("\"created\"");
    }

    @Test
    void attribute_values_are_checked_against_their_field_and_renaming_a_field_keeps_them() {
        assertThat(agent.send("POST", "/api/v1/contact-attributes", "{\"label\":\"City\",\"type\":\"text\"}").status()).isEqualTo(403);
        JsonNode city = ApiClient.json(admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"City\",\"type\":\"text\",\"required\":true}"));
        assertThat(city.get("key").asString()).isEqualTo("city");
        assertThat(admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Lifetime value\",\"type\":\"number\"}").status()).isEqualTo(201);
        assertThat(admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Birthday\",\"type\":\"date\"}").status()).isEqualTo(201);
        assertThat(admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Plan\",\"type\":\"list\",\"options\":[\"Free\",\"Pro\"]}").status()).isEqualTo(201);
        assertThat(admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"VIP\",\"type\":\"checkbox\"}").status()).isEqualTo(201);
        assertThat(admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Size\",\"type\":\"list\"}").status()).isEqualTo(400);
        assertThat(admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Colour\",\"type\":\"colour\"}").status()).isEqualTo(400);
        assertThat(admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"City again\",\"key\":\"city\",\"type\":\"text\"}").status()).isEqualTo(409);
        assertThat(ApiClient.json(agent.get("/api/v1/contact-attributes")).get("items")).hasSize(5);

        assertRefused(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811100001\"}"), "City is required");
        String id = id(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811100001\",\"attributes\":{\"city\":\"Pune\"}}"));

        JsonNode set = ApiClient.json(agent.send("PATCH", "/api/v1/contacts/" + id,
                "{\"attributes\":{\"lifetime_value\":\"12.50\",\"birthday\":\"2024-02-29\",\"plan\":\"pro\",\"vip\":\"yes\"}}"));
        JsonNode values = set.get("attributes");
        assertThat(values.get("lifetime_value").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(values.get("birthday").asString()).isEqualTo("2024-02-29");
        assertThat(values.get("plan").asString()).isEqualTo("Pro");
        assertThat(values.get("vip").asBoolean()).isTrue();
        assertThat(values.get("city").asString()).isEqualTo("Pune");
        assertThat(ApiClient.json(agent.send("PATCH", "/api/v1/contacts/" + id, "{\"attributes\":{\"lifetime_value\":1200}}"))
                .get("attributes").get("lifetime_value").asLong()).isEqualTo(1200);

        String before = agent.get("/api/v1/contacts/" + id).text();
        assertRefused(agent.send("PATCH", "/api/v1/contacts/" + id, "{\"attributes\":{\"lifetime_value\":\"twelve\"}}"), "must be a number");
        assertRefused(agent.send("PATCH", "/api/v1/contacts/" + id, "{\"attributes\":{\"birthday\":\"2023-02-29\"}}"), "YYYY-MM-DD");
        assertRefused(agent.send("PATCH", "/api/v1/contacts/" + id, "{\"attributes\":{\"birthday\":\"29/02/2024\"}}"), "YYYY-MM-DD");
        assertRefused(agent.send("PATCH", "/api/v1/contacts/" + id, "{\"attributes\":{\"plan\":\"Gold\"}}"), "Free, Pro");
        assertRefused(agent.send("PATCH", "/api/v1/contacts/" + id, "{\"attributes\":{\"vip\":\"maybe\"}}"), "yes or no");
        assertRefused(agent.send("PATCH", "/api/v1/contacts/" + id, "{\"attributes\":{\"city\":null}}"), "City is required");
        assertRefused(agent.send("PATCH", "/api/v1/contacts/" + id, "{\"attributes\":{\"city\":\"  \"}}"), "City is required");
        assertRefused(agent.send("PATCH", "/api/v1/contacts/" + id, "{\"attributes\":{\"city\":\"Delhi\",\"plan\":\"Gold\"}}"), "Free, Pro");
        assertThat(agent.get("/api/v1/contacts/" + id).text()).as("a refused change changes nothing").isEqualTo(before);

        // Renaming keeps the values; a list option in use cannot go; the type cannot change.
        JsonNode renamed = ApiClient.json(admin.send("PATCH", "/api/v1/contact-attributes/plan", "{\"label\":\"Subscription\",\"options\":[\"Free\",\"Pro\",\"Team\"]}"));
        assertThat(renamed.get("label").asString()).isEqualTo("Subscription");
        assertThat(renamed.get("key").asString()).isEqualTo("plan");
        assertThat(ApiClient.json(agent.get("/api/v1/contacts/" + id)).get("attributes").get("plan").asString()).isEqualTo("Pro");
        assertRefused(admin.send("PATCH", "/api/v1/contact-attributes/plan", "{\"options\":[\"Free\",\"Team\"]}"), "Pro");
        assertRefused(admin.send("PATCH", "/api/v1/contact-attributes/plan", "{\"type\":\"text\"}"), "cannot change");
        assertThat(admin.send("PATCH", "/api/v1/contact-attributes/no_such_field", "{\"label\":\"x\"}").status()).isEqualTo(404);

        // Deleting a field removes its values.
        JsonNode deleted = ApiClient.json(admin.send("DELETE", "/api/v1/contact-attributes/plan", null));
        assertThat(deleted.get("valuesRemoved").asInt()).isEqualTo(1);
        assertThat(ApiClient.json(agent.get("/api/v1/contacts/" + id)).get("attributes").has("plan")).isFalse();
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'contact_field.deleted' and target_id = 'plan'")
                .param("t", workspace.id()).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void tags_are_normalised_and_matched_whatever_their_case() {
        String id = id(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811100002\"}"));
        assertThat(ApiClient.json(agent.send("PUT", "/api/v1/contacts/" + id + "/tags/%20VIP%20", null)).get("tags").toString()).isEqualTo("[\"vip\"]");
        assertThat(ApiClient.json(agent.send("PUT", "/api/v1/contacts/" + id + "/tags/Vip", null)).get("tags").toString()).isEqualTo("[\"vip\"]");
        assertThat(ApiClient.json(agent.send("PUT", "/api/v1/contacts/" + id + "/tags/Repeat%20buyer", null)).get("tags").toString())
                .isEqualTo("[\"repeat buyer\",\"vip\"]");
        assertThat(agent.send("PUT", "/api/v1/contacts/" + id + "/tags/" + "x".repeat(65), null).status()).isEqualTo(400);
        assertThat(ApiClient.json(agent.send("DELETE", "/api/v1/contacts/" + id + "/tags/VIP", null)).get("tags").toString())
                .isEqualTo("[\"repeat buyer\"]");
    }

    @Test
    void only_the_author_of_a_note_edits_or_deletes_it() {
        String id = id(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811100003\"}"));
        ApiClient otherAgent = api(fixtures.apiToken(workspace, Role.AGENT));
        Response added = agent.send("POST", "/api/v1/contacts/" + id + "/notes", "{\"body\":\"Prefers calls after 6 pm\"}");
        assertThat(added.status()).isEqualTo(201);
        JsonNode note = ApiClient.json(added);
        assertThat(note.get("authorName").asString()).isEqualTo("Token for agent");
        String noteId = note.get("id").asString();
        String path = "/api/v1/contacts/" + id + "/notes/" + noteId;

        assertThat(otherAgent.send("PATCH", path, "{\"body\":\"Changed by someone else\"}").status()).isEqualTo(403);
        assertThat(admin.send("DELETE", path, null).status()).isEqualTo(403);
        assertThat(agent.send("POST", "/api/v1/contacts/" + id + "/notes", "{\"body\":\"  \"}").status()).isEqualTo(400);
        assertThat(agent.send("PATCH", path, "{\"body\":\"\"}").status()).isEqualTo(400);
        JsonNode notes = ApiClient.json(otherAgent.get("/api/v1/contacts/" + id + "/notes"));
        assertThat(notes.get("items")).hasSize(1);
        assertThat(notes.get("items").get(0).get("body").asString()).isEqualTo("Prefers calls after 6 pm");

        assertThat(ApiClient.json(agent.send("PATCH", path, "{\"body\":\"Prefers calls after 7 pm\"}")).get("body").asString())
                .isEqualTo("Prefers calls after 7 pm");
        String another = id(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811100004\"}"));
        assertThat(agent.send("PATCH", "/api/v1/contacts/" + another + "/notes/" + noteId, "{\"body\":\"x\"}").status())
                .as("a note is reached only through its own contact").isEqualTo(404);
        assertThat(agent.send("DELETE", path, null).status()).isEqualTo(204);
        assertThat(ApiClient.json(agent.get("/api/v1/contacts/" + id + "/notes")).get("items")).isEmpty();
    }

    @Test
    void merging_moves_conversations_notes_tags_attributes_consent_and_identity_and_leaves_an_audit_entry() {
        SandboxCustomer customer = fixtures.withSandboxNumber(workspace).customer();
        admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"City\",\"type\":\"text\"}");
        admin.send("POST", "/api/v1/contact-attributes", "{\"label\":\"Plan\",\"type\":\"list\",\"options\":[\"Free\",\"Pro\"]}");

        // Kept: added by hand with another number. Other: the same person, who wrote on WhatsApp.
        String kept = id(agent.send("POST", "/api/v1/contacts",
                "{\"name\":\"Kavya\",\"phone\":\"+91 98555 00001\",\"tags\":[\"lead\"],\"attributes\":{\"city\":\"Pune\"}}"));
        UUID conversation = customer.writes("919855500002", "Hi, it's Kavya from my other phone", "Kavya R");
        String other = jdbc.sql("select contact_id::text from conversations where tenant_id = :t and id = :c")
                .param("t", workspace.id()).param("c", conversation).query(String.class).single();
        agent.send("PATCH", "/api/v1/contacts/" + other, "{\"email\":\"kavya@example.com\",\"attributes\":{\"city\":\"Mumbai\",\"plan\":\"Pro\"}}");
        agent.send("PUT", "/api/v1/contacts/" + other + "/tags/customer", null);
        agent.send("PUT", "/api/v1/contacts/" + other + "/tags/lead", null);
        agent.send("POST", "/api/v1/contacts/" + kept + "/notes", "{\"body\":\"Note on the kept one\"}");
        agent.send("POST", "/api/v1/contacts/" + other + "/notes", "{\"body\":\"Note on the other one\"}");
        // Consent history (the consent feature writes it): the other opted in later than the kept one opted out.
        consent(kept, "opted_out", "agent", clock.instant().minus(Duration.ofDays(2)));
        consent(other, "opted_in", "form", clock.instant().minus(Duration.ofDays(1)));

        assertThat(agent.send("POST", "/api/v1/contacts/" + kept + "/merge", "{\"otherContactId\":\"" + other + "\"}").status())
                .as("agents do not merge").isEqualTo(403);
        ApiClient supervisor = api(fixtures.apiToken(workspace, Role.SUPERVISOR));
        assertThat(supervisor.send("POST", "/api/v1/contacts/" + kept + "/merge", "{\"otherContactId\":\"" + kept + "\"}").status()).isEqualTo(400);
        assertThat(supervisor.send("POST", "/api/v1/contacts/" + kept + "/merge", "{}").status()).isEqualTo(400);
        Response merged = supervisor.send("POST", "/api/v1/contacts/" + kept + "/merge", "{\"otherContactId\":\"" + other + "\"}");
        assertThat(merged.status()).as(merged.text()).isEqualTo(200);
        JsonNode outcome = ApiClient.json(merged);
        assertThat(outcome.get("conversations").asInt()).isEqualTo(1);
        assertThat(outcome.get("notes").asInt()).isEqualTo(1);
        assertThat(outcome.get("whatsappIdentityMoved").asBoolean()).isTrue();

        JsonNode contact = outcome.get("contact");
        assertThat(contact.get("id").asString()).isEqualTo(kept);
        assertThat(contact.get("name").asString()).isEqualTo("Kavya");
        assertThat(contact.get("profileName").asString()).isEqualTo("Kavya R");
        assertThat(contact.get("phone").asString()).as("the number the person writes from").isEqualTo("+919855500002");
        assertThat(contact.get("email").asString()).isEqualTo("kavya@example.com");
        assertThat(contact.get("tags").toString()).isEqualTo("[\"customer\",\"lead\"]");
        assertThat(contact.get("attributes").get("city").asString()).as("the kept contact's own value stays").isEqualTo("Pune");
        assertThat(contact.get("attributes").get("plan").asString()).as("a value it lacked is taken").isEqualTo("Pro");
        assertThat(contact.get("consent").get("marketing").asString()).as("the more recent consent wins").isEqualTo("opted_in");
        assertThat(contact.get("consent").get("source").asString()).isEqualTo("form");

        assertThat(agent.get("/api/v1/contacts/" + other).status()).isEqualTo(404);
        assertThat(ApiClient.json(agent.get("/api/v1/contacts/" + kept + "/notes")).get("items")).hasSize(2);
        assertThat(count("select count(*) from conversations where tenant_id = :t and contact_id = cast(:c as uuid)", kept)).isEqualTo(1);
        assertThat(count("select count(*) from messages where tenant_id = :t and contact_id = cast(:c as uuid)", kept)).isEqualTo(1);
        assertThat(count("select count(*) from contact_consent_events where tenant_id = :t and contact_id = cast(:c as uuid)", kept)).isEqualTo(2);
        assertThat(count("select count(*) from audit_events where tenant_id = :t and action = 'contact.merged' and target_id = :c", kept)).isEqualTo(1);
        assertThat(count("select count(*) from contact_events where tenant_id = :t and contact_id = cast(:c as uuid) and kind = 'merged'", kept)).isEqualTo(1);
        assertThat(count("select count(*) from contact_events where tenant_id = :t and contact_id = cast(:c as uuid) and kind = 'tag_added' and details->>'tag' = 'customer'", kept))
                .as("the other's timeline moved too").isEqualTo(1);

        String timeline = ApiClient.json(agent.get("/api/v1/contacts/" + kept + "/timeline")).get("items").toString();
        assertThat(timeline).contains("\"conversation\"").contains("\"merged\"").contains("\"note\"").contains("\"consent\"")
                .contains(conversation.toString());

        // The person writes again: it is the kept contact's conversation.
        UUID next = customer.writes("919855500002", "Still me");
        assertThat(next).isEqualTo(conversation);
        assertThat(contactCount()).isEqualTo(1);
    }

    @Test
    void deleting_a_contact_deletes_their_conversations_in_the_same_step_and_is_audited() {
        SandboxCustomer customer = fixtures.withSandboxNumber(workspace).customer();
        UUID conversation = customer.writes("919866600001", "Please delete my data");
        customer.writes("919866600001", "Thanks");
        String id = jdbc.sql("select contact_id::text from conversations where tenant_id = :t and id = :c")
                .param("t", workspace.id()).param("c", conversation).query(String.class).single();
        agent.send("POST", "/api/v1/contacts/" + id + "/notes", "{\"body\":\"Asked for deletion\"}");
        String survivor = id(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919866600002\"}"));

        assertThat(agent.send("DELETE", "/api/v1/contacts/" + id, null).status()).isEqualTo(403);
        Response deleted = api(fixtures.apiToken(workspace, Role.SUPERVISOR)).send("DELETE", "/api/v1/contacts/" + id, null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(ApiClient.json(deleted).get("conversationsDeleted").asInt()).isEqualTo(1);
        assertThat(ApiClient.json(deleted).get("messagesDeleted").asInt()).isEqualTo(2);

        assertThat(agent.get("/api/v1/contacts/" + id).status()).isEqualTo(404);
        assertThat(count("select count(*) from conversations where tenant_id = :t and id = cast(:c as uuid)", conversation.toString())).isZero();
        assertThat(count("select count(*) from messages where tenant_id = :t and conversation_id = cast(:c as uuid)", conversation.toString())).isZero();
        assertThat(count("select count(*) from contact_notes where tenant_id = :t and contact_id = cast(:c as uuid)", id)).isZero();
        assertThat(count("select count(*) from audit_events where tenant_id = :t and action = 'contact.deleted' and target_id = :c", id)).isEqualTo(1);
        assertThat(agent.get("/api/v1/contacts/" + survivor).status()).isEqualTo(200);
    }

    @Test
    void the_timeline_reads_page_after_page_newest_first_without_gaps_or_repeats() {
        String id = id(agent.send("POST", "/api/v1/contacts", "{\"phone\":\"+919811100005\"}"));
        for (int i = 1; i <= 4; i++) {
            clock.advance(Duration.ofMinutes(1));
            agent.send("PUT", "/api/v1/contacts/" + id + "/tags/t" + i, null);
            clock.advance(Duration.ofMinutes(1));
            agent.send("POST", "/api/v1/contacts/" + id + "/notes", "{\"body\":\"note " + i + "\"}");
        }
        JsonNode all = ApiClient.json(agent.get("/api/v1/contacts/" + id + "/timeline"));
        assertThat(all.get("items")).hasSize(9);
        assertThat(all.get("nextCursor").isNull()).isTrue();
        List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = ApiClient.json(agent.get("/api/v1/contacts/" + id + "/timeline?limit=4" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("items").forEach(item -> paged.add(item.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        List<String> expected = new java.util.ArrayList<>();
        all.get("items").forEach(item -> expected.add(item.get("id").asString()));
        assertThat(paged).containsExactlyElementsOf(expected);
        assertThat(all.get("items").get(0).get("kind").asString()).isEqualTo("note");
        assertThat(all.get("items").get(8).get("kind").asString()).isEqualTo("created");
        assertThat(agent.get("/api/v1/contacts/" + id + "/timeline?cursor=not-a-cursor").status()).isEqualTo(400);
    }

    // ---------------------------------------------------------------------------------------------

    private void consent(String contactId, String status, String source, java.time.Instant at) {
        jdbc.sql("""
                insert into contact_consent_events (tenant_id, id, contact_id, status, source, created_at)
                values (:t, :id, cast(:c as uuid), :status, :source, :at)
                """).param("t", workspace.id()).param("id", UUID.randomUUID()).param("c", contactId).param("status", status)
                .param("source", source).param("at", hexa.platform.database.Sql.ts(at)).update();
        jdbc.sql("""
                update contacts set marketing_consent = :status, marketing_consent_source = :source, marketing_consent_at = :at
                 where tenant_id = :t and id = cast(:c as uuid)
                """).param("t", workspace.id()).param("c", contactId).param("status", status).param("source", source)
                .param("at", hexa.platform.database.Sql.ts(at)).update();
    }

    private static void assertRefused(Response response, String reason) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(ApiClient.json(response).get("message").asString()).contains(reason);
    }

    private static String id(Response created) {
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return ApiClient.json(created).get("id").asString();
    }

    private int contactCount() {
        return jdbc.sql("select count(*) from contacts where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single();
    }

    private int eventCount(String contactId) {
        return count("select count(*) from contact_events where tenant_id = :t and contact_id = cast(:c as uuid)", contactId);
    }

    private int count(String sql, String contactId) {
        return jdbc.sql(sql).param("t", workspace.id()).param("c", contactId).query(Integer.class).single();
    }
}
