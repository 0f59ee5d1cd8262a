package hexa.privacy;

import static hexa.support.Eventually.await;
import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A person's export over the API: the job, the ZIP's every part, who may download it, and its 24 hours. */
class PersonExportTest extends HexaIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HOSTILE = "<script>alert('kurta')</script> & <b>bold</b>";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ExportRunner runner;

    @Autowired
    ExportErasure erasure;

    @Test
    void the_zip_holds_every_part_of_the_person_and_only_its_requester_downloads_it_for_24_hours() throws Exception {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Export Co " + UUID.randomUUID().toString().substring(0, 6));
        String waId = "919800055501";
        shop.customer().writes(waId, HOSTILE, "Ann");
        byte[] photo = new byte[30_000];
        new Random(11).nextBytes(photo);
        String mediaId = shop.customer().uploads(waId, photo, "image/jpeg", "kurta photo.jpg");
        shop.customer().stored(shop.customer().sendsMessage(waId, "{\"type\":\"image\",\"image\":{\"id\":\"" + mediaId + "\",\"caption\":\"This one\"}}"));
        until(() -> "STORED".equals(jdbc.sql("select state from media_files where tenant_id = :t").param("t", shop.id())
                .query(String.class).optional().orElse("")), "the photo to be stored");
        UUID contact = jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", shop.id()).param("w", waId)
                .query(UUID.class).single();

        String adminToken = fixtures.apiToken(shop.workspace(), Role.ADMIN);
        ApiClient admin = api(adminToken);
        assertThat(admin.send("PATCH", "/api/v1/contacts/" + contact, "{\"name\":\"Anna\",\"email\":\"anna@example.com\"}").status()).isEqualTo(200);
        assertThat(admin.send("POST", "/api/v1/contacts/" + contact + "/notes", "{\"body\":\"Prefers cotton\"}").status()).isEqualTo(201);
        assertThat(admin.send("POST", "/api/v1/contacts/" + contact + "/consent", "{\"status\":\"opted_in\"}").status()).isBetween(200, 201);
        assertThat(admin.send("POST", "/api/v1/contacts/" + contact + "/consent", "{\"status\":\"opted_out\"}").status()).isBetween(200, 201);
        assertThat(admin.get("/api/v1/contacts/" + contact).status()).isEqualTo(200);

        Response started = admin.send("POST", "/api/v1/contacts/" + contact + "/export", null);
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String location = started.location();
        assertThat(location).startsWith("/api/v1/privacy/exports/");
        JsonNode done = await(() -> ApiClient.json(admin.get(location)), job -> job.get("status").asString().equals("done"), "the export to be done");
        assertThat(done.get("progress").asInt()).isEqualTo(100);
        String downloadUrl = done.get("downloadUrl").asString();
        assertThat(downloadUrl).isEqualTo(location + "/download");

        HttpResponse<byte[]> download = bytes(adminToken, downloadUrl);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/zip"));
        Map<String, byte[]> zip = unzip(download.body());
        assertThat(zip.keySet()).contains("README.txt", "contact.json", "notes.json", "consent.json", "timeline.json", "conversations.json",
                "messages.json", "conversations.html", "access.json", "hold.json");

        JsonNode person = JSON.readTree(zip.get("contact.json"));
        assertThat(person.get("name").asString()).isEqualTo("Anna");
        assertThat(person.get("email").asString()).isEqualTo("anna@example.com");
        assertThat(person.get("whatsappId").asString()).isEqualTo(waId);
        assertThat(JSON.readTree(zip.get("notes.json")).get(0).get("body").asString()).isEqualTo("Prefers cotton");
        JsonNode consent = JSON.readTree(zip.get("consent.json"));
        assertThat(consent.at("/current/marketingConsent").asString()).isEqualTo("opted_out");
        assertThat(consent.get("history")).extracting(e -> e.get("status").asString()).containsSubsequence("opted_in", "opted_out");
        assertThat(new String(zip.get("timeline.json"), StandardCharsets.UTF_8)).contains("\"field\" : \"name\"").contains("\"to\" : \"Anna\"");

        JsonNode messages = JSON.readTree(zip.get("messages.json"));
        assertThat(messages).hasSize(2);
        assertThat(messages).extracting(m -> m.get("text").isNull() ? null : m.get("text").asString()).contains(HOSTILE);
        JsonNode image = messages.get(1).get("type").asString().equals("image") ? messages.get(1) : messages.get(0);
        String photoPath = image.at("/media/file").asString();
        assertThat(photoPath).as("a photo has no name of its own: its kind and type").startsWith("media/").endsWith("-image.jpeg");
        assertThat(zip.get(photoPath)).as("the photo's bytes").isEqualTo(photo);
        JsonNode conversations = JSON.readTree(zip.get("conversations.json"));
        assertThat(conversations).hasSize(1);
        assertThat(conversations.get(0).get("id").asString()).isEqualTo(messages.get(0).get("conversationId").asString());

        String html = new String(zip.get("conversations.html"), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("<script>alert").doesNotContain("<b>bold")
                .contains("&lt;script&gt;alert(&#39;kurta&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
        JsonNode access = JSON.readTree(zip.get("access.json"));
        assertThat(access).extracting(e -> e.get("action").asString()).contains("contact.viewed", "privacy.export_started", "contact.consent_changed");
        assertThat(new String(zip.get("README.txt"), StandardCharsets.UTF_8)).contains("Anna").contains("messages.json").contains("access.json");

        // Who may see and download it.
        String otherToken = fixtures.apiToken(shop.workspace(), Role.ADMIN);
        assertThat(bytes(otherToken, downloadUrl).statusCode()).as("another token of the workspace").isEqualTo(404);
        assertThat(ApiClient.json(api(otherToken).get(location)).get("downloadUrl").isNull()).isTrue();
        Fixtures.TestWorkspace elsewhere = fixtures.workspace("Elsewhere " + UUID.randomUUID().toString().substring(0, 6));
        String strangerToken = fixtures.apiToken(elsewhere, Role.ADMIN);
        assertThat(api(strangerToken).get(location).status()).as("another workspace's job").isEqualTo(404);
        assertThat(bytes(strangerToken, downloadUrl).statusCode()).isEqualTo(404);
        assertThat(api(strangerToken).send("POST", "/api/v1/contacts/" + contact + "/export", null).status()).isEqualTo(404);
        assertThat(api(fixtures.apiToken(shop.workspace(), Role.AGENT)).send("POST", "/api/v1/contacts/" + contact + "/export", null).status())
                .as("an agent's token may not export").isEqualTo(403);
        assertThat(admin.send("POST", "/api/v1/contacts/not-an-id/export", null).status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'privacy.export_downloaded'").param("t", shop.id())
                .query(Integer.class).single()).isEqualTo(1);

        // The file on disk is sealed: no ZIP signature, no customer's text.
        String fileName = jdbc.sql("select file_name from privacy_exports where tenant_id = :t").param("t", shop.id()).query(String.class).single();
        byte[] stored = Files.readAllBytes(runner.file(shop.id(), fileName));
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("PK\u0003\u0004").doesNotContain("Prefers cotton");

        // 24 hours later it is gone.
        try {
            clock.advance(Duration.ofHours(24).plusMinutes(1));
            assertThat(bytes(adminToken, downloadUrl).statusCode()).isEqualTo(404);
            assertThat(runner.deleteExpired()).isGreaterThanOrEqualTo(1);
            assertThat(Files.exists(runner.file(shop.id(), fileName))).isFalse();
            assertThat(ApiClient.json(admin.get(location)).get("status").asString()).isEqualTo("expired");
        } finally {
            clock.reset();
        }
    }

    @Test
    void a_long_history_is_streamed_whole_with_its_progress_saved_on_the_way() throws Exception {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Long Export " + UUID.randomUUID().toString().substring(0, 6));
        String waId = "919800055502";
        UUID conversation = shop.customer().writes(waId, "First");
        UUID contact = jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", shop.id()).param("w", waId)
                .query(UUID.class).single();
        // More messages than the channel reads at a time (1,000), so that progress is saved while the cursor is open.
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content, status, sent_at, created_at)
                select :t, md5(:key || n)::uuid, :c, :contact, 'INBOUND', 'wamid.long.' || :key || '.' || n, 'text', 'Message ' || n || ' <i>',
                       '{}'::jsonb, 'RECEIVED', now() + n * interval '1 second', now() + n * interval '1 second'
                  from generate_series(1, 2500) n
                """).param("t", shop.id()).param("key", conversation.toString()).param("c", conversation).param("contact", contact).update();
        String token = fixtures.apiToken(shop.workspace(), Role.ADMIN);
        String location = api(token).send("POST", "/api/v1/contacts/" + contact + "/export", null).location();
        JsonNode done = await(() -> ApiClient.json(api(token).get(location)), job -> !job.get("status").asString().matches("queued|running"),
                "the export to end");
        assertThat(done.get("status").asString()).isEqualTo("done");
        Map<String, byte[]> zip = unzip(bytes(token, done.get("downloadUrl").asString()).body());
        assertThat(JSON.readTree(zip.get("messages.json"))).hasSize(2501);
        assertThat(new String(zip.get("conversations.html"), StandardCharsets.UTF_8)).contains("Message 2500 &lt;i&gt;").doesNotContain("<i>");
    }

    @Test
    void exports_go_with_the_person_erased_and_their_rows_with_the_logs_retention() throws Exception {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Export Erased " + UUID.randomUUID().toString().substring(0, 6));
        String token = fixtures.apiToken(workspace, Role.ADMIN);
        UUID kept = UUID.fromString(ApiClient.json(api(token).send("POST", "/api/v1/contacts", "{\"name\":\"Kept\",\"phone\":\"+919811166001\"}"))
                .get("id").asString());
        UUID erased = UUID.fromString(ApiClient.json(api(token).send("POST", "/api/v1/contacts", "{\"name\":\"Gone\",\"phone\":\"+919811166002\"}"))
                .get("id").asString());
        for (UUID contact : java.util.List.of(kept, erased)) {
            String location = api(token).send("POST", "/api/v1/contacts/" + contact + "/export", null).location();
            await(() -> ApiClient.json(api(token).get(location)), job -> job.get("status").asString().equals("done"), "the export to be done");
        }
        String erasedFile = jdbc.sql("select file_name from privacy_exports where tenant_id = :t and contact_id = :c").param("t", workspace.id())
                .param("c", erased).query(String.class).single();

        assertThat(erasure.erase(new hexa.platform.privacy.ErasedPerson(workspace.id(), erased, java.util.List.of())))
                .containsEntry("privacy_exports", 1L);
        assertThat(Files.exists(runner.file(workspace.id(), erasedFile))).isFalse();
        assertThat(jdbc.sql("select contact_id from privacy_exports where tenant_id = :t").param("t", workspace.id()).query(UUID.class).list())
                .containsExactly(kept);

        java.time.Instant now = clock.instant();
        var soon = new hexa.platform.privacy.RetentionPurge.Rules(workspace.id(), now, java.util.Optional.empty(), now.minusSeconds(3600),
                java.util.Optional.empty(), now, java.util.Set.of());
        assertThat(erasure.purge(soon, false)).as("a job younger than the logs' period stays").containsEntry("privacy_exports", 0L);
        var later = new hexa.platform.privacy.RetentionPurge.Rules(workspace.id(), now, java.util.Optional.empty(), now.plusSeconds(60),
                java.util.Optional.empty(), now, java.util.Set.of(kept));
        assertThat(erasure.purge(later, true)).as("a held contact's export stays").containsEntry("privacy_exports", 0L);
        var expired = new hexa.platform.privacy.RetentionPurge.Rules(workspace.id(), now, java.util.Optional.empty(), now.plusSeconds(60),
                java.util.Optional.empty(), now, java.util.Set.of());
        assertThat(erasure.purge(expired, true)).containsEntry("privacy_exports", 1L);
        assertThat(erasure.purge(expired, false)).containsEntry("privacy_exports", 1L);
        assertThat(jdbc.sql("select count(*) from privacy_exports where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
    }

    private HttpResponse<byte[]> bytes(String token, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static Map<String, byte[]> unzip(byte[] bytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }
}
