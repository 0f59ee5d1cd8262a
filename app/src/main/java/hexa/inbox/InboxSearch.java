package hexa.inbox;

import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Search over what the acting member may see: messages by their words (every word must appear; the
 * last may be the start of a word, as people type), newest first in pages, and conversations by the
 * contact's name or number.
 */
@Service
public class InboxSearch {

    public static final int PAGE = 25;

    private final JdbcClient jdbc;
    private final TransactionTemplate bounded;
    private final long scanBudgetMillis;

    InboxSearch(JdbcClient jdbc, PlatformTransactionManager transactions,
                @Value("${hexa.inbox.search.name-scan-budget:150ms}") Duration scanBudget) {
        this.jdbc = jdbc;
        // Its own transaction: a statement that runs out of time aborts it, not the caller's.
        this.bounded = new TransactionTemplate(transactions);
        this.bounded.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.bounded.setReadOnly(true);
        this.scanBudgetMillis = Math.max(1, scanBudget.toMillis());
    }

    /** A message found, with the conversation it opens in. */
    public record MessageHit(UUID messageId, UUID conversationId, UUID contactId, String direction, String type, String body, Instant sentAt) {
    }

    /** A contact found, with their latest conversation the member may see. */
    public record ContactHit(UUID contactId, UUID conversationId, Instant lastMessageAt) {
    }

    public record Results(List<ContactHit> contacts, List<MessageHit> messages, String nextCursor) {
    }

    public Results search(String text, String cursor) {
        String query = tsQuery(text);
        if (query == null) {
            return new Results(List.of(), List.of(), null);
        }
        Actor actor = TenantContext.actor();
        Conversations.Cursor after = Conversations.Cursor.parse(cursor);
        List<MessageHit> messages = messages(RECENT_FIRST, query, after, actor, null);
        if (messages.size() <= PAGE) {
            messages = newestDay(query, after, actor);
        }
        if (messages.size() <= PAGE) {
            messages = messages(BY_WORDS, query, after, actor, null);
        }
        String next = null;
        if (messages.size() > PAGE) {
            MessageHit last = messages.get(PAGE - 1);
            next = new Conversations.Cursor(last.sentAt(), last.messageId()).encode();
            messages = messages.subList(0, PAGE);
        }
        List<ContactHit> contacts = after != null ? List.of() : contacts(text.strip().toLowerCase(Locale.ROOT), actor);
        return new Results(contacts, messages, next);
    }

    /**
     * How many of the newest messages (after the cursor) the first attempt reads in order. A word found in more than
     * one in {@value #RECENT_WINDOW}/{@value #PAGE} of them fills a page there, without touching the other matches.
     */
    static final int RECENT_WINDOW = 4000;

    /**
     * Two ways to the same page, each fast where the other is slow. Common words: read the newest messages in order
     * (index {@code messages_by_time}) and keep those that match; the page is full long before the window ends.
     * Rare words: fetch every match from the full-text index and sort them; there are few. The planner cannot choose
     * between them reliably (it guesses the frequency of a word it has no statistics for), so the search tries the
     * first within a bounded window and, if the page is not full there, runs the second. Both answer the newest
     * matches first, so the page is the same whichever way it was found.
     */
    private static final String RECENT_FIRST = """
            select m.id, m.conversation_id, m.contact_id, m.direction, m.type, m.body, m.sent_at
              from (select * from published_messages m
                     where m.tenant_id = :tenant
                       and (cast(:afterAt as timestamptz) is null or (m.sent_at, m.id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid)))
                     order by m.sent_at desc, m.id desc
                     limit :window) m
              join conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id
             where to_tsvector('simple', coalesce(m.body, '')) @@ to_tsquery('simple', :query)
               and """ + Conversations.VISIBLE + """
             order by m.sent_at desc, m.id desc
             limit :limit
            """;

    private static final String BY_WORDS = byWords("");

    /**
     * Every full-text match (with {@code andAlso}, a further condition on {@code m}), through the GIN index as a
     * materialised set, then the newest page of those the member may see.
     */
    private static String byWords(String andAlso) {
        return """
            with found as materialized (
                select m.id, m.tenant_id, m.conversation_id, m.contact_id, m.direction, m.type, m.body, m.sent_at
                  from published_messages m
                 where m.tenant_id = :tenant
            """ + andAlso + """
                   and to_tsvector('simple', coalesce(m.body, '')) @@ to_tsquery('simple', :query)
                   and (cast(:afterAt as timestamptz) is null or (m.sent_at, m.id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid))))
            select m.id, m.conversation_id, m.contact_id, m.direction, m.type, m.body, m.sent_at
              from found m
              join conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id
             where """ + Conversations.VISIBLE + """
             order by m.sent_at desc, m.id desc
             limit :limit
            """;
    }

    /**
     * The second attempt, for words too rare for the newest messages and too common to fetch and sort every match: the
     * full-text matches of one day only (UTC), the day of the newest message (or of the cursor), through the index
     * {@code messages_search_by_day} (V24), which holds each message's day beside its words, so that the day's matches
     * come out of the index without reading the other days' ones. That day's matches are the newest matches: if they
     * fill a page, it is the page. Answers fewer than a page and one when they do not (the full query then answers).
     * Only one day: each further day costs the index another pass over the words' entries (measured: 23 days of a
     * common pair of words took 2.4 s), more than reading every match.
     */
    private List<MessageHit> newestDay(String query, Conversations.Cursor after, Actor actor) {
        Instant newest = after != null ? after.at()
                : jdbc.sql("select max(sent_at) as newest from published_messages where tenant_id = :tenant").param("tenant", actor.tenantId())
                        .query((rs, n) -> Sql.instant(rs, "newest")).single();
        if (newest == null) {
            return List.of();
        }
        return messages(NEWEST_DAY, query, after, actor, LocalDate.ofInstant(newest, ZoneOffset.UTC).toString());
    }

    private static final String NEWEST_DAY = byWords("       and (m.sent_at at time zone 'UTC')::date = cast(:day as date)\n");

    private List<MessageHit> messages(String sql, String query, Conversations.Cursor after, Actor actor, String day) {
        return jdbc.sql(sql)
                .param("tenant", actor.tenantId()).param("query", query).param("window", RECENT_WINDOW).param("day", day)
                .param("afterAt", after == null ? null : Sql.ts(after.at())).param("afterId", after == null ? null : after.id())
                .param("seeAll", Conversations.seesAll(actor)).param("me", actor.userId()).param("limit", PAGE + 1)
                .query((rs, n) -> new MessageHit(Sql.uuid(rs, "id"), Sql.uuid(rs, "conversation_id"), Sql.uuid(rs, "contact_id"),
                        rs.getString("direction"), rs.getString("type"), rs.getString("body"), Sql.instant(rs, "sent_at")))
                .list();
    }

    private List<ContactHit> contacts(String text, Actor actor) {
        String digits = text.replaceAll("[^0-9]", "");
        String needle = digits.length() >= 4 && digits.length() >= text.replaceAll("[\\s+()-]", "").length() ? digits : text;
        if (needle.length() < 2) {
            return List.of();
        }
        // Like messages, two ways to the same answer: contacts of the newest conversations first (a common name is
        // found there), else every contact whose name or number matches, each with its latest conversation.
        List<ContactHit> recent = new ArrayList<>();
        java.util.Set<UUID> seen = new java.util.HashSet<>();
        for (ContactHit hit : contactQuery(RECENT_CONTACTS, needle, actor)) {
            // Newest conversations first: a contact's first row is its latest conversation the member may see.
            if (seen.add(hit.contactId()) && recent.size() < CONTACTS) {
                recent.add(hit);
            }
        }
        if (recent.size() == CONTACTS) {
            return recent;
        }
        if (readableByTrigrams(needle)) {
            return contactQuery(ALL_CONTACTS, needle, actor);
        }
        return scanned(needle, actor).orElse(recent);
    }

    /**
     * Every contact tested in turn, for a name the trigram index cannot read, within a time budget
     * ({@code hexa.inbox.search.name-scan-budget}, 150 ms): a workspace of some tens of thousands of contacts gets its
     * answer; a larger one gets the contacts of its newest conversations (empty when the budget ran out).
     */
    private java.util.Optional<List<ContactHit>> scanned(String needle, Actor actor) {
        try {
            return java.util.Optional.ofNullable(bounded.execute(status -> {
                jdbc.sql("select set_config('statement_timeout', :budget, true)").param("budget", scanBudgetMillis + "ms")
                        .query(String.class).single();
                return contactQuery(SCANNED_CONTACTS, needle, actor);
            }));
        } catch (org.springframework.dao.DataAccessException e) {
            if (e instanceof QueryTimeoutException || "57014".equals(sqlState(e))) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    private static String sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException) {
                return ((java.sql.SQLException) cause).getSQLState();
            }
        }
        return null;
    }

    /**
     * Whether the trigram index can look the text up. The database's character type is C, in which pg_trgm reads only
     * ASCII letters and digits: a name in Devanagari, Arabic or Gujarati has no trigrams, the index answers every
     * contact and each is tested (12.7 s at a million contacts, measured). Such names are looked for among the
     * contacts of the newest conversations, then over every contact by a scan within a time budget; messages are
     * searched whatever the script.
     */
    private boolean readableByTrigrams(String needle) {
        return jdbc.sql("select cardinality(show_trgm(:needle)) > 0").param("needle", needle).query(Boolean.class).single();
    }

    static final int CONTACTS = 10;

    private static final String CONTACT_MATCHES = " lower(coalesce(k.name, '') || ' ' || coalesce(k.profile_name, '') || ' ' || coalesce(k.phone_e164, '')"
            + " || ' ' || coalesce(k.whatsapp_user_id, '')) like :pattern\n";

    private static final String RECENT_CONTACTS = """
            select k.id as contact_id, c.id as conversation_id, c.last_message_at
              from (select * from conversations c
                     where c.tenant_id = :tenant and """ + Conversations.VISIBLE + """
                     order by c.last_message_at desc, c.id desc
                     limit :window) c
              join published_contacts k on k.tenant_id = c.tenant_id and k.id = c.contact_id
             where """ + CONTACT_MATCHES + """
             order by c.last_message_at desc, c.id desc
             limit 200
            """;

    private static final String ALL_CONTACTS = """
            select k.id as contact_id, lc.id as conversation_id, lc.last_message_at
              from published_contacts k
              join lateral (select c.id, c.last_message_at from conversations c
                             where c.tenant_id = k.tenant_id and c.contact_id = k.id and """ + Conversations.VISIBLE + """
                             order by c.last_message_at desc limit 1) lc on true
             where k.tenant_id = :tenant
               and """ + CONTACT_MATCHES + """
             order by lc.last_message_at desc
             limit 10
            """;

    /**
     * {@link #ALL_CONTACTS} written so that no index applies (the trigram index would answer every contact, each then
     * read at random): a scan of the workspace's contacts in table order, much cheaper per row.
     */
    private static final String SCANNED_CONTACTS = ALL_CONTACTS.replace(CONTACT_MATCHES,
            CONTACT_MATCHES.replace(" like :pattern", " || '' like :pattern"));

    private List<ContactHit> contactQuery(String sql, String needle, Actor actor) {
        return jdbc.sql(sql)
                .param("tenant", actor.tenantId()).param("pattern", Sql.likeContains(needle)).param("window", RECENT_WINDOW)
                .param("seeAll", Conversations.seesAll(actor)).param("me", actor.userId())
                .query((rs, n) -> new ContactHit(Sql.uuid(rs, "contact_id"), Sql.uuid(rs, "conversation_id"), Sql.instant(rs, "last_message_at")))
                .list();
    }

    /**
     * What people type, as a full-text query: words (letters and digits of any script) joined by AND,
     * the last one a prefix. Anything else is dropped, so no input can break the query syntax.
     */
    static String tsQuery(String text) {
        if (text == null) {
            return null;
        }
        List<String> words = new ArrayList<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}\\p{M}]+")) {
            if (!word.isEmpty() && words.size() < 8) {
                words.add(word);
            }
        }
        if (words.isEmpty()) {
            return null;
        }
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            terms.add(words.get(i) + (i == words.size() - 1 ? ":*" : ""));
        }
        return String.join(" & ", terms);
    }
}
