package hexa.contacts;

import hexa.platform.web.UserError;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Which contacts: the contact list's search and filters, a saved segment's definition, and (later) a
 * campaign's audience. Every part is optional; the parts given must all hold. Stored as JSON in
 * {@code contact_segments.filter}, so its field names are part of the API.
 *
 * @param query words of a name, an email address or a number (a number in any spelling: {@code +91 98…},
 *              {@code 098…}, digits with spaces)
 * @param tags tags; with {@code tagMatch} {@code any} (the default) a contact needs one of them, with {@code all} every one
 * @param attributes conditions on custom attributes, all of which must hold
 * @param owner a member's id, or {@code none} for contacts nobody owns
 * @param activeWithinDays last activity within this many days (from now, whenever the filter is used)
 * @param activeSince last activity on or after the start of this day (in the workspace's time zone)
 * @param activeBefore last activity before the start of this day
 * @param consent marketing consent: {@code opted_in}, {@code opted_out} or {@code unknown}
 * @param blocked true for blocked contacts only, false for contacts that are not blocked
 * @param source where contacts came from: {@code ad} for those who came through a click-to-WhatsApp ad (or a post's
 *               button) at least once, {@code none} for those who never did
 * @param ad one ad: contacts who came through the ad with this id, or whose headline contains these words
 */
public record ContactFilter(String query, List<String> tags, String tagMatch, List<AttributeCondition> attributes, String owner,
                            Integer activeWithinDays, LocalDate activeSince, LocalDate activeBefore, String consent, Boolean blocked,
                            String source, String ad) {

    public static final ContactFilter EVERYONE = new ContactFilter(null, null, null, null, null, null, null, null, null, null, null, null);
    static final List<String> SOURCES = List.of("ad", "none");
    static final int MAX_AD = 200;

    static final List<String> CONSENTS = List.of("opted_in", "opted_out", "unknown");
    static final List<String> OPERATORS = List.of("equals", "contains", "before", "after", "checked", "unchecked");
    static final int MAX_QUERY = 200;
    static final int MAX_TAGS = 20;
    static final int MAX_CONDITIONS = 10;

    /** One condition on a custom attribute: {@code equals}, {@code contains}, {@code before}, {@code after}, {@code checked}, {@code unchecked}. */
    public record AttributeCondition(String key, String op, String value) {
        public AttributeCondition {
            key = blankToNull(key);
            op = op == null ? null : op.strip().toLowerCase(Locale.ROOT);
            value = value == null ? null : value.strip();
            if (key == null) {
                throw UserError.invalid("contacts.list.filter.attribute-key-missing");
            }
            if (!OPERATORS.contains(op)) {
                throw UserError.invalid("contacts.list.filter.attribute-op-invalid", String.valueOf(op));
            }
            boolean needsValue = !op.equals("checked") && !op.equals("unchecked");
            if (needsValue && (value == null || value.isEmpty())) {
                throw UserError.invalid("contacts.list.filter.attribute-value-missing", key);
            }
            if (!needsValue) {
                value = null;
            }
        }

        /** As the {@code attr} request parameter writes it: {@code key:op:value}. */
        public String written() {
            return key + ":" + op + (value == null ? "" : ":" + value);
        }
    }

    public ContactFilter {
        query = blankToNull(query);
        if (query != null && query.length() > MAX_QUERY) {
            query = query.substring(0, MAX_QUERY);
        }
        LinkedHashSet<String> distinctTags = new LinkedHashSet<>();
        for (String tag : tags == null ? List.<String>of() : tags) {
            String t = blankToNull(tag);
            if (t != null) {
                distinctTags.add(t);
            }
        }
        if (distinctTags.size() > MAX_TAGS) {
            throw UserError.invalid("contacts.list.filter.too-many-tags", MAX_TAGS);
        }
        tags = List.copyOf(distinctTags);
        tagMatch = blankToNull(tagMatch) == null ? "any" : tagMatch.strip().toLowerCase(Locale.ROOT);
        if (!tagMatch.equals("any") && !tagMatch.equals("all")) {
            throw UserError.invalid("contacts.list.filter.tag-match-invalid", tagMatch);
        }
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
        if (attributes.size() > MAX_CONDITIONS) {
            throw UserError.invalid("contacts.list.filter.too-many-conditions", MAX_CONDITIONS);
        }
        owner = blankToNull(owner);
        if (owner != null) {
            owner = owner.toLowerCase(Locale.ROOT);
            if (!owner.equals("none")) {
                try {
                    owner = UUID.fromString(owner).toString();
                } catch (IllegalArgumentException e) {
                    throw UserError.invalid("contacts.list.filter.owner-invalid", owner);
                }
            }
        }
        if (activeWithinDays != null && (activeWithinDays < 1 || activeWithinDays > 36_500)) {
            throw UserError.invalid("contacts.list.filter.days-invalid", String.valueOf(activeWithinDays));
        }
        consent = blankToNull(consent) == null ? null : consent.strip().toLowerCase(Locale.ROOT);
        if (consent != null && !CONSENTS.contains(consent)) {
            throw UserError.invalid("contacts.list.filter.consent-invalid", consent);
        }
        source = blankToNull(source) == null ? null : source.strip().toLowerCase(Locale.ROOT);
        if (source != null && !SOURCES.contains(source)) {
            throw UserError.invalid("contacts.list.filter.source-invalid", source);
        }
        ad = blankToNull(ad);
        if (ad != null && ad.length() > MAX_AD) {
            throw UserError.invalid("contacts.list.filter.ad-too-long", MAX_AD);
        }
    }

    /** True when nothing is filtered: every contact of the workspace. */
    public boolean everyone() {
        return query == null && tags.isEmpty() && attributes.isEmpty() && owner == null && activeWithinDays == null && activeSince == null
                && activeBefore == null && consent == null && blocked == null && source == null && ad == null;
    }

    public boolean allTags() {
        return tagMatch.equals("all");
    }

    public ContactFilter withoutQuery() {
        return new ContactFilter(null, tags, tagMatch, attributes, owner, activeWithinDays, activeSince, activeBefore, consent, blocked, source, ad);
    }

    /**
     * Reads a filter from request parameters, as the list page, the API and the export take them: {@code query} (or
     * {@code q}), {@code tag} (repeated), {@code tagMatch}, {@code attr} (repeated, {@code key:op:value}; the page's one
     * row is {@code attrKey}, {@code attrOp}, {@code attrValue}), {@code owner}, {@code activeWithin} (days),
     * {@code activeSince}, {@code activeBefore} (dates), {@code consent}, {@code blocked}, {@code source} ({@code ad} or
     * {@code none}), {@code ad} (an ad's id or words of its headline). A value that cannot be one
     * is refused with a clear message, never ignored.
     */
    public static ContactFilter fromParams(Map<String, List<String>> params) {
        String query = first(params, "query");
        if (query == null) {
            query = first(params, "q");
        }
        List<AttributeCondition> conditions = new ArrayList<>();
        for (String written : all(params, "attr")) {
            String[] parts = written.split(":", 3);
            if (parts.length < 2) {
                throw UserError.invalid("contacts.list.filter.attribute-invalid", written);
            }
            conditions.add(new AttributeCondition(parts[0], parts[1], parts.length > 2 ? parts[2] : null));
        }
        String attrKey = first(params, "attrKey");
        if (attrKey != null) {
            conditions.add(new AttributeCondition(attrKey, first(params, "attrOp"), first(params, "attrValue")));
        }
        return new ContactFilter(query, all(params, "tag"), first(params, "tagMatch"), conditions, first(params, "owner"),
                days(first(params, "activeWithin")), date(first(params, "activeSince")), date(first(params, "activeBefore")),
                first(params, "consent"), bool(first(params, "blocked")), first(params, "source"), first(params, "ad"));
    }

    /** Reads a filter from the text {@link #toQuery()} writes (a query string without its {@code ?}). */
    public static ContactFilter fromQuery(String query) {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                try {
                    String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                } catch (IllegalArgumentException e) {
                    throw UserError.invalid("contacts.list.filter.unreadable");
                }
            }
        }
        return fromParams(params);
    }

    /** The filter as request parameters (without a leading {@code ?}), for links and forms that keep it; "" for everyone. */
    public String toQuery() {
        List<String> parts = new ArrayList<>();
        add(parts, "query", query);
        tags.forEach(tag -> add(parts, "tag", tag));
        if (allTags()) {
            add(parts, "tagMatch", tagMatch);
        }
        attributes.forEach(condition -> add(parts, "attr", condition.written()));
        add(parts, "owner", owner);
        add(parts, "activeWithin", activeWithinDays == null ? null : activeWithinDays.toString());
        add(parts, "activeSince", activeSince == null ? null : activeSince.toString());
        add(parts, "activeBefore", activeBefore == null ? null : activeBefore.toString());
        add(parts, "consent", consent);
        add(parts, "blocked", blocked == null ? null : blocked.toString());
        add(parts, "source", source);
        add(parts, "ad", ad);
        return String.join("&", parts);
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null) {
            parts.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null) {
            return null;
        }
        return values.stream().map(ContactFilter::blankToNull).filter(v -> v != null).findFirst().orElse(null);
    }

    private static List<String> all(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null ? List.of() : values.stream().map(ContactFilter::blankToNull).filter(v -> v != null).toList();
    }

    private static Integer days(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw UserError.invalid("contacts.list.filter.days-invalid", value);
        }
    }

    static LocalDate date(String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw UserError.invalid("contacts.list.filter.date-invalid", value);
        }
    }

    private static Boolean bool(String value) {
        if (value == null) {
            return null;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
                return Boolean.TRUE;
            case "false":
            case "no":
                return Boolean.FALSE;
            default:
                throw UserError.invalid("contacts.list.filter.blocked-invalid", value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
