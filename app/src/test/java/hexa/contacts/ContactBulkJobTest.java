package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.Response;
import hexa.support.TunedIntegrationTest;
import hexa.support.WebClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Bulk actions as background jobs, ten contacts per chunk (on the tuned server): the progress shows while a job runs (held up by a contact
 * another transaction has locked), the contacts are the ones fixed when it started, a job whose node stopped is taken
 * over and finished without doing anything twice, and another workspace's jobs are not found.
 */
class ContactBulkJobTest extends TunedIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    BulkRunner runner;

    @Autowired
    ContactBulk bulk;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate transaction;

    @Test
    void a_job_over_a_filter_shows_its_progress_while_it_runs_and_acts_on_the_contacts_fixed_when_it_started() throws Exception {
        var workspace = fixtures.workspace("Bulk Progress Co");
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        for (int i = 0; i < 30; i++) {
            rows.contact("Lead " + i).tags("lead").save();
        }
        rows.contact("Not a lead").save();
        List<UUID> leads = ids(workspace, "lead");
        ApiClient api = api(fixtures.apiToken(workspace, Role.ADMIN));
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        String location;
        try (Connection editing = dataSource.getConnection()) {
            // Someone holds the 16th lead (in the second chunk) while the job runs: the job waits there after its first chunk.
            lock(editing, workspace.id(), leads.get(15));
            Response started = api.send("POST", "/api/v1/contacts/bulk", "{\"action\":\"tag\",\"tag\":\"newsletter\",\"filter\":\"tag=lead\",\"expectedCount\":30}");
            assertThat(started.status()).as(started.text()).isEqualTo(202);
            location = started.header("Location");
            JsonNode job = ApiClient.json(started);
            assertThat(job.get("matched").asLong()).isEqualTo(30);
            assertThat(job.get("target").get("filter").asString()).isEqualTo("tag=lead");
            String id = job.get("id").asString();

            JsonNode running = poll(api, location, j -> j.get("processed").asLong() == 10);
            assertThat(running.get("status").asString()).isEqualTo("running");
            assertThat(running.get("progress").asInt()).isEqualTo(33);
            assertThat(running.get("changed").asLong()).isEqualTo(10);
            assertThat(running.get("outcome").isNull()).isTrue();

            // The list, loaded afresh, shows the running job with its bar, polled by htmx.
            String page = owner.get("/contacts").text();
            assertThat(page).contains("data-testid=\"bulk-job\"").contains("data-status=\"running\"").contains("10 of 30 contacts (33 %)")
                    .contains("hx-get=\"/contacts/bulk/" + id + "/progress\"").contains("value=\"33\"");
            Response poll = owner.get("/contacts/bulk/" + id + "/progress", Map.of("HX-Request", "true", "HX-Current-URL", baseUrl() + "/contacts"));
            assertThat(poll.status()).isEqualTo(200);
            assertThat(poll.header("HX-Redirect")).as("still running: the card is swapped, the page stays").isNull();
            assertThat(poll.text()).contains("data-status=\"running\"");

            // Meanwhile a new lead comes in and one not yet reached is deleted.
            UUID late = rows.contact("Late lead").tags("lead").save();
            jdbc.sql("delete from contacts where tenant_id = :t and id = :id").param("t", workspace.id()).param("id", leads.get(25)).update();
            editing.rollback();

            JsonNode done = poll(api, location, j -> j.get("status").asString().equals("done"));
            assertThat(done.get("matched").asLong()).as("the contacts fixed at the start").isEqualTo(30);
            assertThat(done.get("processed").asLong()).isEqualTo(30);
            assertThat(done.get("changed").asLong()).as("the deleted one is skipped").isEqualTo(29);
            assertThat(done.get("progress").asInt()).isEqualTo(100);
            assertThat(done.get("finishedAt").isNull()).isFalse();
            assertThat(tags(workspace, late)).as("not among the contacts the job started with").containsExactly("lead");
            assertThat(jdbc.sql("select count(*) from contact_tags where tenant_id = :t and tag = 'newsletter'").param("t", workspace.id())
                    .query(Integer.class).single()).isEqualTo(29);
            assertThat(jdbc.sql("select count(*) from contact_events where tenant_id = :t and kind = 'tag_added' and details ->> 'tag' = 'newsletter' and details ->> 'bulk' = 'true'")
                    .param("t", workspace.id()).query(Integer.class).single()).as("one timeline row per contact changed").isEqualTo(29);

            // The poll that finds it ended sends the page to the list naming the job, which shows the outcome.
            Response ended = owner.get("/contacts/bulk/" + id + "/progress",
                    Map.of("HX-Request", "true", "HX-Current-URL", baseUrl() + "/contacts?tag=lead&bulk=" + UUID.randomUUID()));
            assertThat(ended.header("HX-Redirect")).isEqualTo("/contacts?tag=lead&bulk=" + id);
            assertThat(owner.get("/contacts/bulk/" + id + "/progress", Map.of("HX-Request", "true", "HX-Current-URL", "https://elsewhere.example/x"))
                    .header("HX-Redirect")).as("only ever back to the list").isEqualTo("/contacts?bulk=" + id);
            String outcome = owner.get(ended.header("HX-Redirect")).text();
            assertThat(outcome).contains("data-status=\"done\"").contains("Tagged 29 contacts with \"newsletter\"").contains("value=\"100\"")
                    .doesNotContain("hx-trigger=\"every 1s\"");
            assertThat(owner.get("/contacts").text()).as("an ended job is shown only where it is named").doesNotContain("data-testid=\"bulk-job\"");
        }
        assertThat(jdbc.sql("select action from audit_events where tenant_id = :t and action like 'contacts.bulk%' order by occurred_at")
                .param("t", workspace.id()).query(String.class).list()).containsExactly("contacts.bulk_started", "contacts.bulk_tagged");
    }

    @Test
    void a_job_over_a_filter_is_asked_for_with_a_count_and_fixes_its_contacts_when_it_starts() {
        var workspace = fixtures.workspace("Bulk Count Co");
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        for (int i = 0; i < 12; i++) {
            rows.contact("Guest " + i).tags("guest").save();
        }
        rows.contact("Staff").save();
        UUID id;
        try (var ignored = fixtures.actAsOwner(workspace)) {
            // What the request does, seen inside its transaction (the runner cannot see the job before it commits).
            id = transaction.execute(status -> {
                BulkJob job = bulk.tag(ContactBulk.Target.matching(ContactFilter.fromQuery("tag=guest")), "welcome", 12L);
                assertThat(job.matched()).as("counted").isEqualTo(12);
                assertThat(job.status()).isEqualTo("queued");
                assertThat(items(workspace, job.id())).as("not listed by the request: a filter may match a million").isZero();
                // A guest who arrives before the job starts is among its contacts.
                rows.contact("Late guest").tags("guest").save();
                return job.id();
            });
        }
        JsonNode done = poll(api(fixtures.apiToken(workspace, Role.ADMIN)), "/api/v1/contacts/bulk/" + id,
                j -> j.get("status").asString().equals("done"));
        assertThat(done.get("matched").asLong()).as("the contacts fixed when the job started").isEqualTo(13);
        assertThat(done.get("changed").asLong()).isEqualTo(13);
        assertThat(jdbc.sql("select count(*) from contact_tags where tenant_id = :t and tag = 'welcome'").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(13);
        assertThat(items(workspace, id)).as("ended jobs keep no list").isZero();
        assertThat(jdbc.sql("select details::text from audit_events where tenant_id = :t and action = 'contacts.bulk_tagged'")
                .param("t", workspace.id()).query(String.class).single()).contains("\"matched\": 13").contains("\"changed\": 13");
    }

    @Test
    void a_job_whose_filter_no_longer_fits_when_it_starts_fails_with_the_reason_and_changes_nothing() {
        var workspace = fixtures.workspace("Bulk Field Co");
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        rows.attribute("city", "City", "text");
        for (int i = 0; i < 3; i++) {
            rows.contact("Puneite " + i).attributes(Map.of("city", "Pune")).save();
        }
        UUID id;
        try (var ignored = fixtures.actAsOwner(workspace)) {
            id = transaction.execute(status -> {
                BulkJob job = bulk.tag(ContactBulk.Target.matching(ContactFilter.fromQuery("attr=city:equals:Pune")), "local", 3L);
                // The field is deleted before the job starts.
                jdbc.sql("delete from contact_attributes where tenant_id = :t and key = 'city'").param("t", workspace.id()).update();
                return job.id();
            });
        }
        JsonNode failed = poll(api(fixtures.apiToken(workspace, Role.ADMIN)), "/api/v1/contacts/bulk/" + id,
                j -> j.get("status").asString().matches("done|failed"));
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("failure").asString()).contains("a custom field it uses was changed or deleted").doesNotContain("{0}");
        assertThat(failed.get("processed").asLong()).isZero();
        assertThat(jdbc.sql("select count(*) from contact_tags where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single())
                .as("nothing changed").isZero();
        assertThat(items(workspace, id)).isZero();
        assertThat(jdbc.sql("select details::text from audit_events where tenant_id = :t and action = 'contacts.bulk_failed'")
                .param("t", workspace.id()).query(String.class).single()).contains("contacts.bulk.failed.filter-changed");
    }

    @Test
    void a_job_taken_over_after_its_node_stopped_goes_on_after_the_last_chunk_without_doing_anything_twice() throws Exception {
        var workspace = fixtures.workspace("Bulk Restart Co");
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        for (int i = 0; i < 35; i++) {
            rows.contact("Old " + i).tags("old").save();
        }
        List<UUID> old = ids(workspace, "old");
        UUID talking = old.get(22);
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/whatsapp/sandbox", Map.of());
        UUID connection = jdbc.sql("select id from whatsapp_connections where tenant_id = :t").param("t", workspace.id()).query(UUID.class).single();
        jdbc.sql("""
                insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at)
                values (:t, gen_random_uuid(), :c, :n, 'RESOLVED', now(), now())
                """).param("t", workspace.id()).param("c", talking).param("n", connection).update();
        ApiClient api = api(fixtures.apiToken(workspace, Role.ADMIN));

        try (Connection editing = dataSource.getConnection()) {
            lock(editing, workspace.id(), old.get(15));
            Response started = api.send("POST", "/api/v1/contacts/bulk", "{\"action\":\"delete\",\"filter\":{\"tags\":[\"old\"]}}");
            assertThat(started.status()).as(started.text()).isEqualTo(202);
            String location = started.header("Location");
            UUID id = UUID.fromString(ApiClient.json(started).get("id").asString());
            poll(api, location, j -> j.get("processed").asLong() == 10);

            // Its node hangs in the second chunk and stops renewing the lease; after a restart another run picks the job up.
            jdbc.sql("update contact_bulk_jobs set lease_until = :past where tenant_id = :t and id = :id")
                    .param("past", java.sql.Timestamp.from(clock.instant().minus(Duration.ofMinutes(1)))).param("t", workspace.id()).param("id", id).update();
            CompletableFuture<Boolean> takeover = CompletableFuture.supplyAsync(runner::runOne);
            Eventually.until(() -> jdbc.sql("select attempts from contact_bulk_jobs where tenant_id = :t and id = :id").param("t", workspace.id())
                    .param("id", id).query(Integer.class).single() == 2, "another run to take the job over");
            Eventually.until(() -> jdbc.sql("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                    .query(Integer.class).single() == 2, "both runs to wait for the locked contact");
            editing.rollback();
            assertThat(takeover.get(30, TimeUnit.SECONDS)).isTrue();

            JsonNode done = ApiClient.json(api.get(location));
            assertThat(done.get("status").asString()).isEqualTo("done");
            assertThat(done.get("matched").asLong()).isEqualTo(35);
            assertThat(done.get("processed").asLong()).as("every chunk counted once").isEqualTo(35);
            assertThat(done.get("changed").asLong()).isEqualTo(34);
            assertThat(done.get("kept").asLong()).isEqualTo(1);
            assertThat(done.get("outcome").asString()).isEqualTo("Deleted 34 contacts. 1 with conversations were kept.");
        }
        // The hung run, let go, finds the job is no longer its own and commits nothing. It held a lock on the contacts
        // table while it waited: once no other session holds one, its transaction has ended.
        Eventually.until(() -> jdbc.sql("select count(*) from pg_locks where locktype = 'relation' and relation = 'contacts'::regclass"
                + " and database = (select oid from pg_database where datname = current_database()) and pid <> pg_backend_pid()").query(Integer.class).single() == 0, "the hung run to end its transaction");
        assertThat(jdbc.sql("select processed || '/' || changed || '/' || kept || '/' || status from contact_bulk_jobs where tenant_id = :t")
                .param("t", workspace.id()).query(String.class).single()).isEqualTo("35/34/1/done");
        assertThat(ids(workspace, "old")).containsExactly(talking);
        assertThat(jdbc.sql("select count(*) from contact_bulk_job_items where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single())
                .isZero();
        List<Map<String, Object>> audit = jdbc.sql("select action, details::text as details from audit_events where tenant_id = :t and action like 'contacts.bulk%' order by occurred_at")
                .param("t", workspace.id()).query().listOfRows();
        assertThat(audit).extracting(r -> r.get("action")).containsExactly("contacts.bulk_started", "contacts.bulk_deleted");
        assertThat(audit.get(1).get("details").toString()).contains("\"changed\": 34").contains("\"kept\": 1").contains("\"filter\": \"tag=old\"");
    }

    @Test
    void jobs_of_another_workspace_are_not_found_and_a_client_may_wait_for_the_outcome() {
        var victim = fixtures.workspace("Bulk Victim Co");
        new ContactRows(jdbc, victim.id()).contact("Secret").tags("vip").save();
        ApiClient victimApi = api(fixtures.apiToken(victim, Role.ADMIN));
        Response waited = victimApi.send("POST", "/api/v1/contacts/bulk", "{\"action\":\"tag\",\"tag\":\"gold\",\"filter\":\"tag=vip\"}",
                Map.of("Prefer", "wait=20"));
        assertThat(waited.status()).as("ended within the wait: 200 with the outcome").isEqualTo(200);
        JsonNode job = ApiClient.json(waited);
        assertThat(job.get("status").asString()).isEqualTo("done");
        assertThat(job.get("changed").asLong()).isEqualTo(1);
        assertThat(job.get("outcome").asString()).isEqualTo("Tagged 1 contacts with \"gold\".");
        assertThat(waited.header("Location")).isEqualTo("/api/v1/contacts/bulk/" + job.get("id").asString());
        String id = job.get("id").asString();

        var attacker = fixtures.workspace("Bulk Attacker Co");
        ApiClient attackerApi = api(fixtures.apiToken(attacker, Role.ADMIN));
        assertThat(attackerApi.get("/api/v1/contacts/bulk/" + id).status()).isEqualTo(404);
        assertThat(attackerApi.get("/api/v1/contacts/bulk/not-an-id").status()).isEqualTo(404);
        WebClient attackerOwner = browser();
        attackerOwner.signIn(attacker.owner().email(), Fixtures.PASSWORD);
        assertThat(attackerOwner.get("/contacts/bulk/" + id + "/progress").status()).isEqualTo(404);
        assertThat(attackerOwner.get("/contacts?bulk=" + id).text()).as("a named job of another workspace is not shown")
                .doesNotContain("data-testid=\"bulk-job\"").doesNotContain("gold");

        WebClient agent = browser();
        agent.signIn(fixtures.member(victim, Role.AGENT).email(), Fixtures.PASSWORD);
        assertThat(agent.get("/contacts/bulk/" + id + "/progress").status()).isEqualTo(403);
        assertThat(agent.get("/contacts?bulk=" + id).text()).doesNotContain("data-testid=\"bulk-job\"");
    }

    private List<UUID> ids(Fixtures.TestWorkspace workspace, String tag) {
        return jdbc.sql("""
                select c.id from contacts c join contact_tags t on t.tenant_id = c.tenant_id and t.contact_id = c.id
                 where c.tenant_id = :t and t.tag = :tag order by c.id
                """).param("t", workspace.id()).param("tag", tag).query(UUID.class).list();
    }

    private int items(Fixtures.TestWorkspace workspace, UUID job) {
        return jdbc.sql("select count(*) from contact_bulk_job_items where tenant_id = :t and job_id = :j").param("t", workspace.id())
                .param("j", job).query(Integer.class).single();
    }

    private List<String> tags(Fixtures.TestWorkspace workspace, UUID contact) {
        return jdbc.sql("select tag from contact_tags where tenant_id = :t and contact_id = :c order by tag")
                .param("t", workspace.id()).param("c", contact).query(String.class).list();
    }

    /** Locks a contact as an edit in progress does, in a transaction left open on {@code connection}. */
    private static void lock(Connection connection, UUID tenant, UUID contact) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement("select id from contacts where tenant_id = ? and id = ? for update")) {
            statement.setObject(1, tenant);
            statement.setObject(2, contact);
            statement.executeQuery().close();
        }
    }

    private static JsonNode poll(ApiClient api, String location, Predicate<JsonNode> until) {
        return Eventually.await(() -> ApiClient.json(api.get(location)), until, "the bulk job at " + location + " to reach the state awaited");
    }
}
