package hexa.contacts;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.QueueWorker;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs bulk jobs in the background, one at a time per node, durably: a job is claimed with {@code SKIP LOCKED} and
 * leased; its contacts (fixed when it was started) are taken in id order a chunk at a time, and each chunk is acted
 * on with set-based statements in its own transaction together with the job's progress. A node that stops mid-way
 * leaves the job running with a lapsing lease; whichever node claims it next goes on after the last chunk committed,
 * so nothing is done twice (a run that lost its lease cannot commit a chunk either).
 */
@Component
class BulkRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BulkRunner.class);
    private static final int CHUNK_TRIES = 3;

    private final BulkJobs jobs;
    private final BulkSettings settings;
    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final ConversationsOfContacts conversations;
    private final ContactSearch search;
    private final QueueWorker worker = new QueueWorker("contact-bulk", this::runOne);

    private final ApplicationEventPublisher publisher;

    private final ContactEvents timeline;

    BulkRunner(BulkJobs jobs, BulkSettings settings, JdbcClient jdbc, AuditTrail audit, TransactionTemplate transaction, Clock clock,
               ConversationsOfContacts conversations, ContactSearch search, ContactEvents timeline, ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.conversations = conversations;
        this.timeline = timeline;
        this.search = search;
        this.jobs = jobs;
        this.settings = settings;
        this.jdbc = jdbc;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
    }

    void wake() {
        worker.wake();
    }

    @Scheduled(fixedDelayString = "${hexa.contacts.bulk.sweep:1s}", initialDelayString = "${hexa.contacts.bulk.sweep:1s}")
    void sweep() {
        wake();
    }

    @Override
    public void destroy() {
        worker.close();
    }

    /** Runs one due job to its end; false when none was due. */
    boolean runOne() {
        Optional<BulkJobs.Claimed> claimed;
        try {
            Instant now = clock.instant();
            claimed = transaction.execute(s -> jobs.claimNext(now, now.plus(settings.lease()), settings.maxAttempts()));
        } catch (RuntimeException e) {
            log.error("Could not look for bulk actions on contacts to run", e);
            return false;
        }
        if (claimed == null || claimed.isEmpty()) {
            return false;
        }
        BulkJobs.Claimed job = claimed.get();
        UUID tenant = job.tenantId();
        if (job.job().status().equals("failed")) {
            // The claim found it out of attempts.
            transaction.executeWithoutResult(s -> {
                jobs.forgetItems(tenant, job.job().id());
                audit.record(tenant, job.startedBy(), entry("contacts.bulk_failed", job.job(), Map.of("reason", job.job().failure())));
            });
            return true;
        }
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant, "Contact bulk action"))) {
            run(job);
        } catch (TakenOver e) {
            log.warn(e.getMessage());
        } catch (RuntimeException e) {
            log.error("Bulk action {} on contacts failed", job.job().id(), e);
            String reason = e instanceof UserError userError ? userError.messageKey() : "contacts.bulk.failed.unexpected";
            try {
                transaction.executeWithoutResult(s -> {
                    if (jobs.finish(tenant, job.job().id(), job.attempts(), "failed", reason, clock.instant())) {
                        audit.record(tenant, job.startedBy(), entry("contacts.bulk_failed", job.job(), Map.of("reason", reason)));
                    }
                });
            } catch (RuntimeException again) {
                log.error("Could not mark bulk action {} as failed; it is taken up again when its lease ends", job.job().id(), again);
            }
        }
        return true;
    }

    /** Another run holds the job now (this one's lease ran out while it worked): leave it to that one. */
    private static final class TakenOver extends RuntimeException {
        TakenOver(UUID id) {
            super("Bulk action " + id + " on contacts was taken over by another run");
        }
    }

    private void run(BulkJobs.Claimed claimed) {
        UUID tenant = claimed.tenantId();
        BulkJob job = claimed.job();
        UUID actor = claimed.startedBy().kind() == AuditActor.Kind.USER ? claimed.startedBy().id() : null;
        if (!claimed.contactsFixed()) {
            // A filter's contacts, counted when the job was asked for: fixed now, before the first chunk.
            ContactConditions where;
            try {
                where = search.conditions(ContactFilter.fromQuery(job.filter()));
            } catch (UserError e) {
                // A custom field the filter uses was changed or deleted meanwhile: nothing has been done; say so.
                throw UserError.invalid("contacts.bulk.failed.filter-changed");
            }
            transaction.executeWithoutResult(s -> {
                if (!jobs.fixContacts(tenant, job.id(), claimed.attempts(), where, clock.instant().plus(settings.lease()))) {
                    throw new TakenOver(job.id());
                }
            });
        }
        UUID after = claimed.lastContactId();
        while (true) {
            List<UUID> chunk = jobs.next(tenant, job.id(), after, settings.chunk());
            if (chunk.isEmpty()) {
                break;
            }
            UUID last = chunk.get(chunk.size() - 1);
            for (int attempt = 1; ; attempt++) {
                try {
                    transaction.executeWithoutResult(s -> {
                        Instant now = clock.instant();
                        Effect effect = apply(tenant, job, chunk, actor, now);
                        if (!jobs.progress(tenant, job.id(), claimed.attempts(), chunk.size(), effect.changed, effect.kept, last,
                                now.plus(settings.lease()))) {
                            throw new TakenOver(job.id());
                        }
                    });
                    break;
                } catch (PessimisticLockingFailureException e) {
                    // A deadlock with someone editing the same contacts: the chunk was rolled back whole; try it again.
                    if (attempt == CHUNK_TRIES) {
                        throw e;
                    }
                    log.info("Bulk action {} on contacts met a lock conflict; trying the chunk again", job.id());
                }
            }
            after = last;
        }
        transaction.executeWithoutResult(s -> {
            if (!jobs.finish(tenant, job.id(), claimed.attempts(), "done", null, clock.instant())) {
                throw new TakenOver(job.id());
            }
            BulkJob done = jobs.find(job.id()).orElseThrow();
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("matched", done.matched());
            details.put("changed", done.changed());
            if (done.kept() > 0) {
                details.put("kept", done.kept());
            }
            audit.record(tenant, claimed.startedBy(), entry(ContactBulk.finishedAction(job.action()), done, details));
        });
        log.info("Bulk action {} on contacts done: {} of {}", job.id(), job.action(), job.matched());
    }

    /** The audit entry of a job: the contacts it acts on (a selection's size or the filter) and what it does. */
    static AuditEntry entry(String action, BulkJob job, Map<String, Object> more) {
        Map<String, Object> details = new java.util.LinkedHashMap<>(ContactBulk.described(job));
        details.putAll(more);
        return AuditEntry.of(action).target("contacts", null, null).details(details);
    }

    private record Effect(long changed, long kept) {
    }

    /** Acts on one chunk of contacts (those deleted meanwhile are skipped), with a timeline row per contact changed. */
    private Effect apply(UUID tenant, BulkJob job, List<UUID> chunk, UUID actor, Instant now) {
        UUID[] ids = chunk.toArray(new UUID[0]);
        switch (job.action()) {
            case "tag": {
                List<UUID> added = jdbc.sql("""
                        insert into contact_tags (tenant_id, contact_id, tag, created_at)
                        select c.tenant_id, c.id, :tag, :now from contacts c where c.tenant_id = :tenant and c.id = any(:ids)
                        on conflict do nothing
                        returning contact_id
                        """).param("tenant", tenant).param("ids", ids).param("tag", job.tag()).param("now", Sql.ts(now))
                        .query(UUID.class).list();
                timeline.recordEach(tenant, actor, now, "tag_added", each(added, contact -> bulk("tag", job.tag())));
                return new Effect(published(added, changed -> new ContactsTagged(tenant, changed, job.tag())), 0);
            }
            case "untag": {
                Map<UUID, String> removed = new LinkedHashMap<>();
                jdbc.sql("""
                        delete from contact_tags t
                         where t.tenant_id = :tenant and t.contact_id = any(:ids) and lower(t.tag) = lower(:tag)
                        returning t.contact_id, t.tag
                        """).param("tenant", tenant).param("ids", ids).param("tag", job.tag())
                        .query((rs, n) -> removed.putIfAbsent(Sql.uuid(rs, "contact_id"), rs.getString("tag"))).list();
                timeline.recordEach(tenant, actor, now, "tag_removed", each(removed.keySet(), contact -> bulk("tag", removed.get(contact))));
                return new Effect(published(List.copyOf(removed.keySet()), changed -> new ContactsUntagged(tenant, changed, job.tag())), 0);
            }
            case "owner": {
                Map<UUID, UUID> previous = new LinkedHashMap<>();
                jdbc.sql("""
                        update contacts c set owner_id = cast(:owner as uuid), updated_at = :now
                          from contacts o
                         where c.tenant_id = :tenant and c.id = any(:ids) and o.tenant_id = c.tenant_id and o.id = c.id
                           and c.owner_id is distinct from cast(:owner as uuid)
                        returning c.id, o.owner_id as previous
                        """).param("tenant", tenant).param("ids", ids).param("owner", job.ownerId()).param("now", Sql.ts(now))
                        .query((rs, n) -> previous.put(Sql.uuid(rs, "id"), Sql.uuid(rs, "previous"))).list();
                timeline.recordEach(tenant, actor, now, "owner_changed", each(previous.keySet(), contact -> {
                    Map<String, Object> details = ContactEvents.change("owner", previous.get(contact), job.ownerId());
                    details.put("bulk", true);
                    return details;
                }));
                return new Effect(published(List.copyOf(previous.keySet()),
                        changed -> new ContactsChanged(tenant, changed, java.util.Set.of(ContactChanges.OWNER))), 0);
            }
            case "delete":
                if (job.withConversations()) {
                    // Their conversations, messages and files go first, in this chunk's transaction, as for one contact.
                    conversations.deleteAllOf(tenant, chunk);
                    return new Effect(published(jdbc.sql("delete from contacts c where c.tenant_id = :tenant and c.id = any(:ids) returning c.id")
                            .param("tenant", tenant).param("ids", ids).query(UUID.class).list(), gone -> new ContactsDeleted(tenant, gone)), 0);
                }
                // Both counts read the same snapshot: what was deleted, and who was kept for their conversations.
                return jdbc.sql("""
                        with gone as (
                            delete from contacts c where c.tenant_id = :tenant and c.id = any(:ids) and not %1$s
                            returning c.id)
                        select (select array_agg(id) from gone) as gone,
                               (select count(*) from contacts c where c.tenant_id = :tenant and c.id = any(:ids) and %1$s) as kept
                        """.formatted(conversations.hasConversationCondition()))
                        .param("tenant", tenant).param("ids", ids)
                        .query((rs, n) -> {
                            java.sql.Array gone = rs.getArray("gone");
                            List<UUID> deleted = gone == null ? List.of() : List.of((UUID[]) gone.getArray());
                            return new Effect(published(deleted, list -> new ContactsDeleted(tenant, list)), rs.getLong("kept"));
                        }).single();
            default:
                throw new IllegalStateException("Unknown bulk action " + job.action());
        }
    }

    /** Each contact's timeline details, in the order given. */
    private static Map<UUID, Map<String, Object>> each(java.util.Collection<UUID> contacts,
                                                       java.util.function.Function<UUID, Map<String, Object>> details) {
        Map<UUID, Map<String, Object>> all = new LinkedHashMap<>();
        contacts.forEach(contact -> all.put(contact, details.apply(contact)));
        return all;
    }

    /** A bulk tag line: the tag, marked as done in bulk. */
    private static Map<String, Object> bulk(String field, Object value) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(field, value);
        details.put("bulk", true);
        return details;
    }

    /** The contacts a chunk changed, told to whoever listens (one event per chunk); answers how many. */
    private long published(List<UUID> changed, java.util.function.Function<List<UUID>, Object> event) {
        if (!changed.isEmpty()) {
            publisher.publishEvent(event.apply(changed));
        }
        return changed.size();
    }
}
