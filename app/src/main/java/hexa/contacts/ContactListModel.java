package hexa.contacts;

import hexa.identity.Member;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the contact list page shows: the filter and its controls, a page of contacts, how many match, the saved
 * segments, and whether the member may act on many contacts at once.
 *
 * @param matched contacts matching, counted up to {@link #COUNT_CAP} (then shown as "10,000+")
 * @param problem why the filter could not be used, in words, or null
 */
public record ContactListModel(ContactFilter filter, ContactSearch.Sort sort, ContactSearch.Page results, long matched, List<String> tagsInUse,
                               List<FilterableAttribute> attributes, List<Member> members, List<ContactSegments.Segment> segments,
                               ContactSegments.Segment activeSegment, boolean canManage, boolean workspaceHasContacts, String problem) {

    public static final int COUNT_CAP = 10_000;

    public boolean countCapped() {
        return matched >= COUNT_CAP;
    }

    public String matchedText() {
        return countCapped() ? String.format("%,d+", COUNT_CAP) : String.format("%,d", matched);
    }

    /** The filter as request parameters. */
    public String query() {
        return filter.toQuery();
    }

    /** The filter and the sort, for links that keep both. */
    public String queryWithSort() {
        String q = filter.toQuery();
        String s = sort == ContactSearch.Sort.ACTIVITY ? "" : "sort=" + sort.param();
        return q.isEmpty() ? s : s.isEmpty() ? q : q + "&" + s;
    }

    public String nextLink() {
        return link("cursor", results.nextCursor());
    }

    public String previousLink() {
        return link("before", results.previousCursor());
    }

    private String link(String name, String cursor) {
        String q = queryWithSort();
        return "/contacts?" + (q.isEmpty() ? "" : q + "&") + name + "=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    }

    public String ownerName(UUID owner) {
        if (owner == null) {
            return null;
        }
        return members.stream().filter(m -> m.userId().equals(owner)).map(Member::name).findFirst().orElse(null);
    }

    public String attributeLabel(String key) {
        return attributes.stream().filter(a -> a.key().equals(key)).map(FilterableAttribute::label).findFirst().orElse(key);
    }

    /** The list without the i-th attribute condition (its chip's remove link). */
    public String withoutCondition(int index) {
        List<ContactFilter.AttributeCondition> rest = new ArrayList<>(filter.attributes());
        rest.remove(index);
        ContactFilter f = new ContactFilter(filter.query(), filter.tags(), filter.tagMatch(), rest, filter.owner(), filter.activeWithinDays(),
                filter.activeSince(), filter.activeBefore(), filter.consent(), filter.blocked(), filter.source(), filter.ad());
        return "/contacts?" + f.toQuery();
    }

    public boolean filtered() {
        return !filter.everyone();
    }
}
