package hexa.contacts;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.inbox.ConversationsOfContacts;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
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
 * matches. Each action is a few set-based statements in one transaction (all or nothing), whatever the number of
 * contacts, and leaves one audit entry with the count and the filter; tag and owner changes also leave a
 * {@code contact_events} row on each contact changed.
 */
@Service
public class ContactBulk {

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

    /** What an action found and did: contacts matched, changed, and (for delete) kept because they have conversations. */
    public record Outcome(long matched, long changed, long kept) {
    }

    /** What a confirmation shows before the action: how many contacts, and how many of them have conversations. */
    public record Preview(long matched, long withConversations) {
    }

    private final JdbcClient jdbc;
    private final ContactSearch search;
    private final AuditTrail audit;
    private final Clock clock;

    ContactBulk(JdbcClient jdbc, ContactSearch search, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.search = search;
        this.audit = audit;
        this.clock = clock;
    }

    public Preview preview(Target target) {
        ContactConditions where = search.conditions(target);
        return jdbc.sql("select count(*) as matched, count(*) filter (where " + ConversationsOfContacts.HAS_CONVERSATION
                        + ") as talking from contacts c where " + where.sql())
                .params(where.params())
                .query((rs, n) -> new Preview(rs.getLong("matched"), rs.getLong("talking"))).single();
    }

    @Transactional
    public Outcome tag(Target target, String tag) {
        String spelled = spelling(tag);
        ContactConditions where = search.conditions(target);
        Map<String, Object> params = where.with("tag", spelled).with("now", Sql.ts(clock.instant())).with("actor", TenantContext.actor().userId()).params();
        long matched = count(where);
        long changed = jdbc.sql("""
                with added as (
                    insert into contact_tags (tenant_id, contact_id, tag, created_at)
                    select c.tenant_id, c.id, :tag, :now from contacts c where %s
                    on conflict do nothing
                    returning contact_id),
                events as (
                    insert into contact_events (tenant_id, id, contact_id, kind, actor_id, details, created_at)
                    select :tenant, gen_random_uuid(), contact_id, 'tag_added', cast(:actor as uuid), jsonb_build_object('tag', cast(:tag as text), 'bulk', true), :now
                      from added)
                select count(*) from added
                """.formatted(where.sql())).params(params).query(Long.class).single();
        Outcome outcome = new Outcome(matched, changed, 0);
        record("contacts.bulk_tagged", target, outcome, Map.of("tag", spelled));
        return outcome;
    }

    @Transactional
    public Outcome untag(Target target, String tag) {
        String wanted = checkedTag(tag);
        List<String> spellings = search.tagsInUse().stream().filter(t -> t.equalsIgnoreCase(wanted)).toList();
        ContactConditions where = search.conditions(target);
        long matched = count(where);
        if (spellings.isEmpty()) {
            Outcome outcome = new Outcome(matched, 0, 0);
            record("contacts.bulk_untagged", target, outcome, Map.of("tag", wanted));
            return outcome;
        }
        Map<String, Object> params = where.with("tags", spellings.toArray(new String[0])).with("now", Sql.ts(clock.instant()))
                .with("actor", TenantContext.actor().userId()).params();
        long changed = jdbc.sql("""
                with removed as (
                    delete from contact_tags t
                     using contacts c
                     where t.tenant_id = :tenant and t.tag = any(:tags) and c.tenant_id = t.tenant_id and c.id = t.contact_id and %s
                    returning t.contact_id, t.tag),
                events as (
                    insert into contact_events (tenant_id, id, contact_id, kind, actor_id, details, created_at)
                    select :tenant, gen_random_uuid(), contact_id, 'tag_removed', cast(:actor as uuid), jsonb_build_object('tag', tag, 'bulk', true), :now
                      from removed)
                select count(distinct contact_id) from removed
                """.formatted(where.sql())).params(params).query(Long.class).single();
        Outcome outcome = new Outcome(matched, changed, 0);
        record("contacts.bulk_untagged", target, outcome, Map.of("tag", spellings.get(0)));
        return outcome;
    }

    /** Gives the contacts an owner (an active member), or none when {@code owner} is null. */
    @Transactional
    public Outcome setOwner(Target target, UUID owner) {
        if (owner != null) {
            boolean member = jdbc.sql("select count(*) from memberships where tenant_id = :tenant and user_id = :user and active")
                    .param("tenant", TenantContext.tenantId()).param("user", owner).query(Integer.class).single() > 0;
            if (!member) {
                throw UserError.invalid("contacts.bulk.owner-not-member");
            }
        }
        ContactConditions where = search.conditions(target);
        long matched = count(where);
        Map<String, Object> params = where.with("owner", owner).with("now", Sql.ts(clock.instant())).with("actor", TenantContext.actor().userId()).params();
        long changed = jdbc.sql("""
                with changed as (
                    update contacts c set owner_id = cast(:owner as uuid), updated_at = :now
                      from contacts o
                     where o.tenant_id = c.tenant_id and o.id = c.id and c.owner_id is distinct from cast(:owner as uuid) and %s
                    returning c.id, o.owner_id as previous),
                events as (
                    insert into contact_events (tenant_id, id, contact_id, kind, actor_id, details, created_at)
                    select :tenant, gen_random_uuid(), id, 'owner_changed', cast(:actor as uuid),
                           jsonb_build_object('field', 'owner', 'from', previous, 'to', cast(:owner as uuid), 'bulk', true), :now
                      from changed)
                select count(*) from changed
                """.formatted(where.sql())).params(params).query(Long.class).single();
        Outcome outcome = new Outcome(matched, changed, 0);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("owner", owner == null ? "none" : owner.toString());
        record("contacts.bulk_owner_set", target, outcome, details);
        return outcome;
    }

    /**
     * Deletes the contacts with their tags, notes, attribute values, consent history and timeline. Contacts who have
     * conversations are kept (and counted): deleting one of them removes their conversations too, which is done one
     * contact at a time from the contact's page, where that is said plainly.
     */
    @Transactional
    public Outcome delete(Target target) {
        ContactConditions where = search.conditions(target);
        Preview preview = preview(target);
        long changed = jdbc.sql("delete from contacts c where " + where.sql() + " and not " + ConversationsOfContacts.HAS_CONVERSATION)
                .params(where.params()).update();
        Outcome outcome = new Outcome(preview.matched(), changed, preview.matched() - changed);
        record("contacts.bulk_deleted", target, outcome, Map.of());
        return outcome;
    }

    private long count(ContactConditions where) {
        return jdbc.sql("select count(*) from contacts c where " + where.sql()).params(where.params()).query(Long.class).single();
    }

    private void record(String action, Target target, Outcome outcome, Map<String, Object> more) {
        Map<String, Object> details = new LinkedHashMap<>(target.described());
        details.put("matched", outcome.matched());
        details.put("changed", outcome.changed());
        if (outcome.kept() > 0) {
            details.put("kept", outcome.kept());
        }
        details.putAll(more);
        audit.record(AuditEntry.of(action).target("contacts", null, null).details(details));
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
