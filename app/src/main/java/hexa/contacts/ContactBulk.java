package hexa.contacts;

import hexa.audit.AuditActor;
import hexa.audit.AuditTrail;
import hexa.identity.MemberService;
import hexa.platform.Ids;
import hexa.platform.database.AfterCommit;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tag, untag, give an owner to or delete many contacts at once: the ones picked on the list, or everything a filter
 * matches. Starting an action fixes its contacts (their ids, written set-based beside the job) and queues a
 * {@link BulkJob}; {@link BulkRunner} acts on them in the background a chunk at a time, so a hundred thousand contacts
 * hold no lock for long and the person sees the progress. One audit entry when it starts and one when it ends, with
 * the count and the filter; tag and owner changes leave a {@code contact_events} row on each contact changed.
 */
@Service
class ContactBulk {

    public static final int MAX_SELECTION = 10_000;

    /** The contacts to act on: a selection of ids, or every contact a filter matches. */
    public record Target(List<UUID> ids, ContactFilter filter) {
        public Target {
            if ((ids == null) == (filter == null)) {
                throw new IllegalArgumentException("A bulk target is a selection or a filter");
            }
            if (ids != null && ids.isEmpty()) {
                throw UserError.invalid("contacts.bulk.nothing-selected");
            }
            if (ids != null && ids.size() > MAX_SELECTION) {
                throw UserError.invalid("contacts.bulk.selection-too-large", MAX_SELECTION);
            }
            ids = ids == null ? null : List.copyOf(ids);
        }

        public static Target selection(List<UUID> ids) {
            return new Target(ids, null);
        }

        public static Target matching(ContactFilter filter) {
            return new Target(null, filter);
        }

        public boolean selection() {
            return ids != null;
        }

        /** As the audit trail describes it: the selection's size, or the filter. */
        Map<String, Object> described() {
            Map<String, Object> details = new LinkedHashMap<>();
            if (selection()) {
                details.put("selected", ids.size());
            } else {
                details.put("filter", filter.toQuery());
            }
            return details;
        }

    }

    /** What a confirmation shows before the action: how many contacts, and how many of them have conversations. */
    public record Preview(long matched, long withConversations) {
    }

    private final JdbcClient jdbc;
    private final ContactSearch search;
    private final BulkJobs jobs;
    private final BulkRunner runner;
    private final AuditTrail audit;
    private final Clock clock;
    private final ConversationsOfContacts conversations;

    private final MemberService members;

    ContactBulk(JdbcClient jdbc, ContactSearch search, BulkJobs jobs, BulkRunner runner, AuditTrail audit, Clock clock,
                ConversationsOfContacts conversations, MemberService members) {
        this.jdbc = jdbc;
        this.members = members;
        this.conversations = conversations;
        this.search = search;
        this.jobs = jobs;
        this.runner = runner;
        this.audit = audit;
        this.clock = clock;
    }

    public Preview preview(Target target) {
        ContactConditions where = search.conditions(target);
        return jdbc.sql("select count(*) as matched, count(*) filter (where " + conversations.hasConversationCondition()
                        + ") as talking from contacts c where " + where.sql())
                .params(where.params())
                .query((rs, n) -> new Preview(rs.getLong("matched"), rs.getLong("talking"))).single();
    }

    /**
     * Starts adding a tag (in the spelling the workspace already uses for it, in any case). With {@code expected}, the
     * action is refused (nothing is started) unless the target holds exactly that many contacts now.
     */
    @Transactional
    public BulkJob tag(Target target, String tag, Long expected) {
        return start("tag", spelling(tag), null, false, target, expected);
    }

    /** Starts removing a tag, in whatever case each contact has it. */
    @Transactional
    public BulkJob untag(Target target, String tag, Long expected) {
        return start("untag", spelling(tag), null, false, target, expected);
    }

    /** Starts giving the contacts an owner (an active member), or none when {@code owner} is null. */
    @Transactional
    public BulkJob setOwner(Target target, UUID owner, Long expected) {
        if (owner != null) {
            boolean member = members.members().stream().anyMatch(m -> m.userId().equals(owner) && m.active());
            if (!member) {
                throw UserError.invalid("contacts.bulk.owner-not-member");
            }
        }
        return start("owner", null, owner, false, target, expected);
    }

    /**
     * Starts deleting the contacts with their tags, notes, attribute values, consent history and timeline. Contacts who
     * have conversations are kept (and counted) unless {@code withConversations} is asked for: then their conversations,
     * messages and files are deleted with them, as deleting one contact from their page does.
     */
    @Transactional
    public BulkJob delete(Target target, Long expected, boolean withConversations) {
        return start("delete", null, null, withConversations, target, expected);
    }

    /** A job of this workspace, or "not found". */
    public BulkJob job(UUID id) {
        return jobs.find(id).orElseThrow(NotFoundException::new);
    }

    /** The job once it has ended, or as it stands when {@code wait} is over (an API client that asked to wait). */
    public BulkJob await(UUID id, java.time.Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        BulkJob job = job(id);
        while (!job.finished() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return job;
            }
            job = job(id);
        }
        return job;
    }

    /** The workspace's jobs still queued or running, oldest first. */
    public List<BulkJob> unfinished() {
        return jobs.unfinished();
    }

    private BulkJob start(String action, String tag, UUID owner, boolean withConversations, Target target, Long expected) {
        UUID id = Ids.newId();
        long matched;
        if (target.selection()) {
            // At most MAX_SELECTION ids: fixed here, at once.
            jobs.insert(id, action, tag, owner, withConversations, target.ids().size(), null, 0, true, AuditActor.of(TenantContext.actor()),
                    clock.instant());
            matched = jobs.snapshot(id, search.conditions(target));
        } else {
            // Possibly every contact of the workspace: counted here (reading only), fixed by the job when it starts.
            matched = search.count(target.filter());
            jobs.insert(id, action, tag, owner, withConversations, null, target.filter().toQuery(), matched, false,
                    AuditActor.of(TenantContext.actor()), clock.instant());
        }
        if (expected != null && matched != expected) {
            throw UserError.conflict("contacts.bulk.count-changed", matched);
        }
        BulkJob job = job(id);
        audit.record(BulkRunner.entry("contacts.bulk_started", job, Map.of("matched", matched)));
        AfterCommit.run(runner::wake);
        return job;
    }

    /** What the audit trail says about a job: the action, its contacts (a selection's size or the filter) and its tag or owner. */
    static Map<String, Object> described(BulkJob job) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("job", job.id().toString());
        details.put("action", job.action());
        if (job.selected() != null) {
            details.put("selected", job.selected());
        } else {
            details.put("filter", job.filter());
        }
        if (job.tag() != null) {
            details.put("tag", job.tag());
        }
        if (job.withConversations()) {
            details.put("withConversations", true);
        }
        if (job.action().equals("owner")) {
            details.put("owner", job.ownerId() == null ? "none" : job.ownerId().toString());
        }
        return details;
    }

    /** The audit action recorded when a job of this action is done. */
    static String finishedAction(String action) {
        switch (action) {
            case "tag":
                return "contacts.bulk_tagged";
            case "untag":
                return "contacts.bulk_untagged";
            case "owner":
                return "contacts.bulk_owner_set";
            default:
                return "contacts.bulk_deleted";
        }
    }

    /** The spelling to store: the one the workspace already uses for this tag in any case, else the one given. */
    private String spelling(String tag) {
        String wanted = checkedTag(tag);
        return search.tagsInUse().stream().filter(t -> t.equalsIgnoreCase(wanted)).findFirst().orElse(wanted);
    }

    private static String checkedTag(String tag) {
        String stripped = tag == null ? "" : tag.strip();
        if (stripped.isEmpty()) {
            throw UserError.invalid("contacts.bulk.tag-missing");
        }
        if (stripped.length() > 64) {
            throw UserError.invalid("contacts.bulk.tag-too-long", 64);
        }
        return stripped;
    }

}
