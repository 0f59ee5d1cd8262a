package hexa.contacts;

import hexa.audit.AuditActor;
import hexa.platform.database.LeasedJobs;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The bulk job tables: {@code contact_bulk_jobs} and the contacts each job acts on, {@code contact_bulk_job_items}. */
@Repository
class BulkJobs {

    private final JdbcClient jdbc;

    BulkJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A job as the worker knows it: the job and who started it, with the run it is in ({@code attempts}). */
    record Claimed(UUID tenantId, BulkJob job, int attempts, UUID lastContactId, AuditActor startedBy, boolean contactsFixed) {
    }

    /**
     * A new queued job. {@code matched} is what was counted when it was asked for; with {@code contactsFixed} false the
     * job fixes its list of contacts (and the count) when it starts ({@link #fixContacts}).
     */
    void insert(UUID id, String action, String tag, UUID owner, boolean withConversations, Integer selected, String filter, long matched,
                boolean contactsFixed, AuditActor startedBy, Instant now) {
        jdbc.sql("""
                insert into contact_bulk_jobs (tenant_id, id, action, tag, owner_id, with_conversations, selected, filter, status, matched,
                                               contacts_fixed, started_by_kind, started_by_id, started_by_name, created_at)
                values (:tenant, :id, :action, :tag, :owner, :withConversations, :selected, :filter, 'queued', :matched,
                        :contactsFixed, :kind, :by, :byName, :now)
                """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("action", action).param("tag", tag).param("owner", owner)
                .param("matched", matched).param("contactsFixed", contactsFixed)
                .param("withConversations", withConversations).param("selected", selected).param("filter", filter).param("kind", startedBy.kind().name()).param("by", startedBy.id())
                .param("byName", startedBy.name()).param("now", Sql.ts(now))
                .update();
    }

    /** Fixes the contacts of a job: every contact the condition matches now, written set-based. Answers how many. */
    long snapshot(UUID id, ContactConditions where) {
        long matched = insertItems(id, where);
        jdbc.sql("update contact_bulk_jobs set matched = :matched where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).param("matched", matched).update();
        return matched;
    }

    /**
     * The running job's contacts fixed now, in the caller's transaction: every contact the condition matches, and the
     * count. False when the job is no longer this run's (its lease ran out and another run took it over).
     */
    boolean fixContacts(UUID tenant, UUID id, int attempt, ContactConditions where, Instant leaseUntil) {
        long matched = insertItems(id, where);
        return jdbc.sql("""
                update contact_bulk_jobs set contacts_fixed = true, matched = :matched, lease_until = :lease
                 where tenant_id = :tenant and id = :id and status = 'running' and attempts = :attempt
                """)
                .param("tenant", tenant).param("id", id).param("attempt", attempt).param("matched", matched).param("lease", Sql.ts(leaseUntil))
                .update() == 1;
    }

    /** The job's list of contacts: one row per contact the condition matches, in one {@code insert … select}. */
    private long insertItems(UUID id, ContactConditions where) {
        return jdbc.sql("insert into contact_bulk_job_items (tenant_id, job_id, contact_id) select c.tenant_id, :job, c.id from contacts c where "
                        + where.sql())
                .params(where.with("job", id).params()).update();
    }

    Optional<BulkJob> find(UUID id) {
        return jdbc.sql("select * from contact_bulk_jobs where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(BulkJobs::map).optional();
    }

    /** The workspace's jobs that have not ended, oldest first. */
    List<BulkJob> unfinished() {
        return jdbc.sql("""
                select * from contact_bulk_jobs where tenant_id = :tenant and status in ('queued', 'running') order by created_at, id
                """)
                .param("tenant", TenantContext.tenantId()).query(BulkJobs::map).list();
    }

    /** A queued job, or a running one whose node stopped renewing its lease (a crash, a restart): taken and leased. */
    Optional<Claimed> claimNext(Instant now, Instant leaseUntil, int maxAttempts) {
        return jdbc.sql(LeasedJobs.claimNext("contact_bulk_jobs", "contacts.bulk.failed.attempts"))
                .param("now", Sql.ts(now)).param("lease", Sql.ts(leaseUntil)).param("maxAttempts", maxAttempts)
                .query((rs, n) -> new Claimed(Sql.uuid(rs, "tenant_id"), map(rs, n), rs.getInt("attempts"), Sql.uuid(rs, "last_contact_id"),
                        new AuditActor(AuditActor.Kind.valueOf(rs.getString("started_by_kind")), Sql.uuid(rs, "started_by_id"),
                                rs.getString("started_by_name")), rs.getBoolean("contacts_fixed")))
                .optional();
    }

    /** The next contacts of a job after {@code after} (in id order), at most {@code limit}. */
    List<UUID> next(UUID tenant, UUID job, UUID after, int limit) {
        return jdbc.sql("select contact_id from contact_bulk_job_items where tenant_id = :tenant and job_id = :job"
                        + (after == null ? "" : " and contact_id > :after") + " order by contact_id limit :limit")
                .param("tenant", tenant).param("job", job).param("after", after).param("limit", limit)
                .query(UUID.class).list();
    }

    /**
     * The progress of one chunk, in the chunk's transaction; false when the job is no longer this run's (its lease ran
     * out and another run took it over), which rolls the chunk back.
     */
    boolean progress(UUID tenant, UUID job, int attempt, int processed, long changed, long kept, UUID last, Instant leaseUntil) {
        return jdbc.sql("""
                update contact_bulk_jobs
                   set processed = processed + :processed, changed = changed + :changed, kept = kept + :kept, last_contact_id = :last,
                       lease_until = :lease
                 where tenant_id = :tenant and id = :id and status = 'running' and attempts = :attempt
                """)
                .param("tenant", tenant).param("id", job).param("processed", processed).param("changed", changed).param("kept", kept)
                .param("last", last).param("lease", Sql.ts(leaseUntil)).param("attempt", attempt)
                .update() == 1;
    }

    /** Ends a job, done or failed, and forgets its contacts; false when another run holds it now. */
    boolean finish(UUID tenant, UUID job, int attempt, String status, String failure, Instant now) {
        int ended = jdbc.sql("""
                update contact_bulk_jobs set status = :status, failure = :failure, finished_at = :now, lease_until = null
                 where tenant_id = :tenant and id = :id and status = 'running' and attempts = :attempt
                """)
                .param("tenant", tenant).param("id", job).param("attempt", attempt).param("status", status).param("failure", failure)
                .param("now", Sql.ts(now))
                .update();
        if (ended == 1) {
            jdbc.sql("delete from contact_bulk_job_items where tenant_id = :tenant and job_id = :id").param("tenant", tenant).param("id", job).update();
        }
        return ended == 1;
    }

    /** Forgets the contacts of a job that ran out of attempts (the claim failed it). */
    void forgetItems(UUID tenant, UUID job) {
        jdbc.sql("delete from contact_bulk_job_items where tenant_id = :tenant and job_id = :id").param("tenant", tenant).param("id", job).update();
    }

    private static BulkJob map(ResultSet rs, int row) throws SQLException {
        Integer selected = rs.getObject("selected") == null ? null : rs.getInt("selected");
        return new BulkJob(Sql.uuid(rs, "id"), rs.getString("action"), rs.getString("tag"), Sql.uuid(rs, "owner_id"),
                selected, rs.getString("filter"), rs.getString("status"), rs.getLong("matched"), rs.getLong("processed"),
                rs.getLong("changed"), rs.getLong("kept"), rs.getString("failure"), rs.getString("started_by_name"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "started_at"), Sql.instant(rs, "finished_at"), rs.getBoolean("with_conversations"));
    }
}
