package hexa.contacts.imports;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.contacts.ConsentChanged;
import hexa.contacts.ContactService;
import hexa.contacts.ContactsChanged;
import hexa.contacts.ContactsCreated;
import hexa.contacts.ContactsTagged;
import hexa.contacts.WhatsAppIdentity;
import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Importing contacts from files, over HTTP against the real database: update-or-create by number in
 * any spelling, duplicates merged and reported, bad files refused with a reason and nothing changed,
 * cells kept as text, the mapping remembered, the report, imports of other workspaces not found, and
 * an import taken over after a crash going on where it stopped.
 */
class ContactImportTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ContactService contacts;

    @Autowired
    hexa.contacts.ConsentService consent;

    private Fixtures.TestWorkspace workspace;
    private String token;

    @BeforeEach
    void aWorkspaceInIndia() {
        workspace = fixtures.workspace("Import Co " + UUID.randomUUID().toString().substring(0, 6));
        token = fixtures.apiToken(workspace, Role.SUPERVISOR);
    }

    @Test
    void a_file_updates_known_numbers_creates_new_ones_merges_duplicates_and_reports_every_rejected_row() {
        UUID known;
        try (var ignored = fixtures.actAsOwner(workspace)) {
            known = contacts.identify(new WhatsAppIdentity("919876500001", null, "Asha on WhatsApp")).id();
        }
        String csv = "\uFEFFName;Mobile;E-mail;Company;Tags;Consent\n"
                + "Asha;+91 98765 00001;asha@example.com;Acme;vip, wholesale;yes\n"
                + "Ravi;098765 00002;ravi@example.com;;;no\n"
                + "\n"
                + "Ravi Kumar;91-98765-00002;;Ravi Co;late;\n"
                + "Too Short;12345;;;;\n"
                + "Bad Mail;9876500003;not-an-email;;;\n"
                + "Meena;0091 98765 00004;meena@example.com;;;perhaps\n"
                + "Meena;+91-98765-00004;;;;\n";

        JsonNode done = importAndWait(csv.getBytes(StandardCharsets.UTF_8), "people.csv", null, "trade fair", "Shop counter form");

        assertThat(done.get("status").asString()).isEqualTo("done");
        assertThat(done.get("totalRows").asInt()).as("the blank line is not a row").isEqualTo(7);
        assertThat(done.get("progress").asInt()).isEqualTo(100);
        JsonNode counts = done.get("counts");
        assertThat(counts.get("updated").asInt()).as("Asha was known by her number").isEqualTo(1);
        assertThat(counts.get("created").asInt()).as("Ravi (twice in the file) and Meena's second row").isEqualTo(2);
        assertThat(counts.get("merged").asInt()).isEqualTo(1);
        assertThat(counts.get("rejected").asInt()).as("a short number, a bad email, a consent that says neither").isEqualTo(3);
        assertThat(done.get("mapping").get("Mobile").asString()).isEqualTo("phone");
        assertThat(done.get("mapping").get("E-mail").asString()).isEqualTo("email");

        Map<String, Object> asha = contact("+919876500001");
        assertThat(asha.get("id")).isEqualTo(known);
        assertThat(asha).containsEntry("name", "Asha").containsEntry("email", "asha@example.com").containsEntry("company", "Acme")
                .containsEntry("marketing_consent", "opted_in").containsEntry("marketing_consent_source", "import")
                .containsEntry("profile_name", "Asha on WhatsApp").containsEntry("wa_id", "919876500001");
        assertThat(tags("+919876500001")).containsExactly("trade fair", "vip", "wholesale");
        Map<String, Object> ravi = contact("+919876500002");
        assertThat(ravi).as("the later row's values win, blank cells erase nothing")
                .containsEntry("name", "Ravi Kumar").containsEntry("email", "ravi@example.com").containsEntry("company", "Ravi Co")
                .containsEntry("marketing_consent", "opted_out");
        assertThat(tags("+919876500002")).containsExactly("late", "trade fair");
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t and phone_e164 = '+919876500002'").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(contact("+919876500004")).as("Meena's first row was rejected, her second imported").containsEntry("name", "Meena");
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single())
                .isEqualTo(3);

        List<Map<String, Object>> history = jdbc.sql("""
                select c.phone_e164, e.status, e.source, e.detail, e.actor_id from contact_consent_events e
                  join contacts c on c.tenant_id = e.tenant_id and c.id = e.contact_id
                 where e.tenant_id = :t order by c.phone_e164
                """).param("t", workspace.id()).query().listOfRows();
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).containsEntry("phone_e164", "+919876500001").containsEntry("status", "opted_in")
                .containsEntry("source", "import").containsEntry("detail", "people.csv: Shop counter form");
        assertThat(history.get(1)).containsEntry("status", "opted_out");
        assertThat(jdbc.sql("select count(*) from contact_events where tenant_id = :t and kind = 'imported'").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(3);

        Response report = api(token).get("/api/v1/contacts/imports/" + done.get("id").asString() + "/rejected");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.header("Content-Type")).startsWith("text/csv");
        List<String> lines = report.text().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Row,Outcome,Value,Reason");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("5,Merged,91-98765-00002,").contains("Same number as row 3"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("6,Rejected,12345,").contains("too short"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("7,Rejected,not-an-email,").contains("not an email address"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("8,Rejected,perhaps,").contains("yes or no"));
        assertThat(lines).hasSize(5);

        // One event of each kind for the chunk (the whole file here), naming the contacts it changed.
        UUID raviId = (UUID) ravi.get("id");
        UUID meenaId = (UUID) contact("+919876500004").get("id");
        assertThat(events.of(workspace.id(), ContactsCreated.class).stream().filter(e -> e.source().equals("import")))
                .singleElement().satisfies(e -> assertThat(e.contactIds()).containsExactlyInAnyOrder(raviId, meenaId));
        assertThat(events.of(workspace.id(), ContactsChanged.class)).singleElement()
                .satisfies(e -> assertThat(e.contactIds()).containsExactly(known))
                .satisfies(e -> assertThat(e.fields()).containsExactly("import"));
        Map<String, List<UUID>> tagged = new LinkedHashMap<>();
        events.of(workspace.id(), ContactsTagged.class).forEach(e -> assertThat(tagged.put(e.tag(), e.contactIds())).as("one event per tag").isNull());
        assertThat(tagged).containsOnlyKeys("trade fair", "vip", "wholesale", "late");
        assertThat(tagged.get("trade fair")).containsExactlyInAnyOrder(known, raviId, meenaId);
        assertThat(tagged.get("late")).containsExactly(raviId);
        assertThat(events.of(workspace.id(), ConsentChanged.class))
                .extracting(e -> e.contactId() + " " + e.status() + " " + e.source())
                .containsExactlyInAnyOrder(known + " OPTED_IN IMPORT", raviId + " OPTED_OUT IMPORT");

        List<Map<String, Object>> audit = jdbc.sql("select action, target_name from audit_events where tenant_id = :t and action like 'contacts.import%' order by occurred_at")
                .param("t", workspace.id()).query().listOfRows();
        assertThat(audit).extracting(r -> r.get("action")).containsExactly("contacts.import_started", "contacts.import_finished");
    }

    @Test
    void an_opt_in_in_a_file_does_not_undo_an_opt_out_the_person_wrote_themselves() {
        UUID stopped;
        UUID agentSet;
        try (var ignored = fixtures.actAsOwner(workspace)) {
            stopped = contacts.identify(new WhatsAppIdentity("919876500011", null, "Wrote STOP")).id();
            consent.record(stopped, hexa.contacts.ConsentService.Status.OPTED_OUT, hexa.contacts.ConsentService.Source.KEYWORD, null);
            agentSet = contacts.identify(new WhatsAppIdentity("919876500012", null, "Opted out by an agent")).id();
            consent.record(agentSet, hexa.contacts.ConsentService.Status.OPTED_OUT, hexa.contacts.ConsentService.Source.AGENT, null);
        }
        String csv = "Name,Phone,Consent\nWrote STOP,+91 98765 00011,yes\nBy agent,+91 98765 00012,yes\nNew,+91 98765 00013,yes\n";

        JsonNode done = importAndWait(csv.getBytes(StandardCharsets.UTF_8), "fair.csv", null, null, null);

        assertThat(done.get("status").asString()).isEqualTo("done");
        assertThat(contact("+919876500011")).as("only the person can undo their own STOP")
                .containsEntry("marketing_consent", "opted_out").containsEntry("marketing_consent_source", "keyword");
        assertThat(contact("+919876500012")).as("an agent's opt-out is the business's record, which the file updates")
                .containsEntry("marketing_consent", "opted_in").containsEntry("marketing_consent_source", "import");
        assertThat(contact("+919876500013")).containsEntry("marketing_consent", "opted_in");
        assertThat(jdbc.sql("select count(*) from contact_consent_events where tenant_id = :t and contact_id = :c and source = 'import'")
                .param("t", workspace.id()).param("c", stopped).query(Integer.class).single()).as("no history row for what was not done").isZero();
        List<String> lines = api(token).get("/api/v1/contacts/imports/" + done.get("id").asString() + "/rejected").text().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("2,").contains("opt-out kept").contains("opted out themselves"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("3,"));
    }

    @Test
    void bad_files_get_a_clear_answer_and_change_nothing() {
        String before = snapshot();
        record Bad(String name, byte[] bytes, int status, String says) {
        }
        byte[] junk = new byte[20 * 1024 * 1024];
        new Random(6).nextBytes(junk);
        byte[] oversized = "Name,Phone\n".repeat(2_000_000).getBytes(StandardCharsets.UTF_8);
        List<Bad> bads = List.of(
                new Bad("latin1.csv", "Name,Phone\nJosé,+919876500010\n".getBytes(Charset.forName("ISO-8859-1")), 400, "not in UTF-8"),
                new Bad("unicode.csv", utf16le(), 400, "UTF-16"),
                new Bad("photo.csv", png(), 400, "not a text file"),
                new Bad("junk.csv", junk, 400, "not a text file"),
                new Bad("huge.csv", oversized, 413, "larger than 20 MB"),
                new Bad("no-phone.csv", "Name,Email\nAsha,asha@example.com\n".getBytes(StandardCharsets.UTF_8), 400, "No column is mapped to the WhatsApp number"),
                new Bad("old.xls", new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0}, 400, "old Excel"),
                new Bad("page.xlsx", "<html><body>Not a workbook</body></html>".getBytes(StandardCharsets.UTF_8), 400, "not one"),
                new Bad("broken.csv", "Name,Phone\n\"Asha,+919876500012\nRavi,+919876500013\n".getBytes(StandardCharsets.UTF_8), 400, "damaged"),
                new Bad("empty.csv", new byte[0], 400, "empty"),
                new Bad("header-only.csv", "Name,Phone\n".getBytes(StandardCharsets.UTF_8), 400, "no rows"),
                new Bad("bomb.xlsx", zipBomb(), 400, "zip bomb"));
        for (Bad bad : bads) {
            Response response = startImport(bad.bytes(), bad.name(), null, null, null);
            assertThat(response.status()).as(bad.name() + ": " + response.text()).isEqualTo(bad.status());
            JsonNode error = ApiClient.json(response);
            assertThat(error.get("message").asString()).as(bad.name()).contains(bad.says());
        }
        assertThat(snapshot()).as("nothing was imported or kept").isEqualTo(before);
    }

    @Test
    void a_mapping_that_cannot_work_is_refused_before_anything_is_kept() {
        String before = snapshot();
        byte[] csv = "Name,Phone\nAsha,+919876500020\n".getBytes(StandardCharsets.UTF_8);
        assertThat(startImport(csv, "a.csv", "{\"Name\":\"name\"}", null, null).text()).contains("No column is mapped to the WhatsApp number");
        assertThat(startImport(csv, "a.csv", "{\"Name\":\"phone\",\"Phone\":\"phone\"}", null, null).text()).contains("for two columns");
        assertThat(startImport(csv, "a.csv", "{\"Nope\":\"phone\"}", null, null).text()).contains("no column headed \\\"Nope\\\"");
        assertThat(startImport(csv, "a.csv", "{\"Phone\":\"salary\"}", null, null).text()).contains("is not something a column can fill");
        assertThat(startImport(csv, "a.csv", "not json", null, null).status()).isEqualTo(400);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void formulas_and_markup_are_stored_as_text_shown_escaped_and_neutralised_in_the_report() {
        String csv = "Name,Phone,Company,Email\n"
                + "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",+919876500030,<script>alert('x')</script>,\n"
                + "+SUM(1;2),+919876500031,<b>Bold</b>,@SUM(1+1)\n";
        JsonNode done = importAndWait(csv.getBytes(StandardCharsets.UTF_8), "tricky.csv", null, null, null);
        assertThat(done.get("counts").get("created").asInt()).isEqualTo(1);
        assertThat(contact("+919876500030")).containsEntry("name", "=HYPERLINK(\"http://evil.example\",\"click\")")
                .containsEntry("company", "<script>alert('x')</script>");

        String report = api(token).get("/api/v1/contacts/imports/" + done.get("id").asString() + "/rejected").text();
        assertThat(report).contains("3,Rejected,'@SUM(1+1),");

        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        Response uploaded = owner.multipart("/contacts/import", Map.of(),
                List.of(new WebClient.FilePart("file", "tricky.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8))));
        assertThat(uploaded.status()).isEqualTo(302);
        String preview = owner.get(uploaded.location()).text();
        assertThat(preview).contains("&lt;script&gt;alert(").doesNotContain("<script>alert(").contains("&lt;b&gt;Bold&lt;/b&gt;");
        String status = owner.get("/contacts/import/" + done.get("id").asString()).text();
        assertThat(status).contains("@SUM(1+1)").contains("is not an email address");
    }

    @Test
    void the_mapping_chosen_once_is_offered_again_in_the_same_workspace_only() {
        byte[] csv = "Kunde,Handy,Firma\nAnna,+491701234567,Anna GmbH\n".getBytes(StandardCharsets.UTF_8);
        JsonNode done = importAndWait(csv, "de.csv", "{\"Kunde\":\"name\",\"Handy\":\"phone\",\"Firma\":\"company\"}", null, null);
        assertThat(done.get("counts").get("created").asInt()).isEqualTo(1);
        assertThat(contact("+491701234567")).containsEntry("name", "Anna").containsEntry("company", "Anna GmbH");

        byte[] next = "KUNDE,handy ,Firma,Notes\nBen,+491701234568,Ben AG,x\n".getBytes(StandardCharsets.UTF_8);
        JsonNode second = importAndWait(next, "de2.csv", null, null, null);
        assertThat(second.get("mapping").get("KUNDE").asString()).isEqualTo("name");
        assertThat(second.get("mapping").get("handy").asString()).isEqualTo("phone");
        assertThat(second.get("mapping").get("Firma").asString()).isEqualTo("company");
        assertThat(second.get("mapping").has("Notes")).isFalse();

        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        String page = owner.get(owner.multipart("/contacts/import", Map.of(),
                List.of(new WebClient.FilePart("file", "de3.csv", "text/csv", next))).location()).text();
        assertThat(page).containsPattern("id=\"column1\"[^>]*>\\s*<option value=\"ignore\">[^<]*</option>\\s*<option value=\"phone\" selected");

        var other = fixtures.workspace("Other Import Co");
        String otherToken = fixtures.apiToken(other, Role.ADMIN);
        Response elsewhere = new ApiClientWithFields(baseUrl(), otherToken).start(next, "de.csv", null, null, null);
        assertThat(elsewhere.status()).as("another workspace has no remembered mapping: no phone column is guessed").isEqualTo(400);
    }

    @Test
    void required_and_typed_custom_fields_are_checked_for_each_row() {
        jdbc.sql("""
                insert into contact_attributes (tenant_id, key, label, type, options, required, position, created_at)
                values (:t, 'city', 'City', 'list', '{Mumbai,Pune}', true, 1, now()),
                       (:t, 'orders', 'Orders', 'number', '{}', false, 2, now()),
                       (:t, 'since', 'Customer since', 'date', '{}', false, 3, now())
                """).param("t", workspace.id()).update();
        try (var ignored = fixtures.actAsOwner(workspace)) {
            contacts.identify(new WhatsAppIdentity("919876500040", null, null));
        }
        String csv = "Phone,City,Orders,Customer since\n"
                + "+919876500040,,12,2024-03-01\n"
                + "+919876500041,pune,3,14/03/2025\n"
                + "+919876500042,,1,\n"
                + "+919876500043,Delhi,,\n"
                + "+919876500044,Mumbai,many,\n";
        JsonNode done = importAndWait(csv.getBytes(StandardCharsets.UTF_8), "fields.csv", null, null, null);
        assertThat(done.get("mapping").get("City").asString()).isEqualTo("attribute:city");
        assertThat(done.get("mapping").get("Customer since").asString()).isEqualTo("attribute:since");
        assertThat(done.get("counts").get("updated").asInt()).as("a known contact needs no value for the required field").isEqualTo(1);
        assertThat(done.get("counts").get("created").asInt()).isEqualTo(1);
        assertThat(done.get("counts").get("rejected").asInt()).isEqualTo(3);
        assertThat(jdbc.sql("select attributes::text from contacts where tenant_id = :t and phone_e164 = '+919876500041'").param("t", workspace.id())
                .query(String.class).single()).isEqualTo("{\"city\": \"Pune\", \"since\": \"2025-03-14\", \"orders\": 3}");
        String report = api(token).get("/api/v1/contacts/imports/" + done.get("id").asString() + "/rejected").text();
        assertThat(report).contains("4,Rejected,'+919876500042,\"The required field City is empty")
                .contains("5,Rejected,Delhi,\"City: \"\"Delhi\"\" is not one of its choices (Mumbai, Pune).\"")
                .contains("6,Rejected,many,\"Orders: \"\"many\"\" is not a number.\"");
    }

    @Test
    void an_xlsx_is_read_from_its_first_sheet_with_numbers_written_in_full() throws IOException {
        byte[] xlsx;
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet sheet = workbook.createSheet("Customers");
            XSSFRow head = sheet.createRow(0);
            head.createCell(0).setCellValue("Name");
            head.createCell(2).setCellValue("WhatsApp");
            XSSFRow row = sheet.createRow(1);
            row.createCell(0).setCellValue("Kiran");
            row.createCell(2).setCellValue(919876500050d);
            XSSFRow formula = sheet.createRow(3);
            formula.createCell(0).setCellFormula("\"Ki\"&\"ran 2\"");
            formula.createCell(2).setCellValue("+91 98765 00051");
            workbook.createSheet("Ignored").createRow(0).createCell(0).setCellValue("Phone");
            workbook.write(out);
            xlsx = out.toByteArray();
        }
        JsonNode done = importAndWait(xlsx, "customers.xlsx", null, null, null);
        assertThat(done.get("format").asString()).isEqualTo("xlsx");
        assertThat(done.get("counts").get("created").asInt()).isEqualTo(2);
        assertThat(contact("+919876500050")).containsEntry("name", "Kiran");
        assertThat(contact("+919876500051")).as("a formula is never evaluated by us").doesNotContainEntry("name", "Kiran 2");
    }

    @Test
    void imports_of_another_workspace_are_not_found() {
        JsonNode victims = importAndWait("Name,Phone\nAsha,+919876500060\nX,1\n".getBytes(StandardCharsets.UTF_8), "victim.csv", null, null, null);
        String id = victims.get("id").asString();
        var attacker = fixtures.workspace("Attacker Import Co");
        ApiClient attackerApi = api(fixtures.apiToken(attacker, Role.ADMIN));
        assertThat(attackerApi.get("/api/v1/contacts/imports/" + id).status()).isEqualTo(404);
        assertThat(attackerApi.get("/api/v1/contacts/imports/" + id + "/rejected").status()).isEqualTo(404);
        WebClient attackerOwner = browser();
        attackerOwner.signIn(attacker.owner().email(), Fixtures.PASSWORD);
        for (String path : List.of("/contacts/import/" + id, "/contacts/import/" + id + "/progress", "/contacts/import/" + id + "/report.csv")) {
            assertThat(attackerOwner.get(path).status()).as(path).isEqualTo(404);
        }
        assertThat(attackerOwner.post("/contacts/import/" + id + "/start", Map.of("column1", "phone")).status()).isEqualTo(404);
        assertThat(attackerOwner.get("/contacts/import").text()).doesNotContain("victim.csv");
        assertThat(api(token).get("/api/v1/contacts/imports/" + id).status()).isEqualTo(200);
    }

    @Test
    void an_import_taken_over_after_a_crash_goes_on_after_the_last_row_written() {
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        String csv = "Name,Phone\nA,+919876500071\nB,+919876500072\nC,+919876500073\nB again,+919876500072\nD,+919876500074\n";
        Response uploaded = owner.multipart("/contacts/import", Map.of(),
                List.of(new WebClient.FilePart("file", "crash.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8))));
        String id = uploaded.location().substring("/contacts/import/".length());
        // As a node that died after writing rows 2 and 3 (A and B) leaves it: running, its lease run out.
        jdbc.sql("""
                update contact_imports set status = 'running', mapping = '{"0":"name","1":"phone"}', attempts = 1,
                       processed_rows = 2, last_row = 3, created_count = 2, lease_until = now() - interval '1 minute'
                 where tenant_id = :t and id = :id
                """).param("t", workspace.id()).param("id", UUID.fromString(id)).update();

        JsonNode done = await(id);
        assertThat(done.get("status").asString()).isEqualTo("done");
        assertThat(done.get("processedRows").asInt()).isEqualTo(5);
        assertThat(done.get("counts").get("created").asInt()).isEqualTo(4);
        assertThat(done.get("counts").get("merged").asInt()).as("B's second row is still known as a duplicate of row 3").isEqualTo(1);
        assertThat(jdbc.sql("select phone_e164 from contacts where tenant_id = :t order by phone_e164").param("t", workspace.id())
                .query(String.class).list()).as("rows already written are not written again").containsExactly("+919876500072", "+919876500073", "+919876500074");
        assertThat(events.of(workspace.id(), ContactsCreated.class)).as("the contacts the taken-over import created, told once")
                .flatExtracting(ContactsCreated::contactIds)
                .containsExactlyInAnyOrderElementsOf(jdbc.sql("select id from contacts where tenant_id = :t").param("t", workspace.id())
                        .query(UUID.class).list());
        assertThat(jdbc.sql("select count(*) from contact_import_files where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single())
                .as("the file is gone once the import is done").isZero();
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode importAndWait(byte[] bytes, String name, String mapping, String tags, String consent) {
        Response started = startImport(bytes, name, mapping, tags, consent);
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        JsonNode json = ApiClient.json(started);
        assertThat(started.header("Location")).isEqualTo("/api/v1/contacts/imports/" + json.get("id").asString());
        return await(json.get("id").asString());
    }

    private JsonNode await(String id) {
        return Eventually.await(() -> ApiClient.json(api(token).get("/api/v1/contacts/imports/" + id)),
                status -> status.get("status").asString().matches("done|failed"), "import " + id + " to finish");
    }

    private Response startImport(byte[] bytes, String name, String mapping, String tags, String consent) {
        return new ApiClientWithFields(baseUrl(), token).start(bytes, name, mapping, tags, consent);
    }

    private Map<String, Object> contact(String phone) {
        List<Map<String, Object>> rows = jdbc.sql("select * from contacts where tenant_id = :t and phone_e164 = :p")
                .param("t", workspace.id()).param("p", phone).query().listOfRows();
        assertThat(rows).as("contact " + phone).hasSize(1);
        return rows.get(0);
    }

    private List<String> tags(String phone) {
        return jdbc.sql("""
                select tag from contact_tags t join contacts c on c.tenant_id = t.tenant_id and c.id = t.contact_id
                 where t.tenant_id = :t and c.phone_e164 = :p order by tag
                """).param("t", workspace.id()).param("p", phone).query(String.class).list();
    }

    private String snapshot() {
        return jdbc.sql("""
                select concat_ws('|', (select count(*) from contacts where tenant_id = :t), (select count(*) from contact_imports where tenant_id = :t),
                                      (select count(*) from contact_import_files where tenant_id = :t), (select count(*) from contact_tags where tenant_id = :t),
                                      (select count(*) from contact_import_mappings where tenant_id = :t))
                """).param("t", workspace.id()).query(String.class).single();
    }

    private static byte[] utf16le() {
        byte[] text = "Name,Phone\nAsha,+919876500011\n".getBytes(StandardCharsets.UTF_16LE);
        byte[] out = new byte[text.length + 2];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xFE;
        System.arraycopy(text, 0, out, 2, text.length);
        return out;
    }

    private static byte[] png() {
        byte[] bytes = new byte[4000];
        new Random(7).nextBytes(bytes);
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
        System.arraycopy(signature, 0, bytes, 0, signature.length);
        return bytes;
    }

    /** A real workbook whose sheet unpacks to 200 MB of spaces: far more than its few hundred kilobytes should hold. */
    private static byte[] zipBomb() {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream plain = new ByteArrayOutputStream()) {
            workbook.createSheet("S").createRow(0).createCell(0).setCellValue("Phone");
            workbook.write(plain);
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(plain.toByteArray()));
                 ZipOutputStream out = new ZipOutputStream(bomb)) {
                out.setLevel(9);
                ZipEntry entry;
                while ((entry = in.getNextEntry()) != null) {
                    byte[] content = in.readAllBytes();
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    if (entry.getName().equals("xl/worksheets/sheet1.xml")) {
                        String xml = new String(content, StandardCharsets.UTF_8);
                        int split = xml.indexOf("<sheetData>") + "<sheetData>".length();
                        out.write(xml.substring(0, split).getBytes(StandardCharsets.UTF_8));
                        byte[] spaces = new byte[1 << 20];
                        java.util.Arrays.fill(spaces, (byte) ' ');
                        for (int i = 0; i < 200; i++) {
                            out.write(spaces);
                        }
                        out.write(xml.substring(split).getBytes(StandardCharsets.UTF_8));
                    } else {
                        out.write(content);
                    }
                    out.closeEntry();
                }
            }
            return bomb.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Posts the import form of the API: the file and the optional fields beside it. */
    static final class ApiClientWithFields {
        private final String base;
        private final String token;

        ApiClientWithFields(String base, String token) {
            this.base = base;
            this.token = token;
        }

        Response start(byte[] bytes, String filename, String mapping, String tags, String consentSource) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (mapping != null) {
                fields.put("mapping", mapping);
            }
            if (tags != null) {
                fields.put("tags", tags);
            }
            if (consentSource != null) {
                fields.put("consentSource", consentSource);
            }
            String boundary = "----hexaimport" + System.nanoTime();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                    + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bytes);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/contacts/imports"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.body(), response.headers().map());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
