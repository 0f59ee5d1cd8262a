package hexa.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.config.HexaProperties;
import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import hexa.support.ApiClient;
import hexa.support.DomainEvents;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * "Erase this person": a customer is put into every table the modules declare as holding customers' data, through the
 * features (webhooks with text, a photo, a reaction, an edit and an ad referral; statuses and a read mark; an API send
 * with an Idempotency-Key; notes, tags, a conversation note, a notification, a consent change, an import, a bulk
 * action, a legal hold released, audit entries), erased, and then no row of any of those tables names them, the audit
 * trail keeps its entries without their details, their files are gone from disk, and another customer is untouched.
 */
class ErasureEverywhereTest extends HexaIntegrationTest {

    /**
     * Declared tables this test cannot fill through a feature; each is still checked to hold nothing of the person.
     * Parked webhook changes need a change the app cannot apply (one is written directly); events in the registry are
     * gone as soon as their listeners are done; a bulk action's contacts are kept only while it runs.
     */
    private static final Set<String> NOT_FILLED_BY_FEATURES = Set.of("webhook_parked_changes", "event_publication", "contact_bulk_job_items",
            // the rules' loop-guard marks live seconds: taken as soon as the event they mark arrives
            "automation_rule_echoes");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    List<PersonalData> declarations;

    @Autowired
    LegalHolds holds;

    @Autowired
    HexaProperties properties;

    @Autowired
    ErasureLedger ledger;

    @Autowired
    hexa.platform.crypto.SecretBox secrets;

    private Fixtures.SandboxWorkspace shop;
    private SandboxCustomer customers;
    private ApiClient admin;
    private String greta;
    private String hugo;

    @BeforeEach
    void aShopWithTwoCustomers() {
        shop = fixtures.withSandboxNumber("Erasure Co");
        customers = shop.customer();
        admin = api(fixtures.apiToken(shop.workspace(), Role.ADMIN));
        int unique = ThreadLocalRandom.current().nextInt(100_000, 999_999);
        greta = "4917" + unique + "01";
        hugo = "4917" + unique + "02";
    }

    @Test
    void erasing_a_person_leaves_nothing_of_them_in_any_declared_table_and_touches_nobody_else() throws Exception {
        // Automation rules considered for each message: one that does not fire (its line in the message's pass names
        // the person and what she wrote) and one that fires for her (a log row of its own).
        assertThat(admin.send("POST", "/api/v1/automation/rules", """
                {"name": "Never", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "conditions": [{"field": "TEXT", "operator": "CONTAINS", "value": "words nobody writes"}],
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "never"}}]}
                """).status()).isEqualTo(201);
        assertThat(admin.send("POST", "/api/v1/automation/rules", """
                {"name": "Address", "enabled": true, "trigger": {"kind": "MESSAGE_RECEIVED"},
                 "conditions": [{"field": "TEXT", "operator": "CONTAINS", "value": "my address is"}],
                 "actions": [{"kind": "ADD_TAG", "options": {"tag": "gave-address"}}]}
                """).status()).isEqualTo(201);
        UUID conversation = customers.writes(greta, "Hello, my address is Lindenweg 4", "Greta Erasmus");
        customers.writes(hugo, "Hi from Hugo", "Hugo Other");
        UUID contact = contactOf(greta);
        UUID other = contactOf(hugo);
        String first = wamid(conversation, "Hello, my address is Lindenweg 4");

        // A photo, a reaction, an edit, an ad referral.
        String photo = customers.uploads(greta, "a photo of Greta".repeat(200).getBytes(StandardCharsets.UTF_8), "image/jpeg", "greta.jpg");
        customers.stored(customers.sendsMessage(greta, "{\"type\":\"image\",\"image\":{\"id\":\"" + photo + "\",\"caption\":\"me\"}}"));
        customers.sendsMessage(greta, "{\"type\":\"reaction\",\"reaction\":{\"message_id\":\"" + first + "\",\"emoji\":\"\\u2764\"}}");
        customers.sendsMessage(greta, "{\"type\":\"edit\",\"edit\":{\"original_message_id\":\"" + first
                + "\",\"message\":{\"type\":\"text\",\"text\":{\"body\":\"Hello, my address is Lindenweg 5\"}}}}");
        customers.stored(customers.sendsMessage(greta, "{\"type\":\"text\",\"text\":{\"body\":\"Saw your ad\"},\"referral\":{\"source_url\":\"https://fb.me/greta\","
                + "\"source_id\":\"120226305854810726\",\"source_type\":\"ad\",\"body\":\"Fresh\",\"headline\":\"Greta's ad\",\"ctwa_clid\":\"clid-greta\"}}"));
        Eventually.until(() -> count("select count(*) from media_files where tenant_id = :t and state = 'STORED'") == 1, "the photo to be stored");
        Eventually.until(() -> count("select count(*) from message_reactions where tenant_id = :t") == 1, "the reaction");
        Eventually.until(() -> count("select count(*) from contact_referrals where tenant_id = :t") == 1, "the referral");
        // A chatbot flow she entered by its keyword and answered.
        String flow = ApiClient.json(admin.send("POST", "/api/v1/automation/flows", "{\"name\":\"City\",\"keywords\":[\"menu\"],\"draft\":{\"start\":\"q\","
                + "\"steps\":[{\"id\":\"q\",\"type\":\"ask\",\"message\":{\"kind\":\"text\",\"text\":\"Your city?\"},\"next\":\"e\"},"
                + "{\"id\":\"e\",\"type\":\"end\"}]}}")).get("id").asString();
        assertThat(admin.send("POST", "/api/v1/automation/flows/" + flow + "/publish", "").status()).isEqualTo(200);
        customers.stored(customers.sendsMessage(greta, "{\"type\":\"text\",\"text\":{\"body\":\"menu\"}}"));
        DomainEvents.awaitHandled(jdbc);
        customers.stored(customers.sendsMessage(greta, "{\"type\":\"text\",\"text\":{\"body\":\"Lisbon\"}}"));
        Eventually.until(() -> count("select count(*) from automation_flow_runs where tenant_id = :t and state = 'ended'") == 1, "her flow run");

        // An API send with an Idempotency-Key: its statuses come back from the sandbox.
        Response sent = admin.send("POST", "/api/v1/messages", "{\"to\":\"" + greta + "\",\"type\":\"text\",\"text\":{\"body\":\"Your order ships today\"}}",
                Map.of("Idempotency-Key", "greta-order-" + greta));
        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        Eventually.until(() -> count("select count(*) from message_status_events s join messages m on m.tenant_id = s.tenant_id and m.wamid = s.wamid"
                + " where s.tenant_id = :t and m.contact_id = '" + contact + "'") > 0, "a status of the reply");
        // A read mark, a note, tags, a conversation note, an assignment (a notification), a consent change.
        assertThat(admin.send("POST", "/api/v1/conversations/" + conversation + "/read", "{}").status()).isBetween(200, 299);
        assertThat(admin.send("POST", "/api/v1/contacts/" + contact + "/notes", "{\"body\":\"Greta prefers mornings\"}").status()).isEqualTo(201);
        assertThat(admin.send("PUT", "/api/v1/contacts/" + contact + "/tags/vip", null).status()).isEqualTo(200);
        assertThat(admin.send("PUT", "/api/v1/contacts/" + other + "/tags/vip", null).status()).isEqualTo(200);
        assertThat(admin.send("POST", "/api/v1/conversations/" + conversation + "/tags", "{\"tag\":\"complaint\"}").status()).isEqualTo(200);
        hexa.support.WebClient owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.post("/inbox/conversations/" + conversation + "/notes", Map.of("body", "Call Greta back")).status()).isBetween(200, 399);
        Fixtures.Person agent = fixtures.member(shop.workspace(), Role.AGENT);
        assertThat(admin.send("POST", "/api/v1/conversations/" + conversation + "/assign", "{\"assigneeId\":\"" + agent.id() + "\"}").status()).isEqualTo(200);
        assertThat(admin.send("POST", "/api/v1/contacts/" + contact + "/consent", "{\"status\":\"opted_in\"}").status()).isBetween(200, 299);
        // A campaign to her tag: she is one of its recipients, and its message reaches her.
        Response campaign = admin.send("POST", "/api/v1/campaigns", "{\"name\": \"VIP news\", \"template\": {\"name\": \"hello_world\","
                + " \"language\": \"en_US\"}, \"audience\": {\"tags\": [\"vip\"]}}");
        assertThat(campaign.status()).as(campaign.text()).isEqualTo(201);
        assertThat(admin.send("POST", "/api/v1/campaigns/" + ApiClient.json(campaign).get("id").asString() + "/schedule", null).status()).isEqualTo(200);
        Eventually.until(() -> count("select count(*) from campaign_recipients where tenant_id = :t and contact_id = '" + contact
                + "' and message_id is not null") == 1, "her campaign message");
        // An import naming her twice (the second row is reported as merged), a bulk action selecting her.
        String csv = "Name;Mobile\nGreta;+" + greta.substring(0, 2) + " " + greta.substring(2) + "\nGreta E.;+" + greta + "\nNobody;12\n";
        JsonNode imported = importAndWait(csv);
        assertThat(imported.get("status").asString()).isEqualTo("done");
        // An uploaded file waiting for its columns to be mapped (a draft) names her too; its file goes with her.
        Response uploaded = owner.multipart("/contacts/import", Map.of(), List.of(new hexa.support.WebClient.FilePart("file", "more.csv", "text/csv",
                ("Name;Mobile\nGreta;+" + greta + "\nHugo;+" + hugo + "\n").getBytes(StandardCharsets.UTF_8))));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(302);
        String draft = uploaded.location().substring(uploaded.location().lastIndexOf('/') + 1);
        Response bulk = admin.send("POST", "/api/v1/contacts/bulk", "{\"action\":\"tag\",\"tag\":\"newsletter\",\"filter\":\"tag=vip\"}");
        assertThat(bulk.status()).as(bulk.text()).isEqualTo(202);
        Eventually.until(() -> "done".equals(ApiClient.json(admin.get(bulk.header("Location"))).get("status").asString()), "the bulk action");
        // She asked on the workspace's public privacy page for her data: a code went to her number.
        assertThat(owner.post("/settings/privacy/public-page", Map.of("text", "We keep messages {messageDays}.", "rule", "approval", "dueDays", "30"))
                .status()).isEqualTo(302);
        String pageKey = jdbc.sql("select page_key from privacy_public_pages where tenant_id = :t").param("t", shop.id()).query(String.class).single();
        Eventually.until(() -> count("select count(*) from whatsapp_templates where tenant_id = :t and status = 'APPROVED'") > 0, "the code template");
        assertThat(browser().post("/privacy/" + pageKey + "/code", Map.of("number", "+" + greta, "kind", "export")).status()).isEqualTo(200);
        // An export of her data, done and downloadable.
        Response export = admin.send("POST", "/api/v1/contacts/" + contact + "/export", null);
        assertThat(export.status()).as(export.text()).isEqualTo(202);
        Eventually.until(() -> "done".equals(ApiClient.json(admin.get(export.header("Location"))).get("status").asString()), "the export");
        // A legal hold placed and released (audited, kept as history).
        try (var ignored = fixtures.actAsOwner(shop.workspace())) {
            holds.hold(contact, "Greta Erasmus", "Dispute about order 4711");
            holds.release(contact, "Greta Erasmus");
        }
        // A change the app parked (written directly: the sandbox only sends changes the app can apply).
        jdbc.sql("""
                insert into webhook_parked_changes (tenant_id, id, event_id, connection_id, part, field, item, reason, parked_at)
                values (:t, gen_random_uuid(), gen_random_uuid(), :c, 'message', 'messages', cast(:item as jsonb), 'unknown', now())
                """).param("t", shop.id()).param("c", shop.number().id()).param("item", "{\"from\":\"" + greta + "\",\"type\":\"unsupported\"}").update();
        DomainEvents.awaitHandled(jdbc);

        // Rows that refer to her through her conversation, her messages or the draft import count as hers.
        List<String> mentions = new ArrayList<>(List.of(contact.toString(), greta, conversation.toString(), draft));
        mentions.addAll(jdbc.sql("select id::text from messages where tenant_id = :t and contact_id = :c").param("t", shop.id()).param("c", contact)
                .query(String.class).list());
        mentions.addAll(jdbc.sql("select wamid from messages where tenant_id = :t and contact_id = :c").param("t", shop.id()).param("c", contact)
                .query(String.class).list());
        Map<String, Long> before = new LinkedHashMap<>();
        for (String table : customerTables(PersonalTable.Erasure.DELETE)) {
            before.put(table, mentioning(table, mentions));
        }
        assertThat(before).as("every declared table holds the person before").allSatisfy((table, rows) -> {
            if (!NOT_FILLED_BY_FEATURES.contains(table)) {
                assertThat(rows).as(table).isPositive();
            }
        });
        long otherMessages = count("select count(*) from messages where tenant_id = :t and contact_id = '" + other + "'");
        long auditAboutHer = count("select count(*) from audit_events where tenant_id = :t and target_id = '" + contact + "'");
        assertThat(auditAboutHer).isPositive();
        String blob = jdbc.sql("select f.blob_key from media_files f join messages m on m.tenant_id = f.tenant_id and m.id = f.message_id"
                + " where f.tenant_id = :t and m.contact_id = :c").param("t", shop.id()).param("c", contact).query(String.class).single();
        Path onDisk = properties.dataDir().resolve("media").resolve(blob);
        assertThat(onDisk).exists();

        // Meta's last statuses of the messages sent to her (the code, the reply) arrive before she is erased: a status
        // that arrives after an erasure is new data about her, which this test does not cover.
        awaitWebhooksSettled();
        Response erased = admin.send("POST", "/api/v1/contacts/" + contact + "/erasure", "{\"reason\":\"Greta asked by e-mail\"}");

        assertThat(erased.status()).as(erased.text()).isEqualTo(200);
        JsonNode certificate = ApiClient.json(erased);
        assertThat(certificate.get("removed").get("messages").asLong()).isEqualTo(before.get("messages"));
        assertThat(certificate.get("removed").get("contacts").asLong()).isEqualTo(1);
        assertThat(certificate.get("removed").get("audit_events").asLong()).isGreaterThanOrEqualTo(auditAboutHer);
        assertThat(certificate.get("reason").asString()).isEqualTo("Greta asked by e-mail");
        assertThat(certificate.toString()).as("the certificate names nobody erased").doesNotContain(contact.toString(), greta, "Greta Erasmus");
        DomainEvents.awaitHandled(jdbc);
        for (String table : customerTables(PersonalTable.Erasure.DELETE)) {
            assertThat(mentioning(table, mentions)).as(table + " after the erasure").isZero();
        }
        for (String table : customerTables(PersonalTable.Erasure.ANONYMIZE)) {
            assertThat(mentioning(table, List.of(greta, "Greta Erasmus", "Lindenweg"))).as(table + " keeps nothing of her").isZero();
        }
        assertThat(count("select count(*) from audit_events where tenant_id = :t and target_id = '" + contact + "' and target_name like 'a person erased on %'"))
                .as("the audit entries about her stay, anonymised").isEqualTo(auditAboutHer);
        assertThat(count("select count(*) from audit_events where tenant_id = :t and action = 'privacy.person_erased'")).isEqualTo(1);
        Eventually.until(() -> !Files.exists(onDisk), "her photo to be deleted from disk");
        // Hugo is untouched.
        assertThat(count("select count(*) from contacts where tenant_id = :t and id = '" + other + "'")).isEqualTo(1);
        assertThat(count("select count(*) from messages where tenant_id = :t and contact_id = '" + other + "'")).isEqualTo(otherMessages).isPositive();
        assertThat(count("select count(*) from contact_tags where tenant_id = :t and contact_id = '" + other + "'")).isEqualTo(2);
        assertThat(ApiClient.json(admin.get("/api/v1/contacts/imports/" + draft)).get("status").asString()).as("the draft naming her").isEqualTo("failed");
        // The certificate can be read again, and the ledger knows her by hashes only.
        JsonNode again = ApiClient.json(admin.get("/api/v1/privacy/erasures/" + certificate.get("id").asString()));
        assertThat(again.get("removed")).isEqualTo(certificate.get("removed"));
        String line = Files.readAllLines(ledger.directory().resolve(ErasureLedger.FILE)).stream().filter(l -> l.contains(certificate.get("id").asString())).findFirst().orElseThrow();
        assertThat(line).doesNotContain(greta);
    }

    @Test
    void a_held_person_is_refused_and_nothing_is_removed() {
        customers.writes(greta, "Please keep my case open", "Greta Held");
        UUID contact = contactOf(greta);
        try (var ignored = fixtures.actAsOwner(shop.workspace())) {
            holds.hold(contact, "Greta Held", "Court order 12/2026");
        }

        Response refused = admin.send("POST", "/api/v1/contacts/" + contact + "/erasure", "{}");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(ApiClient.json(refused).get("message").asString()).contains("legal hold");
        assertThat(count("select count(*) from contacts where tenant_id = :t and id = '" + contact + "'")).isEqualTo(1);
        assertThat(count("select count(*) from messages where tenant_id = :t and contact_id = '" + contact + "'")).isEqualTo(1);
        assertThat(count("select count(*) from privacy_erasures where tenant_id = :t")).isZero();
    }

    @Test
    void another_workspace_and_an_agent_cannot_erase() {
        customers.writes(greta, "Hello", "Greta Elsewhere");
        UUID contact = contactOf(greta);
        ApiClient stranger = api(fixtures.apiToken(fixtures.workspace("Other Co"), Role.ADMIN));
        ApiClient agent = api(fixtures.apiToken(shop.workspace(), Role.AGENT));

        assertThat(stranger.send("POST", "/api/v1/contacts/" + contact + "/erasure", "{}").status()).isEqualTo(404);
        assertThat(agent.send("POST", "/api/v1/contacts/" + contact + "/erasure", "{}").status()).isEqualTo(403);
        assertThat(admin.send("POST", "/api/v1/contacts/not-an-id/erasure", "{}").status()).isEqualTo(404);

        assertThat(count("select count(*) from contacts where tenant_id = :t and id = '" + contact + "'")).isEqualTo(1);
        UUID certificate = UUID.fromString(ApiClient.json(admin.send("POST", "/api/v1/contacts/" + contact + "/erasure", "{}")).get("id").asString());
        assertThat(stranger.get("/api/v1/privacy/erasures/" + certificate).status()).isEqualTo(404);
        assertThat(ApiClient.json(admin.get("/api/v1/privacy/erasures/" + certificate)).get("reason").asString())
                .isEqualTo(ErasureApiController.API_REASON);
    }

    @Test
    void the_audit_trail_allows_the_anonymisation_and_refuses_any_other_change() {
        customers.writes(greta, "Hello", "Greta Audited");
        UUID contact = contactOf(greta);
        try (var ignored = fixtures.actAsOwner(shop.workspace())) {
            holds.hold(contact, "Greta Audited", "Checking");
        }
        String entry = "tenant_id = '" + shop.id() + "' and target_id = '" + contact + "'";

        assertThatThrownBy(() -> jdbc.sql("update audit_events set action = 'contact.viewed' where " + entry).update())
                .rootCause().hasMessageContaining("audit events cannot be changed");
        assertThatThrownBy(() -> jdbc.sql("update audit_events set target_name = 'someone else' where " + entry).update())
                .rootCause().hasMessageContaining("audit events cannot be changed");
        assertThatThrownBy(() -> jdbc.sql("update audit_events set target_name = 'a person erased on 2026-12-07', details = '{}', actor_name = 'Mallory' where "
                + entry).update()).as("anonymising does not change who did it").rootCause().hasMessageContaining("audit events cannot be changed");
        assertThatThrownBy(() -> jdbc.sql("update audit_events set target_name = 'a person erased on 2026-12-07' where " + entry).update())
                .as("the details go too").rootCause().hasMessageContaining("audit events cannot be changed");

        assertThat(jdbc.sql("update audit_events set target_name = 'a person erased on 2026-12-07', details = '{}' where " + entry).update()).isEqualTo(1);
    }

    private List<String> customerTables(PersonalTable.Erasure erasure) {
        List<String> tables = new ArrayList<>();
        declarations.forEach(d -> d.tables().stream()
                .filter(t -> t.subject() == PersonalTable.Subject.CUSTOMER && t.erasure() == erasure).forEach(t -> tables.add(t.table())));
        assertThat(tables).isNotEmpty();
        return tables;
    }

    /** Rows of a table whose text (every column) contains one of the strings; other workspaces' rows count too. */
    private long mentioning(String table, List<String> strings) {
        return jdbc.sql("select count(*) from " + table + " x where x::text like any(:patterns)")
                .param("patterns", strings.stream().map(s -> "%" + s + "%").toArray(String[]::new)).query(Long.class).single();
    }

    private long count(String sql) {
        return jdbc.sql(sql).param("t", shop.id()).query(Long.class).single();
    }

    private UUID contactOf(String waId) {
        return jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", shop.id()).param("w", waId).query(UUID.class).single();
    }

    private String wamid(UUID conversation, String body) {
        return jdbc.sql("select wamid from messages where tenant_id = :t and conversation_id = :c and body = :b")
                .param("t", shop.id()).param("c", conversation).param("b", body).query(String.class).single();
    }

    private JsonNode importAndWait(String csv) throws IOException, InterruptedException {
        String boundary = "----erasure" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(csv.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        String token = fixtures.apiToken(shop.workspace(), Role.ADMIN);
        HttpResponse<String> started = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/contacts/imports"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = ApiClient.json(new Response(started.statusCode(), started.body(), started.headers().map())).get("id").asString();
        return Eventually.await(() -> ApiClient.json(admin.get("/api/v1/contacts/imports/" + id)),
                status -> status.get("status").asString().matches("done|failed"), "the import to finish");
    }

    @Test
    void a_status_meta_sends_days_later_for_an_erased_persons_message_stores_nothing_of_them_again() {
        UUID conversation = customers.writes(greta, "Please forget me", "Greta Late");
        UUID contact = contactOf(greta);
        Response sent = admin.send("POST", "/api/v1/messages", "{\"to\":\"" + greta + "\",\"type\":\"text\",\"text\":{\"body\":\"Noted\"}}");
        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        Map<String, Object> reply = Eventually.present(() -> jdbc.sql("""
                        select id, wamid from messages where tenant_id = :t and conversation_id = :c and direction = 'OUTBOUND' and wamid is not null
                        """).param("t", shop.id()).param("c", conversation).query().listOfRows().stream().findFirst(),
                "the reply to be sent");
        awaitWebhooksSettled();
        assertThat(admin.send("POST", "/api/v1/contacts/" + contact + "/erasure", "{}").status()).isEqualTo(200);

        new hexa.support.SignedWebhooks(jdbc, secrets, shop.number()).post("""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                 "messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"%s"},
                 "statuses":[{"id":"%s","status":"read","timestamp":"%d","recipient_id":"%s","biz_opaque_callback_data":"%s"}]}}]}]}
                """.formatted(shop.number().phoneNumberId(), reply.get("wamid"), java.time.Instant.now().getEpochSecond(), greta, reply.get("id")));
        awaitWebhooksSettled();

        assertThat(count("select count(*) from message_status_events where tenant_id = :t and (wamid = '" + reply.get("wamid")
                + "' or recipient_id = '" + greta + "')")).as("the late status is not recorded").isZero();
    }

    /** Waits until the workspace's webhooks have stopped arriving for a second and every one is processed. */
    private void awaitWebhooksSettled() {
        long[] last = {-1};
        Eventually.until(() -> {
            long now = count("select count(*) * 1000000 + count(*) filter (where processed_at is null) from webhook_events where tenant_id = :t");
            boolean settled = now == last[0] && now % 1000000 == 0;
            last[0] = now;
            if (!settled) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return settled;
        }, "the webhooks to settle");
    }
}
