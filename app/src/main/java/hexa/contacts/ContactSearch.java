package hexa.contacts;

import hexa.identity.WorkspaceService;
import hexa.identity.Workspace;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The contacts a {@link ContactFilter} matches, a page at a time, in the order asked. Pages are keyset: a cursor
 * names the last (or first) row shown by its sort key and id, and the next page is read from the sort order's
 * index onwards (V22), so page 4,000 costs what page 1 does. Campaigns and exports use the same conditions.
 */
@Service
public class ContactSearch {

    public static final int MAX_PAGE = 200;
    /** How many contacts in order a search tests before it asks the trigram index instead (see {@link #page}). */
    static final int WINDOW = 3_000;

    /** The orders the list offers, each read along its own index. */
    public enum Sort {
        /** Most recently active first; never active last. */
        ACTIVITY(ContactConditions.ACTIVITY, true),
        /** By the name people see, A to Z. */
        NAME("lower(coalesce(c.name, c.profile_name, c.phone_e164, c.whatsapp_user_id, c.wa_id, ''))", false),
        /** Newest first. */
        CREATED("c.created_at", true);

        final String key;
        final boolean descending;

        Sort(String key, boolean descending) {
            this.key = key;
            this.descending = descending;
        }

        public static Sort of(String value) {
            if (value == null || value.isBlank()) {
                return ACTIVITY;
            }
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw UserError.invalid("contacts.list.sort-invalid", value);
            }
        }

        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One page: its contacts, their tags, and cursors to the pages either side (null where there is none). */
    public record Page(List<Contact> contacts, Map<UUID, List<String>> tags, String nextCursor, String previousCursor) {
        public List<String> tagsOf(UUID id) {
            return tags.getOrDefault(id, List.of());
        }
    }

    private final JdbcClient jdbc;
    private final ContactService contacts;
    private final WorkspaceService workspaces;
    private final Clock clock;

    ContactSearch(JdbcClient jdbc, ContactService contacts, WorkspaceService workspaces, Clock clock) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    /**
     * A page of the contacts the filter matches. {@code after} continues after a page's {@code nextCursor};
     * {@code before} goes back from a page's {@code previousCursor}; neither is the first page.
     */
    public Page page(ContactFilter filter, Sort sort, String after, String before, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw UserError.invalid("contacts.list.limit-invalid", MAX_PAGE);
        }
        Cursor from = Cursor.parse(after != null && !after.isBlank() ? after : before, sort);
        boolean backward = from != null && (after == null || after.isBlank());
        ContactConditions where = conditions(filter);
        Map<String, Object> params = new LinkedHashMap<>(where.params());
        // Forward in a descending order means smaller keys; backward reverses both the comparison and the order.
        boolean smaller = sort.descending != backward;
        String keyset = "";
        if (from != null) {
            keyset = " and (" + sort.key + ", c.id) " + (smaller ? "<" : ">") + " ("
                    + (sort == Sort.NAME ? "cast(:afterKey as text)" : "coalesce(cast(:afterKey as timestamptz), '-infinity'::timestamptz)")
                    + ", cast(:afterId as uuid))";
            params.put("afterKey", sort == Sort.NAME ? from.name() : Sql.ts(from.at()));
            params.put("afterId", from.id());
        }
        String direction = smaller ? " desc" : "";
        String order = " order by " + sort.key + direction + ", c.id" + direction;
        params.put("limit", limit + 1);
        List<Row> rows;
        // Only words are searched through a window first: the planner cannot tell how many contacts they match. A number
        // matches a handful at most, and tags, attributes, owner, consent and activity have statistics the planner
        // uses well (measured at 1M contacts: the window made those slower).
        if (filter.query() == null || ContactConditions.isNumber(filter.query())) {
            rows = rows("select c.*, " + sort.key + " as sort_key from contacts c where " + where.sql() + keyset + order + " limit :limit", params);
        } else {
            // Walking the order's index while testing each row takes a second when the words are rare (a full name), and
            // collecting every match first takes long when they are common (a first name, a mail domain). So first the next
            // WINDOW contacts in order are tested (a common word fills the page there, and those are then exactly the
            // first matches); when they do not, the matches are collected through the trigram index and sorted after.
            String window = "select c.*, " + sort.key + " as sort_key from (select * from contacts c where c.tenant_id = :tenant" + keyset + order
                    + " limit :window) c where " + where.sql() + order + " limit :limit";
            params.put("window", WINDOW);
            rows = rows(window, params);
            int wider = widerWindow(rows.size(), limit);
            if (wider > 0) {
                // The window held some matches but not a page: as many more contacts in order as their share says a
                // page needs (words with a tag, say "sharma" among customers), when that is still a bounded walk.
                params.put("window", wider);
                rows = rows(window, params);
            }
            if (rows.size() <= limit) {
                rows = rows("with matching as materialized (select c.* from contacts c where " + where.sql() + keyset + ")"
                        + " select c.*, " + sort.key + " as sort_key from matching c" + order + " limit :limit", params);
            }
        }
        boolean more = rows.size() > limit;
        if (more) {
            rows.remove(rows.size() - 1);
        }
        if (backward) {
            Collections.reverse(rows);
        }
        boolean hasNext = backward || more;
        boolean hasPrevious = backward ? more : from != null;
        List<Contact> found = rows.stream().map(Row::contact).toList();
        String next = hasNext && !rows.isEmpty() ? Cursor.of(sort, rows.get(rows.size() - 1)).encode() : null;
        String previous = hasPrevious && !rows.isEmpty() ? Cursor.of(sort, rows.get(0)).encode() : null;
        return new Page(found, contacts.tagsOf(found.stream().map(Contact::id).toList()), next, previous);
    }

    /**
     * The window to read next when the first one ({@value #WINDOW} contacts) found {@code found} matches, fewer than a page of
     * {@code limit}: half as many again as their share there says a page needs, or 0 (none) when nothing was found there
     * or that would be more than {@value #MAX_WINDOW} contacts (then collecting every match and sorting is cheaper).
     */
    static int widerWindow(int found, int limit) {
        if (found == 0 || found > limit) {
            return 0;
        }
        long needed = (long) WINDOW * (limit + 1) * 3 / (2L * found);
        return needed <= MAX_WINDOW ? (int) Math.max(needed, WINDOW + 1L) : 0;
    }

    /** The most contacts a search tests in order before it collects every match instead. */
    static final int MAX_WINDOW = 30_000;

    private List<Row> rows(String sql, Map<String, Object> params) {
        return new ArrayList<>(jdbc.sql(sql).params(params).query((rs, n) -> new Row(ContactService.map(rs, n), rs.getString("sort_key"))).list());
    }

    /** How many contacts the filter matches. */
    public long count(ContactFilter filter) {
        ContactConditions where = conditions(filter);
        return jdbc.sql("select count(*) from contacts c where " + where.sql()).params(where.params()).query(Long.class).single();
    }

    /** How many contacts the filter matches, counting no further than {@code cap} (a page shows "10,000+"). */
    public long countUpTo(ContactFilter filter, int cap) {
        ContactConditions where = conditions(filter);
        Map<String, Object> params = new LinkedHashMap<>(where.params());
        params.put("cap", cap);
        return jdbc.sql("select count(*) from (select 1 from contacts c where " + where.sql() + " limit :cap) m").params(params)
                .query(Long.class).single();
    }

    /** The workspace's custom attributes in their order, as the filter and the export know them. */
    public List<FilterableAttribute> attributes() {
        return jdbc.sql("select key, label, type, options from contact_attributes where tenant_id = :tenant order by position, key")
                .param("tenant", TenantContext.tenantId())
                .query((rs, n) -> new FilterableAttribute(rs.getString("key"), rs.getString("label"), rs.getString("type"),
                        List.of((String[]) rs.getArray("options").getArray())))
                .list();
    }

    /**
     * Every tag the workspace uses, A to Z. Read by skipping through the tag index one distinct value at a time, so
     * it costs one index probe per tag, not one per tagged contact.
     */
    public List<String> tagsInUse() {
        return jdbc.sql("""
                with recursive used(tag) as (
                    (select tag from contact_tags where tenant_id = :tenant order by tag limit 1)
                    union all
                    select (select t.tag from contact_tags t where t.tenant_id = :tenant and t.tag > u.tag order by t.tag limit 1)
                      from used u where u.tag is not null)
                select tag from used where tag is not null limit 1000
                """).param("tenant", TenantContext.tenantId()).query(String.class).list();
    }

    /** The SQL condition (on {@code contacts c}) and parameters of a filter in the current workspace; checks the filter. */
    ContactConditions conditions(ContactFilter filter) {
        Workspace workspace = workspaces.current();
        Map<String, FilterableAttribute> byKey = new LinkedHashMap<>();
        if (!filter.attributes().isEmpty()) {
            attributes().forEach(a -> byKey.put(a.key(), a));
        }
        return ContactConditions.of(TenantContext.tenantId(), filter, byKey, filter.tags().isEmpty() ? List.of() : tagsInUse(),
                workspace.defaultCountry(), workspace.timeZone(), clock.instant());
    }

    /** The SQL condition of a bulk action's or an export's contacts: a selection or a filter. */
    ContactConditions conditions(ContactBulk.Target target) {
        return target.selection() ? ContactConditions.selection(TenantContext.tenantId(), target.ids()) : conditions(target.filter());
    }

    /** Checks a filter against the workspace (its attributes exist, its values fit them) without reading contacts. */
    public void check(ContactFilter filter) {
        conditions(filter);
    }

    private record Row(Contact contact, String sortKey) {
    }

    /** A position in the list: the sort it belongs to, the row's sort key and id; opaque to clients. */
    record Cursor(Sort sort, Instant at, String name, UUID id) {

        static Cursor of(Sort sort, Row row) {
            Contact c = row.contact();
            switch (sort) {
                case NAME:
                    return new Cursor(sort, null, row.sortKey(), c.id());
                case CREATED:
                    return new Cursor(sort, c.createdAt(), null, c.id());
                default:
                    return new Cursor(sort, c.lastActivityAt(), null, c.id());
            }
        }

        String encode() {
            String key = sort == Sort.NAME ? name : at == null ? "" : Long.toString(at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((sort.param() + "|" + id + "|" + key).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String cursor, Sort sort) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("\\|", 3);
                if (!parts[0].equals(sort.param())) {
                    throw UserError.invalid("contacts.list.cursor-other-sort");
                }
                UUID id = UUID.fromString(parts[1]);
                if (sort == Sort.NAME) {
                    return new Cursor(sort, null, parts[2], id);
                }
                if (parts[2].isEmpty()) {
                    return new Cursor(sort, null, null, id);
                }
                long micros = Long.parseLong(parts[2]);
                return new Cursor(sort, Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L), null, id);
            } catch (UserError e) {
                throw e;
            } catch (RuntimeException e) {
                throw UserError.invalid("contacts.list.cursor-invalid");
            }
        }
    }
}
