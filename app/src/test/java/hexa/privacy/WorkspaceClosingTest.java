package hexa.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.config.HexaProperties;
import hexa.support.ApiClient;
import hexa.support.DomainEvents;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import hexa.support.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * "Close this workspace": an Owner types the workspace's name, every page shows the banner with the date, and 30 days
 * later the daily deletion leaves no row of the workspace in any table of the schema and none of its media files on
 * disk, while another workspace and the members' accounts stay. An Owner can keep a closing workspace; the wrong name
 * closes nothing; an Admin cannot close.
 */
class WorkspaceClosingTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    WorkspaceClosings closings;

    @Autowired
    HexaProperties properties;

    @Autowired
    WorkspaceExports workspaceExports;

    @Autowired
    ExportRunner exports;

    @Test
    void a_closed_workspace_is_deleted_after_the_grace_period_with_its_files_and_nothing_else_is() {
        int unique = ThreadLocalRandom.current().nextInt(100_000, 999_999);
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Closing Co " + unique);
        Fixtures.SandboxWorkspace kept = fixtures.withSandboxNumber("Staying Co " + unique);
        SandboxCustomer customers = shop.customer();
        String greta = "4917" + unique + "01";
        String other = "4917" + unique + "02";
        ApiClient admin = api(fixtures.apiToken(shop.workspace(), Role.ADMIN));

        // Through the features: messages with a photo, a reply by API, a note, a tag, an API token (the admin's).
        customers.writes(greta, "Hello, I would like to order", "Greta Closing");
        String photo = customers.uploads(greta, "a photo".repeat(300).getBytes(StandardCharsets.UTF_8), "image/jpeg", "order.jpg");
        customers.stored(customers.sendsMessage(greta, "{\"type\":\"image\",\"image\":{\"id\":\"" + photo + "\",\"caption\":\"this one\"}}"));
        kept.customer().writes(other, "Hello from the other shop", "Otto Staying");
        Eventually.until(() -> count("select count(*) from media_files where tenant_id = :t and state = 'STORED'", shop.id()) == 1, "the photo");
        UUID contact = jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", shop.id()).param("w", greta)
                .query(UUID.class).single();
        Response sent = admin.send("POST", "/api/v1/messages", "{\"to\":\"" + greta + "\",\"type\":\"text\",\"text\":{\"body\":\"Ships today\"}}");
        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        assertThat(admin.send("POST", "/api/v1/contacts/" + contact + "/notes", "{\"body\":\"Prefers mornings\"}").status()).isEqualTo(201);
        assertThat(admin.send("PUT", "/api/v1/contacts/" + contact + "/tags/vip", null).status()).isEqualTo(200);
        Eventually.until(() -> count("select count(*) from message_status_events where tenant_id = :t", shop.id()) > 0, "a status of the reply");
        String blob = jdbc.sql("select blob_key from media_files where tenant_id = :t").param("t", shop.id()).query(String.class).single();
        Path onDisk = properties.dataDir().resolve("media").resolve(blob);
        assertThat(onDisk).exists();
        List<String> tenantTables = jdbc.sql("""
                select c.table_name from information_schema.columns c join information_schema.tables t
                    on t.table_schema = c.table_schema and t.table_name = c.table_name
                 where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE' order by 1
                """).query(String.class).list();
        assertThat(tenantTables).contains("messages", "media_files", "contacts", "contact_notes", "api_tokens", "memberships", "audit_events",
                "privacy_workspace_closings");
        Map<String, Long> before = rowsOf(shop.id(), tenantTables);
        assertThat(before).as("the workspace has data before").containsKeys("messages", "media_files", "contacts", "contact_notes",
                "contact_tags", "conversations", "api_tokens", "memberships", "whatsapp_connections", "audit_events");
        Map<String, Long> keptBefore = rowsOf(kept.id(), tenantTables);

        // The Owner closes it, typing the name: first wrongly (nothing happens), then right.
        WebClient owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.get("/settings/privacy/close").text()).contains("data-testid=\"close-form\"", shop.workspace().name());
        Response wrong = owner.post("/settings/privacy/close", Map.of("name", "Closing Co"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.text()).contains("data-testid=\"closing-error\"");
        assertThat(closings.of(shop.id())).isEmpty();
        assertThat(owner.post("/settings/privacy/close", Map.of("name", shop.workspace().name())).status()).isEqualTo(302);
        WorkspaceClosings.Closing closing = closings.of(shop.id()).orElseThrow();
        assertThat(Duration.between(closing.requestedAt(), closing.deleteAfter())).isEqualTo(Duration.ofDays(30));
        assertThat(count("select count(*) from audit_events where tenant_id = :t and action = 'privacy.workspace_closing'", shop.id())).isEqualTo(1);
        // Members keep working, under the banner with the date.
        String deletionDate = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd").format(closing.deleteAfter().atZone(java.time.ZoneId.of("Asia/Kolkata")));
        String inbox = owner.get("/inbox").text();
        assertThat(inbox).contains("data-testid=\"closing-banner\"", deletionDate);
        assertThat(owner.get("/contacts").status()).isEqualTo(200);

        // An export of the whole workspace, taken before the deletion: its ZIP goes with the workspace.
        assertThat(owner.post("/settings/privacy/close/export", Map.of()).status()).isEqualTo(302);
        Eventually.until(() -> count("select count(*) from privacy_workspace_exports where tenant_id = :t and status = 'done'", shop.id()) == 1,
                "the workspace export");
        Path exportOnDisk = exports.file(shop.id(), jdbc.sql("select file_name from privacy_workspace_exports where tenant_id = :t")
                .param("t", shop.id()).query(String.class).single());
        assertThat(exportOnDisk).exists();

        // Not yet: a day before the end of the grace period nothing is deleted.
        awaitSettled(shop.id());
        clock.advance(Duration.ofDays(29));
        closings.deleteDue();
        assertThat(count("select count(*) from messages where tenant_id = :t", shop.id())).isEqualTo(before.get("messages"));

        clock.advance(Duration.ofDays(2));
        assertThat(closings.deleteDue()).isGreaterThanOrEqualTo(1);

        assertThat(rowsOf(shop.id(), tenantTables)).as("rows of the closed workspace left").isEmpty();
        assertThat(count("select count(*) from workspaces where id = :t", shop.id())).isZero();
        Eventually.until(() -> !Files.exists(onDisk), "the photo to be deleted from disk");
        Eventually.until(() -> !Files.exists(exportOnDisk), "the workspace export to be deleted from disk");
        assertThat(count("select count(*) from users where id = :t", shop.owner().id())).as("the Owner's account stays").isEqualTo(1);
        // The Owner's session, left without a workspace, is sent where a person without one goes; the old pages refuse.
        assertThat(owner.get("/").location()).endsWith("/workspaces/none");
        assertThat(owner.get("/inbox").status()).isEqualTo(403);
        assertThat(rowsOf(kept.id(), tenantTables)).as("the other workspace").isEqualTo(keptBefore);
        assertThat(count("select count(*) from workspaces where id = :t", kept.id())).isEqualTo(1);
    }

    @Test
    void an_owner_can_keep_a_closing_workspace_and_an_admin_cannot_close_one() {
        Fixtures.TestWorkspace shop = fixtures.workspace("Keeping Co " + ThreadLocalRandom.current().nextInt(100_000, 999_999));
        WebClient owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        Fixtures.Person admin = fixtures.member(shop, Role.ADMIN);
        WebClient adminBrowser = browser();
        adminBrowser.signIn(admin.email(), Fixtures.PASSWORD);

        assertThat(adminBrowser.post("/settings/privacy/close", Map.of("name", shop.name())).status()).isEqualTo(403);
        assertThat(closings.of(shop.id())).isEmpty();
        assertThat(owner.post("/settings/privacy/close", Map.of("name", "")).status()).isEqualTo(400);
        assertThat(closings.of(shop.id())).isEmpty();

        assertThat(owner.post("/settings/privacy/close", Map.of("name", shop.name())).status()).isEqualTo(302);
        assertThat(adminBrowser.get("/contacts").text()).as("members see the banner, without the Owner's link")
                .contains("data-testid=\"closing-banner\"").doesNotContain("href=\"/settings/privacy/close\"");
        assertThat(owner.get("/settings/privacy/close").text()).contains("data-testid=\"keep-form\"");
        assertThat(adminBrowser.post("/settings/privacy/close/keep", Map.of()).status()).isEqualTo(403);
        assertThat(closings.of(shop.id())).isPresent();

        assertThat(owner.post("/settings/privacy/close/keep", Map.of()).status()).isEqualTo(302);
        assertThat(closings.of(shop.id())).isEmpty();
        assertThat(count("select count(*) from audit_events where tenant_id = :t and action = 'privacy.workspace_kept'", shop.id())).isEqualTo(1);
        assertThat(owner.get("/contacts").text()).doesNotContain("data-testid=\"closing-banner\"");
        clock.advance(Duration.ofDays(31));
        closings.deleteDue();
        assertThat(count("select count(*) from workspaces where id = :t", shop.id())).as("a kept workspace stays").isEqualTo(1);
    }

    @Test
    void an_owner_exports_the_whole_workspace_as_a_zip_downloadable_for_24_hours() throws Exception {
        int unique = ThreadLocalRandom.current().nextInt(100_000, 999_999);
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Exporting Co " + unique);
        String greta = "4917" + unique + "03";
        byte[] photoBytes = "the photo to keep".repeat(100).getBytes(StandardCharsets.UTF_8);
        shop.customer().writes(greta, "Hello, <b>an order</b> please", "Greta Export");
        String photo = shop.customer().uploads(greta, photoBytes, "image/jpeg", "keep.jpg");
        shop.customer().stored(shop.customer().sendsMessage(greta, "{\"type\":\"image\",\"image\":{\"id\":\"" + photo + "\"}}"));
        Eventually.until(() -> count("select count(*) from media_files where tenant_id = :t and state = 'STORED'", shop.id()) == 1, "the photo");
        UUID contact = jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", shop.id()).param("w", greta)
                .query(UUID.class).single();
        WebClient owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.get("/settings/privacy/close").text()).contains("data-testid=\"no-workspace-export\"");

        assertThat(owner.post("/settings/privacy/close/export", Map.of()).status()).isEqualTo(302);
        Eventually.until(() -> count("select count(*) from privacy_workspace_exports where tenant_id = :t and status = 'done'", shop.id()) == 1,
                "the workspace export");
        UUID job = jdbc.sql("select id from privacy_workspace_exports where tenant_id = :t").param("t", shop.id()).query(UUID.class).single();
        assertThat(owner.get("/settings/privacy/close").text()).contains("/settings/privacy/close/export/" + job);

        java.net.http.HttpResponse<byte[]> download = bytes(owner, "/settings/privacy/close/export/" + job);
        assertThat(download.statusCode()).isEqualTo(200);
        Map<String, byte[]> zip = PersonExportTest.unzip(download.body());
        assertThat(new String(zip.get("contacts.csv"), StandardCharsets.UTF_8)).contains("Greta Export", contact.toString());
        assertThat(zip.keySet()).anySatisfy(name -> assertThat(name).startsWith("people/" + contact + "/").contains("messages"));
        assertThat(zip.values()).as("the photo's bytes").anySatisfy(bytes -> assertThat(bytes).isEqualTo(photoBytes));
        assertThat(zip.entrySet().stream().filter(e -> e.getKey().startsWith("people/" + contact + "/"))
                .map(e -> new String(e.getValue(), StandardCharsets.UTF_8)).toList()).anySatisfy(text -> assertThat(text).contains("<b>an order</b>"));
        assertThat(count("select count(*) from audit_events where tenant_id = :t and action = 'privacy.workspace_export_downloaded'", shop.id())).isEqualTo(1);

        // An Admin, another workspace's Owner, a made-up id: nothing.
        Fixtures.Person admin = fixtures.member(shop.workspace(), Role.ADMIN);
        WebClient adminBrowser = browser();
        adminBrowser.signIn(admin.email(), Fixtures.PASSWORD);
        assertThat(bytes(adminBrowser, "/settings/privacy/close/export/" + job).statusCode()).isEqualTo(403);
        Fixtures.TestWorkspace other = fixtures.workspace("Other Exporting Co " + unique);
        WebClient stranger = browser();
        stranger.signIn(other.owner().email(), Fixtures.PASSWORD);
        assertThat(bytes(stranger, "/settings/privacy/close/export/" + job).statusCode()).isEqualTo(404);
        assertThat(bytes(owner, "/settings/privacy/close/export/not-an-id").statusCode()).isEqualTo(404);

        // After 24 hours the link is gone, and the sweep deletes the ZIP with its row.
        String file = jdbc.sql("select file_name from privacy_workspace_exports where id = :id").param("id", job).query(String.class).single();
        Path zipOnDisk = exports.file(shop.id(), file);
        assertThat(zipOnDisk).exists();
        assertThat(new String(Files.readAllBytes(zipOnDisk), StandardCharsets.ISO_8859_1)).as("sealed at rest").doesNotContain("Greta Export", "contacts.csv");
        clock.advance(Duration.ofHours(25));
        assertThat(bytes(owner, "/settings/privacy/close/export/" + job).statusCode()).isEqualTo(404);
        assertThat(workspaceExports.deleteExpired()).isGreaterThanOrEqualTo(1);
        assertThat(zipOnDisk).doesNotExist();
        assertThat(count("select count(*) from privacy_workspace_exports where tenant_id = :t", shop.id())).isZero();
    }

    private java.net.http.HttpResponse<byte[]> bytes(WebClient client, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + path))
                .header("Cookie", "HEXA_SESSION=" + client.sessionId()).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Rows of the workspace per table, only the tables that have any. */
    private Map<String, Long> rowsOf(UUID tenant, List<String> tables) {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : tables) {
            long n = jdbc.sql("select count(*) from " + table + " where tenant_id = :t").param("t", tenant).query(Long.class).single();
            if (n > 0) {
                rows.put(table, n);
            }
        }
        return rows;
    }

    private long count(String sql, UUID tenant) {
        return jdbc.sql(sql).param("t", tenant).query(Long.class).single();
    }

    /** Waits until the workspace's webhooks have stopped arriving for a second and every one is processed. */
    private void awaitSettled(UUID tenant) {
        long[] last = {-1};
        Eventually.until(() -> {
            long now = count("select count(*) * 1000000 + count(*) filter (where processed_at is null) from webhook_events where tenant_id = :t", tenant);
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
        DomainEvents.awaitHandled(jdbc);
    }
}
