package hexa.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.identity.Fixtures;
import hexa.platform.config.HexaProperties;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Retention, clock-shifted: what each period says has expired goes, and nothing else; a held contact's data stays; the
 * dry run counts exactly what the run then removes; files go from disk with their messages.
 */
class RetentionPurgeTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RetentionPurges purges;

    @Autowired
    RetentionSettings settings;

    @Autowired
    LegalHolds holds;

    @Autowired
    PurgeRuns runs;

    @Autowired
    AuditTrail audit;

    @Autowired
    HexaProperties properties;

    @Autowired
    hexa.sandbox.SandboxClock sandboxClock;

    private Duration sandboxOffset;

    @org.junit.jupiter.api.BeforeEach
    void rememberTheSandboxTime() {
        sandboxOffset = sandboxClock.offset();
    }

    @AfterEach
    void realTimeAgain() {
        clock.reset();
        sandboxClock.advance(sandboxOffset.minus(sandboxClock.offset()));
    }

    @Test
    void messages_older_than_the_period_go_with_their_files_and_empty_conversations_and_a_held_contact_keeps_everything() throws Exception {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Retention Shop");
        UUID tenant = shop.id();

        daysAgo(91);
        UUID oldConversation = shop.customer().writes("919810000101", "An old question");
        String mediaId = shop.customer().uploads("919810000101", photo(), "image/jpeg", "old.jpg");
        shop.customer().stored(shop.customer().sendsMessage("919810000101",
                "{\"type\":\"image\",\"image\":{\"id\":\"" + mediaId + "\",\"caption\":\"old photo\"}}"));
        UUID photoMessage = jdbc.sql("select id from messages where tenant_id = :t and type = 'image'").param("t", tenant).query(UUID.class).single();
        String blobKey = Eventually.present(() -> jdbc.sql("select blob_key from media_files where tenant_id = :t and message_id = :m and state = 'STORED'")
                .param("t", tenant).param("m", photoMessage).query(String.class).optional(), "the photo to be stored");
        Path onDisk = properties.dataDir().toAbsolutePath().normalize().resolve("media").resolve(blobKey);
        assertThat(onDisk).exists();
        UUID heldConversation = shop.customer().writes("919810000103", "Keep this, we are in a dispute");
        UUID mixedConversation = shop.customer().writes("919810000104", "Hello three months ago");

        daysAgo(89);
        UUID recentConversation = shop.customer().writes("919810000102", "A question 89 days ago");
        daysAgo(5);
        shop.customer().writes("919810000104", "Hello again this week");
        realTimeAgain();

        assertThat(createdAt(tenant, "An old question")).isBefore(Instant.now().minus(Duration.ofDays(90)));
        UUID heldContact = contactOf(tenant, heldConversation);
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            holds.hold(heldContact, "Held", "A dispute");
        }

        Map<String, Long> dry;
        Map<String, Long> removed;
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            dry = purges.dryRun().removed();
            assertThat(bodies(tenant)).as("a dry run removes nothing").contains("An old question", "old photo");
            removed = purges.runByHand().removed();
        }

        assertThat(bodies(tenant)).containsExactlyInAnyOrder("Keep this, we are in a dispute", "A question 89 days ago", "Hello again this week");
        assertThat(removed).containsEntry("messages", 3L).containsEntry("media_files", 1L).containsEntry("conversations", 1L);
        assertThat(removed).as("the dry run counted what the run removed").isEqualTo(dry);
        assertThat(onDisk).as("the file goes with its message").doesNotExist();
        assertThat(conversationExists(tenant, oldConversation)).isFalse();
        assertThat(conversationExists(tenant, heldConversation)).isTrue();
        assertThat(conversationExists(tenant, mixedConversation)).as("a conversation with a recent message stays").isTrue();
        assertThat(conversationExists(tenant, recentConversation)).isTrue();
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t").param("t", tenant).query(Long.class).single())
                .as("contacts are kept unless the workspace says otherwise").isEqualTo(4L);

        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            assertThat(purges.dryRun().removed()).as("nothing is left to remove").allSatisfy((table, n) -> assertThat(n).as(table).isZero());
        }
    }

    @Test
    void keep_keeps_messages_and_contacts_without_activity_for_the_period_go_unless_held() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Contact Retention");
        UUID tenant = shop.id();
        daysAgo(400);
        UUID gone = contactOf(tenant, shop.customer().writes("919810000201", "Long ago"));
        UUID held = contactOf(tenant, shop.customer().writes("919810000202", "Long ago, held"));
        daysAgo(50);
        UUID active = contactOf(tenant, shop.customer().writes("919810000203", "Fifty days ago"));
        realTimeAgain();

        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            settings.save("keep", "60", "180");
            holds.hold(held, "Held", "Court order");
            Map<String, Long> dry = purges.dryRun().removed();
            Map<String, Long> removed = purges.runByHand().removed();
            assertThat(removed).containsEntry("contacts", 1L).doesNotContainKey("messages").isEqualTo(dry);
        }
        assertThat(jdbc.sql("select id from contacts where tenant_id = :t").param("t", tenant).query(UUID.class).list())
                .containsExactlyInAnyOrder(held, active).doesNotContain(gone);
        assertThat(bodies(tenant)).as("the deleted contact's conversation went with it; 'keep' kept the others' messages")
                .containsExactlyInAnyOrder("Long ago, held", "Fifty days ago");
    }

    @Test
    void webhook_bodies_go_7_days_after_processing_and_unprocessed_ones_stay() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Webhook Retention");
        UUID tenant = shop.id();
        daysAgo(8);
        shop.customer().writes("919810000301", "Eight days ago");
        daysAgo(6);
        shop.customer().writes("919810000301", "Six days ago");
        realTimeAgain();
        UUID connection = jdbc.sql("select connection_id from webhook_events where tenant_id = :t limit 1").param("t", tenant).query(UUID.class).single();
        UUID unprocessed = UUID.randomUUID();
        jdbc.sql("""
                insert into webhook_events (tenant_id, id, connection_id, received_at, body, next_attempt_at)
                values (:t, :id, :c, now() - interval '30 days', '{}', now() + interval '1 day')
                """).param("t", tenant).param("id", unprocessed).param("c", connection).update();
        assertThat(webhookBodies(tenant)).isEqualTo(3L);

        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            assertThat(purges.dryRun().removed()).containsEntry("webhook_events", 1L);
            assertThat(purges.runByHand().removed()).containsEntry("webhook_events", 1L);
        }
        assertThat(webhookBodies(tenant)).isEqualTo(2L);
        assertThat(jdbc.sql("select count(*) from webhook_events where tenant_id = :t and id = :id").param("t", tenant).param("id", unprocessed)
                .query(Long.class).single()).isEqualTo(1L);
        assertThat(bodies(tenant)).as("messages are not webhook bodies").contains("Eight days ago", "Six days ago");
    }

    @Test
    void audit_entries_go_after_the_log_period_and_the_table_still_refuses_to_lose_a_recent_one() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Audit Retention");
        try (TenantContext.Scope ignored = fixtures.actAsOwner(workspace)) {
            daysAgo(181);
            audit.record(AuditEntry.of("test.old").target("contact", UUID.randomUUID(), "Old"));
            daysAgo(179);
            audit.record(AuditEntry.of("test.recent").target("contact", UUID.randomUUID(), "Recent"));
            realTimeAgain();
            Map<String, Long> dry = purges.dryRun().removed();
            Map<String, Long> removed = purges.runByHand().removed();
            assertThat(removed).containsEntry("audit_events", 1L).isEqualTo(dry);
        }
        assertThat(actions(workspace.id())).contains("test.recent").doesNotContain("test.old");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_events where tenant_id = :t and action = 'test.recent'").param("t", workspace.id()).update())
                .rootCause().hasMessageContaining("audit events are kept for 180 days");
        assertThat(actions(workspace.id())).contains("test.recent", "privacy.purge_run_by_hand");
    }

    @Test
    void an_upload_goes_once_the_messages_that_sent_it_have_expired_and_a_fresh_one_stays() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Upload Retention");
        UUID tenant = shop.id();
        hexa.support.ApiClient agent = api(fixtures.apiToken(shop.workspace(), hexa.platform.access.Role.ADMIN));
        daysAgo(95);
        shop.customer().writes("919810000601", "Send me the catalogue");
        UUID oldUpload = upload(agent);
        hexa.support.Response queued = agent.send("POST", "/api/v1/messages",
                "{\"to\": \"919810000601\", \"type\": \"image\", \"image\": {\"id\": \"" + oldUpload + "\"}}");
        assertThat(queued.status()).as(queued.text()).isEqualTo(202);
        // The sandbox reports sent, delivered and read (its defaults): all three are in before anything is counted.
        Eventually.until(() -> jdbc.sql("""
                select count(*) from messages m join message_status_events s on s.tenant_id = m.tenant_id and s.wamid = m.wamid
                 where m.tenant_id = :t and m.type = 'image' and m.status = 'READ'
                """).param("t", tenant).query(Long.class).single() == 3, "the photo to be sent, delivered and read");
        clock.reset();
        UUID freshOld = upload(agent);
        Path oldBlob = blobOfUpload(tenant, oldUpload);
        assertThat(oldBlob).exists();

        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            Map<String, Long> dry = purges.dryRun().removed();
            Map<String, Long> removed = purges.runByHand().removed();
            assertThat(removed).containsEntry("media_uploads", 1L).containsEntry("media_files", 1L)
                    .containsEntry("message_status_events", 3L).isEqualTo(dry);
        }
        assertThat(jdbc.sql("select count(*) from message_status_events where tenant_id = :t").param("t", tenant).query(Long.class).single())
                .as("the photo's statuses went with it").isZero();
        assertThat(jdbc.sql("select id from media_uploads where tenant_id = :t").param("t", tenant).query(UUID.class).list())
                .containsExactly(freshOld);
        assertThat(oldBlob).as("the upload's file leaves the disk").doesNotExist();
    }

    private UUID upload(hexa.support.ApiClient agent) {
        hexa.support.Response uploaded = agent.upload("/api/v1/media", "file", "catalogue.jpg", "image/jpeg", photo());
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
        return UUID.fromString(hexa.support.ApiClient.json(uploaded).get("id").asString());
    }

    private Path blobOfUpload(UUID tenant, UUID upload) {
        String key = jdbc.sql("select blob_key from media_uploads where tenant_id = :t and id = :id").param("t", tenant).param("id", upload)
                .query(String.class).single();
        return properties.dataDir().toAbsolutePath().normalize().resolve("media").resolve(key);
    }

    @Test
    void the_daily_run_of_a_workspace_happens_once_a_day_whichever_node_starts_it() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Daily Purge");
        daysAgo(100);
        shop.customer().writes("919810000501", "A hundred days ago");
        clock.reset();

        assertThat(purges.runDaily(java.util.List.of(shop.id()))).isEqualTo(1);
        assertThat(purges.runDaily(java.util.List.of(shop.id()))).as("another node, the same day").isZero();
        assertThat(bodies(shop.id())).isEmpty();
        assertThat(jdbc.sql("select count(*) from privacy_purge_runs where tenant_id = :t and day is not null and not dry_run and finished_at is not null")
                .param("t", shop.id()).query(Long.class).single()).isEqualTo(1L);

        clock.advance(Duration.ofDays(1));
        assertThat(purges.runDaily(java.util.List.of(shop.id()))).as("the next day").isEqualTo(1);
    }

    @Test
    void periods_are_validated_and_a_bad_one_changes_nothing() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Retention Settings");
        try (TenantContext.Scope ignored = fixtures.actAsOwner(workspace)) {
            assertThat(settings.periods(workspace.id())).isEqualTo(RetentionSettings.Periods.DEFAULT);
            assertThatThrownBy(() -> settings.save("29", "keep", "180")).isInstanceOf(UserError.class)
                    .extracting(e -> ((UserError) e).messageKey()).isEqualTo("privacy.retention.messages-invalid");
            assertThatThrownBy(() -> settings.save("90", "ten", "180")).isInstanceOf(UserError.class);
            assertThatThrownBy(() -> settings.save("90", "keep", "179")).isInstanceOf(UserError.class);
            assertThatThrownBy(() -> settings.save("3651", "keep", "180")).isInstanceOf(UserError.class);
            assertThat(settings.periods(workspace.id())).isEqualTo(RetentionSettings.Periods.DEFAULT);

            settings.save("keep", " 365 ", "400");
            assertThat(settings.periods(workspace.id())).isEqualTo(new RetentionSettings.Periods(null, 365, 400, 7));
        }
        assertThat(jdbc.sql("select details::text from audit_events where tenant_id = :t and action = 'privacy.retention_changed'")
                .param("t", workspace.id()).query(String.class).single()).contains("\"messageDays\": 90", "\"messageDays\": \"keep\"", "365");
    }

    /** The app and the sandbox (Meta's timestamps) both live {@code days} ago. */
    @Test
    void a_purge_by_hand_that_outlasts_the_page_goes_on_in_the_background_and_shows_as_running_until_done() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Background Purge");
        UUID tenant = shop.id();
        daysAgo(100);
        shop.customer().writes("919810000601", "Expired long ago");
        realTimeAgain();

        PurgeRun answered;
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            answered = purges.startByHand(Duration.ZERO);
        }
        // Answered without waiting: unfinished (and shown as running), or already done when the machine was that quick.
        if (answered.finishedAt() == null) {
            assertThat(purges.running(tenant)).map(PurgeRun::id).contains(answered.id());
        }
        Eventually.until(() -> purges.running(tenant).isEmpty(), "the purge to finish in the background");
        PurgeRun done = runs.find(tenant, answered.id()).orElseThrow();
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.removed()).containsEntry("messages", 1L);
        assertThat(bodies(tenant)).doesNotContain("Expired long ago");
        Eventually.until(() -> jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'privacy.purge_run_by_hand'")
                .param("t", tenant).query(Long.class).single() == 1L, "the run by hand to be audited, by its member, from the background");
        assertThat(jdbc.sql("select actor_name from audit_events where tenant_id = :t and action = 'privacy.purge_run_by_hand'")
                .param("t", tenant).query(String.class).single()).isNotBlank().isNotEqualTo("system");
    }

    private void daysAgo(int days) {
        clock.reset();
        clock.advance(Duration.ofDays(-days));
        sandboxClock.advance(sandboxOffset.minus(Duration.ofDays(days)).minus(sandboxClock.offset()));
    }

    private static byte[] photo() {
        byte[] bytes = new byte[4_000];
        new Random(7).nextBytes(bytes);
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xd8;
        bytes[2] = (byte) 0xff;
        bytes[3] = (byte) 0xe0;
        return bytes;
    }

    private java.util.List<String> bodies(UUID tenant) {
        return jdbc.sql("select body from messages where tenant_id = :t and body is not null").param("t", tenant).query(String.class).list();
    }

    private java.util.List<String> actions(UUID tenant) {
        return jdbc.sql("select action from audit_events where tenant_id = :t").param("t", tenant).query(String.class).list();
    }

    private Instant createdAt(UUID tenant, String body) {
        return jdbc.sql("select created_at from messages where tenant_id = :t and body = :b").param("t", tenant).param("b", body)
                .query(java.time.OffsetDateTime.class).single().toInstant();
    }

    private UUID contactOf(UUID tenant, UUID conversation) {
        return jdbc.sql("select contact_id from conversations where tenant_id = :t and id = :c").param("t", tenant).param("c", conversation)
                .query(UUID.class).single();
    }

    private boolean conversationExists(UUID tenant, UUID conversation) {
        return jdbc.sql("select exists (select 1 from conversations where tenant_id = :t and id = :c)").param("t", tenant).param("c", conversation)
                .query(Boolean.class).single();
    }

    private long webhookBodies(UUID tenant) {
        return jdbc.sql("select count(*) from webhook_events where tenant_id = :t").param("t", tenant).query(Long.class).single();
    }
}
