package hexa.whatsapp.media;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.config.HexaProperties;
import hexa.platform.crypto.SecretBox;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.SandboxCustomer;
import hexa.support.Response;
import hexa.support.WebClient;
import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Media customers send: fetched from the sandbox's Graph API with the number's token, checked
 * against Meta's sha256, stored encrypted, served only to the workspace's inbox users and never as
 * active content; a failed download is retried and never loses the message.
 */
class InboundMediaTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SecretBox secrets;

    @Autowired
    HexaProperties properties;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private Fixtures.TestWorkspace workspace;
    private ConnectionService.View connection;
    private WebClient owner;
    private SandboxCustomer customer;

    @BeforeEach
    void connectANumber() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Media Co");
        workspace = shop.workspace();
        connection = shop.number();
        customer = shop.customer();
        owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
    }

    @Test
    void a_photo_a_customer_sends_is_stored_encrypted_and_served_to_the_workspace_only() throws Exception {
        byte[] photo = randomBytes(48_000, "\u00ff\u00d8\u00ff\u00e0");
        String mediaId = customerUploads("919800000001", photo, "image/jpeg", "holiday.jpg");
        customerSends("919800000001", "{\"type\":\"image\",\"image\":{\"id\":\"" + mediaId + "\",\"caption\":\"Is this the right size?\"}}");

        UUID message = awaitMessage("image");
        Map<String, Object> file = awaitState(message, "STORED");
        assertThat(file).containsEntry("media_id", mediaId).containsEntry("mime_type", "image/jpeg")
                .containsEntry("size_bytes", (long) photo.length).containsEntry("sha256", hex(sha256(photo)))
                .containsEntry("declared_sha256", Base64.getEncoder().encodeToString(sha256(photo)));

        Path onDisk = properties.dataDir().toAbsolutePath().normalize().resolve("media").resolve((String) file.get("blob_key"));
        assertThat(onDisk).startsWith(properties.dataDir().toAbsolutePath().normalize().resolve("media").resolve(workspace.id().toString()));
        byte[] stored = Files.readAllBytes(onDisk);
        assertThat(stored).as("encrypted at rest").isNotEqualTo(photo);
        assertThat(indexOf(stored, Arrays.copyOfRange(photo, 1000, 1032))).as("no plaintext on disk").isEqualTo(-1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(onDisk))).isEqualTo("rw-------");

        HttpResponse<byte[]> served = get(owner, "/media/" + message);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(photo);
        assertThat(hex(sha256(served.body()))).isEqualTo(file.get("sha256"));
        assertThat(served.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(served.headers().firstValue("Content-Disposition")).hasValue("inline");
        assertThat(served.headers().allValues("X-Content-Type-Options")).contains("nosniff");
        assertThat(served.headers().allValues("Content-Security-Policy")).anyMatch(v -> v.startsWith("sandbox"));
        assertThat(served.headers().firstValue("Cache-Control").orElse("")).contains("private");

        HttpResponse<byte[]> range = get(owner, "/media/" + message, "Range", "bytes=100-199");
        assertThat(range.statusCode()).as("video and audio can seek").isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(photo, 100, 200));

        WebClient agent = signedIn(fixtures.member(workspace, Role.AGENT));
        assertThat(get(agent, "/media/" + message).body()).isEqualTo(photo);
        // Given to another agent, the conversation and its files are that agent's (and Supervisors' and up) alone.
        Fixtures.Person colleague = fixtures.member(workspace, Role.AGENT);
        UUID conversation = jdbc.sql("select conversation_id from messages where id = :m").param("m", message).query(UUID.class).single();
        api(fixtures.apiToken(workspace, Role.SUPERVISOR)).send("POST", "/api/v1/conversations/" + conversation + "/assign",
                "{\"assigneeId\": \"" + colleague.id() + "\"}");
        assertThat(get(agent, "/media/" + message).statusCode()).isEqualTo(404);
        assertThat(agent.post("/media/" + message + "/retry", java.util.Map.of()).status()).isEqualTo(404);
        assertThat(get(signedIn(colleague), "/media/" + message).body()).isEqualTo(photo);
        WebClient analyst = signedIn(fixtures.member(workspace, Role.ANALYST));
        assertThat(get(analyst, "/media/" + message).statusCode()).as("no inbox, no media").isEqualTo(403);

        var otherWorkspace = fixtures.workspace("Curious Co");
        WebClient stranger = signedIn(otherWorkspace.owner());
        HttpResponse<byte[]> foreign = get(stranger, "/media/" + message);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(new String(foreign.body(), StandardCharsets.UTF_8)).doesNotContain(new String(photo, 0, 4, StandardCharsets.ISO_8859_1));
        assertThat(stranger.request("POST", "/media/" + message + "/retry").status()).isEqualTo(404);

        Response anonymous = browser().get("/media/" + message);
        assertThat(anonymous.status()).isEqualTo(302);
        assertThat(anonymous.location()).isEqualTo("/sign-in");
    }

    @Test
    void a_download_that_fails_is_retried_and_then_stored() throws IOException {
        String graphUrl = jdbc.sql("select graph_url from whatsapp_connections where id = :id").param("id", connection.id())
                .query(String.class).single();
        // Meta out of reach: nothing listens on port 1.
        setGraphUrl("http://127.0.0.1:1/sandbox/graph");
        byte[] voice = randomBytes(9_000, "OggS");
        String mediaId = customerUploads("919800000002", voice, "audio/ogg", "voice.ogg");
        customerSends("919800000002", "{\"type\":\"audio\",\"audio\":{\"id\":\"" + mediaId + "\",\"voice\":true}}");
        UUID message = awaitMessage("audio");

        Map<String, Object> failedOnce = await(() -> row(message), r -> ((Integer) r.get("attempts")) >= 1 && r.get("last_error") != null);
        assertThat(failedOnce).containsEntry("state", "PENDING").containsEntry("blob_key", null);
        assertThat((String) failedOnce.get("last_error")).contains("127.0.0.1:1");
        HttpResponse<byte[]> notYet = get(owner, "/media/" + message);
        assertThat(notYet.statusCode()).isEqualTo(404);
        assertThat(new String(notYet.body(), StandardCharsets.UTF_8)).contains("still being downloaded");

        setGraphUrl(graphUrl);
        Map<String, Object> stored = awaitState(message, "STORED");
        assertThat((Integer) stored.get("attempts")).isGreaterThanOrEqualTo(2);
        assertThat(stored.get("last_error")).isNull();
        assertThat(get(owner, "/media/" + message).body()).isEqualTo(voice);
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single())
                .isEqualTo(1);

        // Lost from storage (a restore from an old backup, say): "fetch again" gets it from Meta once more.
        Path onDisk = properties.dataDir().toAbsolutePath().normalize().resolve("media").resolve((String) stored.get("blob_key"));
        Files.delete(onDisk);
        HttpResponse<byte[]> missing = get(owner, "/media/" + message);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("missing from storage");
        assertThat(owner.request("POST", "/media/" + message + "/retry").status()).isEqualTo(202);
        await(() -> row(message), r -> "STORED".equals(r.get("state")) && Files.exists(onDisk));
        assertThat(get(owner, "/media/" + message).body()).isEqualTo(voice);
    }

    @Test
    void media_meta_does_not_know_is_failed_but_the_message_stays_and_can_be_fetched_again() {
        postWebhook(mediaMessage("wamid.unknown-media", "image", "{\"id\":\"999000111222333\",\"mime_type\":\"image/jpeg\",\"sha256\":\"abc\"}"));
        UUID message = awaitMessage("image");

        Map<String, Object> failed = awaitState(message, "FAILED");
        assertThat((String) failed.get("last_error")).contains("999000111222333");
        assertThat(failed).containsEntry("media_id", "999000111222333");
        assertThat(jdbc.sql("select type from messages where tenant_id = :t and id = :id").param("t", workspace.id()).param("id", message)
                .query(String.class).single()).as("the message is kept").isEqualTo("image");
        HttpResponse<byte[]> served = get(owner, "/media/" + message);
        assertThat(served.statusCode()).isEqualTo(404);
        assertThat(new String(served.body(), StandardCharsets.UTF_8)).contains("could not be downloaded");

        Response retry = owner.request("POST", "/media/" + message + "/retry");
        assertThat(retry.status()).isEqualTo(202);
        assertThat(ApiClient.json(retry).get("state").asString()).isIn("pending", "failed");
        Map<String, Object> again = awaitState(message, "FAILED");
        assertThat(again.get("attempts")).as("fetched once more, with its attempts counted afresh").isEqualTo(1);
    }

    @Test
    void a_file_whose_checksum_does_not_match_is_not_kept() {
        byte[] photo = randomBytes(5_000, "\u0089PNG");
        String mediaId = customerUploads("919800000003", photo, "image/png", "chart.png");
        String wrong = Base64.getEncoder().encodeToString(sha256("something else".getBytes(StandardCharsets.UTF_8)));
        postWebhook(mediaMessage("wamid.bad-checksum", "image", "{\"id\":\"" + mediaId + "\",\"mime_type\":\"image/png\",\"sha256\":\"" + wrong + "\"}"));
        UUID message = awaitMessage("image");

        Map<String, Object> rejected = await(() -> row(message), r -> r.get("last_error") != null);
        assertThat((String) rejected.get("last_error")).contains("Checksum mismatch");
        assertThat(rejected).containsEntry("state", "PENDING").containsEntry("blob_key", null).containsEntry("sha256", null);
        assertThat(properties.dataDir().toAbsolutePath().normalize().resolve("media").resolve(workspace.id().toString()).resolve(message.toString()))
                .doesNotExist();
        assertThat(get(owner, "/media/" + message).statusCode()).isEqualTo(404);
    }

    @Test
    void a_document_with_a_hostile_filename_is_a_download_with_a_plain_name_and_html_is_never_shown() {
        byte[] page = "<html><body><script>fetch('/api/v1/me')</script></body></html>".getBytes(StandardCharsets.UTF_8);
        String mediaId = customerUploads("919800000004", page, "text/plain", "page.txt");
        String hostile = "..\\\\../../etc/\\\"evil\\\"; filename=x.exe\\r\\nX-Injected: yes\\u0007<script>.html";
        customerSends("919800000004", "{\"type\":\"document\",\"document\":{\"id\":\"" + mediaId + "\",\"filename\":\"" + hostile + "\"}}");
        UUID message = awaitMessage("document");
        awaitState(message, "STORED");

        HttpResponse<byte[]> served = get(owner, "/media/" + message);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(page);
        String disposition = served.headers().firstValue("Content-Disposition").orElseThrow();
        assertThat(disposition).startsWith("attachment; filename=\"evil_filename_x.exe_X-Injected_yes_script_.html\"");
        assertThat(disposition).doesNotContain("..").doesNotContain("/").doesNotContain("\\").doesNotContain("\r").doesNotContain("\n")
                .doesNotContain("<");
        assertThat(served.headers().firstValue("X-Injected")).isEmpty();
        assertThat(served.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(served.headers().allValues("Content-Security-Policy")).anyMatch(v -> v.startsWith("sandbox"));

        // Should Meta call it HTML (or SVG on an image), it is still only ever a download of bytes.
        jdbc.sql("update media_files set mime_type = 'text/html; charset=utf-8' where tenant_id = :t and message_id = :id")
                .param("t", workspace.id()).param("id", message).update();
        HttpResponse<byte[]> html = get(owner, "/media/" + message);
        assertThat(html.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(html.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
        jdbc.sql("update media_files set kind = 'image', mime_type = 'image/svg+xml' where tenant_id = :t and message_id = :id")
                .param("t", workspace.id()).param("id", message).update();
        HttpResponse<byte[]> svg = get(owner, "/media/" + message);
        assertThat(svg.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(svg.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
    }

    // --- the customer's side, through the sandbox's control API and Meta's webhook ---

    private String customerUploads(String waId, byte[] bytes, String mimeType, String filename) {
        return customer.uploads(waId, bytes, mimeType, filename);
    }

    private void customerSends(String waId, String message) {
        customer.sendsMessage(waId, message.substring(0, message.length() - 1) + ",\"profileName\":\"Customer " + waId + "\"}");
    }

    /** A message webhook as Meta sends it, with a media object we choose. */
    private String mediaMessage(String wamid, String type, String media) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{"
                + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"1\",\"phone_number_id\":\"" + connection.phoneNumberId() + "\"},"
                + "\"contacts\":[{\"profile\":{\"name\":\"Asha\"},\"wa_id\":\"919800000009\"}],"
                + "\"messages\":[{\"from\":\"919800000009\",\"id\":\"" + wamid + "." + UUID.randomUUID() + "\",\"timestamp\":\""
                + clock.instant().getEpochSecond() + "\",\"type\":\"" + type + "\",\"" + type + "\":" + media + "}]}}]}]}";
    }

    private void postWebhook(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String appSecret = secrets.openString(jdbc.sql("select app_secret_sealed from whatsapp_connections where id = :id")
                .param("id", connection.id()).query(String.class).single());
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(connection.callbackUrl()))
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", WebhookSignature.of(body, appSecret))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    // --- the workspace's side ---

    private WebClient signedIn(Fixtures.Person person) {
        WebClient client = browser();
        client.signIn(person.email(), Fixtures.PASSWORD);
        return client;
    }

    /** A GET with the person's session, reading the body as bytes. */
    private HttpResponse<byte[]> get(WebClient who, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET()
                .header("Cookie", "HEXA_SESSION=" + who.sessionId());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void setGraphUrl(String url) {
        jdbc.sql("update whatsapp_connections set graph_url = :url where tenant_id = :t and id = :id")
                .param("url", url).param("t", workspace.id()).param("id", connection.id()).update();
    }

    private UUID awaitMessage(String type) {
        return await(() -> jdbc.sql("select id from messages where tenant_id = :t and type = :type").param("t", workspace.id())
                .param("type", type).query(UUID.class).optional().orElse(null), id -> true);
    }

    private Map<String, Object> awaitState(UUID message, String state) {
        return await(() -> row(message), r -> state.equals(r.get("state")));
    }

    private Map<String, Object> row(UUID message) {
        return jdbc.sql("select * from media_files where tenant_id = :t and message_id = :id").param("t", workspace.id())
                .param("id", message).query().listOfRows().stream().findFirst().orElse(null);
    }

    private static <T> T await(Supplier<T> query, java.util.function.Predicate<T> done) {
        return Eventually.await(query, last -> last != null && done.test(last), "the media to reach the expected state");
    }

    private static byte[] randomBytes(int size, String header) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        byte[] head = header.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, bytes, 0, head.length);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
