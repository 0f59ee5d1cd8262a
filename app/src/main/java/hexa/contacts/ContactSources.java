package hexa.contacts;

import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where contacts came from: the click-to-WhatsApp ads (and posts) that brought them to a chat, as the channel reports
 * them. A contact's first referral is its source, kept for good (first-touch: the ad that first brought them); every
 * later one is kept too, and the latest is shown beside the source. What the channel reports again (Meta retrying a
 * webhook) is kept once.
 */
@Service
public class ContactSources {

    static final int MAX_TEXT = 2000;

    /**
     * One referral, as the channel read it from a customer's message.
     *
     * @param wamid the message that carried it
     * @param sourceType {@code ad} or {@code post}
     * @param sourceId the ad's id at Meta
     * @param at when the customer sent the message
     */
    public record Referral(UUID contactId, String wamid, String sourceType, String sourceId, String sourceUrl, String headline, String body,
                           String mediaType, String ctwaClid, Instant at) {

        /** The URL to link to: only a web address (http or https), never another scheme an ad could carry. */
        public String safeUrl() {
            return ContactSources.safeUrl(sourceUrl);
        }

        /** True for an ad, false for a post (or a source Meta did not name). */
        public boolean fromAnAd() {
            return sourceType == null || "ad".equals(sourceType);
        }
    }

    /**
     * A contact's source and history.
     *
     * @param first the referral that first brought the contact (its source)
     * @param latest the most recent referral (the same as the first when there was one)
     * @param count how many referrals the contact has had
     */
    public record Source(Referral first, Referral latest, int count) {
        public boolean returned() {
            return count > 1;
        }
    }

    /** What the contact page shows of where the contact came from; {@code source} is null when no ad brought them. */
    public record Panel(Source source, java.time.ZoneId zone) {
        public String dateTime(Instant at) {
            return at == null ? "" : java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(at.atZone(zone));
        }

        /** The contact list of everyone who came through this ad. */
        public String othersLink(Referral referral) {
            String ad = referral.sourceId() != null ? referral.sourceId() : referral.headline();
            return ad == null ? null : "/contacts?ad=" + java.net.URLEncoder.encode(ad, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    ContactSources(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Keeps the referrals of customers' new messages (a webhook's worth in one statement); one already kept is kept once. */
    @Transactional
    public void record(List<Referral> referrals) {
        if (referrals.isEmpty()) {
            return;
        }
        JsonRows rows = new JsonRows();
        for (Referral r : referrals) {
            rows.add().put("contact", r.contactId()).put("wamid", r.wamid()).put("type", cut(r.sourceType(), 50))
                    .put("source_id", cut(r.sourceId(), 200)).put("url", cut(r.sourceUrl(), MAX_TEXT)).put("headline", cut(r.headline(), MAX_TEXT))
                    .put("body", cut(r.body(), MAX_TEXT)).put("media", cut(r.mediaType(), 50)).put("clid", cut(r.ctwaClid(), 1000))
                    .put("at", r.at());
        }
        jdbc.sql("""
                insert into contact_referrals (tenant_id, contact_id, wamid, source_type, source_id, source_url, headline, body, media_type,
                                               ctwa_clid, referred_at, created_at)
                select :tenant, r.contact, r.wamid, r.type, r.source_id, r.url, r.headline, r.body, r.media, r.clid, r.at, :now
                  from json_to_recordset(cast(:rows as json))
                       as r(contact uuid, wamid text, type text, source_id text, url text, headline text, body text, media text,
                            clid text, at timestamptz)
                on conflict do nothing
                """)
                .param("tenant", TenantContext.tenantId()).param("rows", rows.json()).param("now", Sql.ts(clock.instant()))
                .update();
    }

    /** The contact's source and the latest of its referrals; empty when no ad ever brought it. */
    public Optional<Source> of(UUID contactId) {
        List<Referral> all = jdbc.sql("""
                select * from contact_referrals where tenant_id = :tenant and contact_id = :contact order by referred_at, wamid
                """)
                .param("tenant", TenantContext.tenantId()).param("contact", contactId).query(ContactSources::map).list();
        return all.isEmpty() ? Optional.empty() : Optional.of(new Source(all.get(0), all.get(all.size() - 1), all.size()));
    }

    /** The source (first referral) of each of these contacts that has one: id → referral; one statement. */
    public java.util.Map<UUID, Referral> firstOf(java.util.Collection<UUID> contactIds) {
        java.util.Map<UUID, Referral> firsts = new java.util.HashMap<>();
        if (contactIds.isEmpty()) {
            return firsts;
        }
        jdbc.sql("""
                select distinct on (contact_id) * from contact_referrals
                 where tenant_id = :tenant and contact_id = any(:ids)
                 order by contact_id, referred_at, wamid
                """)
                .param("tenant", TenantContext.tenantId()).param("ids", contactIds.toArray(new UUID[0]))
                .query(ContactSources::map).list().forEach(r -> firsts.put(r.contactId(), r));
        return firsts;
    }

    static String safeUrl(String url) {
        if (url == null) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null ? uri.toString() : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static Referral map(ResultSet rs, int row) throws SQLException {
        return new Referral(Sql.uuid(rs, "contact_id"), rs.getString("wamid"), rs.getString("source_type"), rs.getString("source_id"),
                rs.getString("source_url"), rs.getString("headline"), rs.getString("body"), rs.getString("media_type"),
                rs.getString("ctwa_clid"), Sql.instant(rs, "referred_at"));
    }
}
