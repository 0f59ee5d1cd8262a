package hexa.contacts;

import hexa.platform.tenant.TenantContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The contacts of a broadcast's audience, each with where it stands for a marketing message, a page at a time in id
 * order (keyset: page 50 costs what page 1 does). Set-based: one statement per page whatever the audience's size, with
 * the same conditions as the contact list ({@link ContactFilter}) and the consent rule of {@link ConsentService}.
 */
@Service
public class ContactAudiences {

    /** The most contacts one page holds. */
    public static final int MAX_PAGE = 10_000;

    /**
     * Why a contact of the audience gets the message or not, the first reason that holds in this order: blocked, opted out,
     * no number WhatsApp can reach, one of the excluded tags, no marketing consent (only when it is required).
     */
    public enum Standing {
        ALLOWED, BLOCKED, OPTED_OUT, NO_WHATSAPP, EXCLUDED_TAG, NO_CONSENT
    }

    /** One contact of the audience: its WhatsApp number (digits, or null) and its standing. */
    public record Member(UUID contactId, String waId, Standing standing) {
    }

    /**
     * Which contacts: those a filter matches, or (with {@code ids}) exactly those; less anyone carrying one of
     * {@code excludeTags}; with {@code requireOptIn} only contacts who opted in are {@link Standing#ALLOWED} (the others
     * are {@link Standing#NO_CONSENT}).
     */
    public record Audience(ContactFilter filter, List<UUID> ids, List<String> excludeTags, boolean requireOptIn) {
        public Audience {
            excludeTags = excludeTags == null ? List.of() : ContactTags.normaliseAll(excludeTags);
            ids = ids == null ? null : List.copyOf(ids);
            if ((filter == null) == (ids == null)) {
                throw new IllegalArgumentException("An audience is a filter or a list of contacts");
            }
        }
    }

    private final JdbcClient jdbc;
    private final ContactSearch search;

    ContactAudiences(JdbcClient jdbc, ContactSearch search) {
        this.jdbc = jdbc;
        this.search = search;
    }

    /** Checks an audience's filter against the workspace (its attributes exist, its values fit) without reading contacts. */
    public void check(ContactFilter filter) {
        search.check(filter);
    }

    /** The next page of the audience after contact {@code after} (null: from the start), at most {@code limit} contacts. */
    public List<Member> page(Audience audience, UUID after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("A page of 1 to " + MAX_PAGE + " contacts");
        }
        ContactConditions where = audience.ids() != null ? ContactConditions.selection(TenantContext.tenantId(), audience.ids())
                : search.conditions(audience.filter());
        Map<String, Object> params = new LinkedHashMap<>(where.params());
        params.put("after", after);
        params.put("limit", limit);
        params.put("requireOptIn", audience.requireOptIn());
        params.put("excluded", audience.excludeTags().toArray(new String[0]));
        String sql = """
                select c.id, coalesce(c.wa_id, substr(c.phone_e164, 2)) as wa_id,
                       case when c.blocked_at is not null then 'BLOCKED'
                            when c.marketing_consent = 'opted_out' then 'OPTED_OUT'
                            when c.wa_id is null and c.phone_e164 is null then 'NO_WHATSAPP'
                            when cardinality(cast(:excluded as text[])) > 0 and exists (
                                 select 1 from contact_tags t where t.tenant_id = c.tenant_id and t.contact_id = c.id
                                    and t.tag = any(cast(:excluded as text[]))) then 'EXCLUDED_TAG'
                            when cast(:requireOptIn as boolean) and c.marketing_consent <> 'opted_in' then 'NO_CONSENT'
                            else 'ALLOWED' end as standing
                  from contacts c
                 where\s""" + where.sql() + (after == null ? "" : " and c.id > cast(:after as uuid)") + """

                 order by c.id
                 limit :limit
                """;
        return jdbc.sql(sql).params(params)
                .query((rs, n) -> new Member(rs.getObject("id", UUID.class), rs.getString("wa_id"), Standing.valueOf(rs.getString("standing"))))
                .list();
    }
}
