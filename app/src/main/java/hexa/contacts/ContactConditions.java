package hexa.contacts;

import hexa.platform.database.Sql;
import hexa.platform.web.UserError;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link ContactFilter} as the SQL condition on {@code contacts c} and its parameters. Only the parts the
 * filter has are written out (see {@code inbox.Conversations.filters} for why: a generic plan cannot use an index
 * for {@code :x is null or …}), and every value is a bound parameter.
 */
final class ContactConditions {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The expression of the trigram index {@code contacts_search_all} (V22), written exactly as there. */
    static final String SEARCHED = "lower(coalesce(c.name, '') || ' ' || coalesce(c.profile_name, '') || ' ' || coalesce(c.phone_e164, '') || ' ' || coalesce(c.whatsapp_user_id, '')"
            + " || ' ' || coalesce(c.email, ''))";

    /**
     * Last activity as the index {@code contacts_by_activity} (V22) holds it, never active being minus infinity: conditions
     * on it bound the walk along that index instead of testing every row.
     */
    static final String ACTIVITY = "coalesce(c.last_activity_at, '-infinity'::timestamptz)";

    private final StringBuilder sql = new StringBuilder("c.tenant_id = :tenant");
    private final Map<String, Object> params = new HashMap<>();

    String sql() {
        return sql.toString();
    }

    Map<String, Object> params() {
        return params;
    }

    /** Adds a parameter for the statement the condition goes into. */
    ContactConditions with(String name, Object value) {
        params.put(name, value);
        return this;
    }

    /** The contacts of a selection, by id. */
    static ContactConditions selection(UUID tenant, List<UUID> ids) {
        ContactConditions c = new ContactConditions();
        c.sql.append(" and c.id = any(:ids)");
        c.params.put("tenant", tenant);
        c.params.put("ids", ids.toArray(new UUID[0]));
        return c;
    }

    /**
     * @param storedTags every tag the workspace uses, so that a filter's tag matches whatever case it was stored in
     */
    static ContactConditions of(UUID tenant, ContactFilter filter, Map<String, FilterableAttribute> attributes, List<String> storedTags,
                                String defaultCountry, ZoneId zone, Instant now) {
        ContactConditions c = new ContactConditions();
        c.params.put("tenant", tenant);
        if (filter.query() != null) {
            c.query(filter.query(), defaultCountry);
        }
        if (!filter.tags().isEmpty()) {
            c.tags(filter, storedTags);
        }
        for (int i = 0; i < filter.attributes().size(); i++) {
            c.attribute(i, filter.attributes().get(i), attributes);
        }
        if (filter.owner() != null) {
            if (filter.owner().equals("none")) {
                c.sql.append(" and c.owner_id is null");
            } else {
                c.sql.append(" and c.owner_id = cast(:owner as uuid)");
                c.params.put("owner", UUID.fromString(filter.owner()));
            }
        }
        if (filter.activeWithinDays() != null) {
            c.sql.append(" and ").append(ACTIVITY).append(" >= cast(:activeFrom as timestamptz)");
            c.params.put("activeFrom", Sql.ts(now.minus(java.time.Duration.ofDays(filter.activeWithinDays()))));
        }
        if (filter.activeSince() != null) {
            c.sql.append(" and ").append(ACTIVITY).append(" >= cast(:activeSince as timestamptz)");
            c.params.put("activeSince", Sql.ts(filter.activeSince().atStartOfDay(zone).toInstant()));
        }
        if (filter.activeBefore() != null) {
            // The first condition bounds the walk along the activity index; the second leaves out the never active.
            c.sql.append(" and ").append(ACTIVITY).append(" < cast(:activeBefore as timestamptz) and c.last_activity_at is not null");
            c.params.put("activeBefore", Sql.ts(filter.activeBefore().atStartOfDay(zone).toInstant()));
        }
        if (filter.consent() != null) {
            c.sql.append(" and c.marketing_consent = cast(:consent as text)");
            c.params.put("consent", filter.consent());
        }
        if (filter.blocked() != null) {
            c.sql.append(filter.blocked() ? " and c.blocked_at is not null" : " and c.blocked_at is null");
        }
        if (filter.source() != null) {
            c.sql.append(filter.source().equals("ad") ? " and " : " and not ")
                    .append("exists (select 1 from contact_referrals r where r.tenant_id = c.tenant_id and r.contact_id = c.id)");
        }
        if (filter.ad() != null) {
            // The ad's id exactly, or words of its headline: every referral counts, not only the first.
            c.sql.append(" and exists (select 1 from contact_referrals r where r.tenant_id = c.tenant_id and r.contact_id = c.id")
                    .append(" and (r.source_id = cast(:adId as text) or r.headline ilike cast(:adHeadline as text)))");
            c.params.put("adId", filter.ad());
            c.params.put("adHeadline", Sql.likeContains(filter.ad()));
        }
        return c;
    }

    /**
     * Every word must appear in the name, profile name, number, user id or email address (one trigram index). A query that is a number in any spelling matches by its digits: {@code +91 98765 43210},
     * {@code 098765-43210} and {@code 9876543210} all find {@code +919876543210}.
     */
    private void query(String query, String defaultCountry) {
        String digits = query.replaceAll("[^0-9]", "");
        if (isNumber(query)) {
            // 00 is the international prefix and a leading 0 the trunk prefix; neither is in E.164.
            String fragment = digits.startsWith("00") ? digits.substring(2) : digits.replaceFirst("^0+", "");
            if (fragment.length() < 3) {
                fragment = digits;
            }
            PhoneNumbers.Reading reading = PhoneNumbers.read(query, defaultCountry);
            sql.append(" and (").append(SEARCHED).append(" like :numberLike");
            params.put("numberLike", Sql.likeContains(fragment));
            if (reading.valid()) {
                sql.append(" or c.phone_e164 = cast(:numberE164 as text)");
                params.put("numberE164", reading.e164());
            }
            sql.append(')');
            return;
        }
        List<String> words = new ArrayList<>();
        for (String word : query.toLowerCase(Locale.ROOT).split("\\s+")) {
            if (!word.isEmpty() && words.size() < 8) {
                words.add(word);
            }
        }
        if (words.stream().noneMatch(w -> w.length() >= 3)) {
            throw UserError.invalid("contacts.list.filter.query-too-short");
        }
        for (int i = 0; i < words.size(); i++) {
            sql.append(" and ").append(SEARCHED).append(" like :word").append(i);
            params.put("word" + i, Sql.likeContains(words.get(i)));
        }
    }

    /** A query made of at least 3 digits and the signs numbers are written with is searched as a number. */
    static boolean isNumber(String query) {
        return query.matches("[0-9+\\-().\\s/]+") && query.replaceAll("[^0-9]", "").length() >= 3;
    }

    private void tags(ContactFilter filter, List<String> storedTags) {
        List<List<String>> spellings = new ArrayList<>();
        for (String tag : filter.tags()) {
            List<String> same = new ArrayList<>();
            same.add(tag);
            for (String stored : storedTags) {
                if (stored.equalsIgnoreCase(tag) && !stored.equals(tag)) {
                    same.add(stored);
                }
            }
            spellings.add(same);
        }
        if (filter.allTags()) {
            for (int i = 0; i < spellings.size(); i++) {
                sql.append(" and exists (select 1 from contact_tags t where t.tenant_id = c.tenant_id and t.contact_id = c.id and t.tag = any(:tags")
                        .append(i).append("))");
                params.put("tags" + i, spellings.get(i).toArray(new String[0]));
            }
        } else {
            sql.append(" and exists (select 1 from contact_tags t where t.tenant_id = c.tenant_id and t.contact_id = c.id and t.tag = any(:tags))");
            params.put("tags", spellings.stream().flatMap(List::stream).distinct().toArray(String[]::new));
        }
    }

    private void attribute(int i, ContactFilter.AttributeCondition condition, Map<String, FilterableAttribute> attributes) {
        FilterableAttribute attribute = attributes.get(condition.key());
        if (attribute == null) {
            throw UserError.invalid("contacts.list.filter.attribute-unknown", condition.key());
        }
        String op = condition.op();
        if (!attribute.operators().contains(op)) {
            throw UserError.invalid("contacts.list.filter.attribute-op-not-for-type", op, attribute.label(), String.join(", ", attribute.operators()));
        }
        String key = "attrKey" + i;
        String value = "attrValue" + i;
        params.put(key, attribute.key());
        switch (attribute.type()) {
            case "checkbox":
                params.put(value, contains(attribute.key(), true));
                sql.append(op.equals("checked") ? " and c.attributes @> cast(:" : " and not c.attributes @> cast(:").append(value).append(" as jsonb)");
                return;
            case "date":
                LocalDate date = ContactFilter.date(condition.value());
                if (op.equals("equals")) {
                    params.put(value, contains(attribute.key(), date.toString()));
                    sql.append(" and c.attributes @> cast(:").append(value).append(" as jsonb)");
                } else {
                    // Dates are kept as ISO text (yyyy-mm-dd), whose order is the calendar's.
                    params.put(value, date.toString());
                    sql.append(" and c.attributes ->> cast(:").append(key).append(" as text) ").append(op.equals("before") ? "<" : ">")
                            .append(" cast(:").append(value).append(" as text)");
                }
                return;
            case "number":
                BigDecimal number;
                try {
                    number = new BigDecimal(condition.value());
                } catch (NumberFormatException e) {
                    throw UserError.invalid("contacts.list.filter.attribute-number-invalid", attribute.label(), condition.value());
                }
                params.put(value, contains(attribute.key(), number));
                params.put(value + "s", contains(attribute.key(), condition.value()));
                sql.append(" and (c.attributes @> cast(:").append(value).append(" as jsonb) or c.attributes @> cast(:").append(value)
                        .append("s as jsonb))");
                return;
            default:
                if (op.equals("equals")) {
                    params.put(value, contains(attribute.key(), condition.value()));
                    sql.append(" and c.attributes @> cast(:").append(value).append(" as jsonb)");
                } else {
                    params.put(value, Sql.likeContains(condition.value()));
                    sql.append(" and c.attributes ->> cast(:").append(key).append(" as text) ilike cast(:").append(value).append(" as text)");
                }
        }
    }

    private static String contains(String key, Object value) {
        ObjectNode node = JSON.createObjectNode();
        if (value instanceof Boolean b) {
            node.put(key, b);
        } else if (value instanceof BigDecimal n) {
            node.put(key, n);
        } else {
            node.put(key, value.toString());
        }
        return JSON.writeValueAsString(node);
    }
}
