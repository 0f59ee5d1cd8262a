package hexa.inbox;

import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Search over what the acting member may see: messages by their words (every word must appear; the
 * last may be the start of a word, as people type), newest first in pages, and conversations by the
 * contact's name or number.
 */
@Service
public class InboxSearch {

    public static final int PAGE = 25;

    private final JdbcClient jdbc;

    InboxSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
        List<MessageHit> messages = jdbc.sql("""
                select m.id, m.conversation_id, m.contact_id, m.direction, m.type, m.body, m.sent_at
                  from messages m
                  join conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id
                 where m.tenant_id = :tenant
                   and to_tsvector('simple', coalesce(m.body, '')) @@ to_tsquery('simple', :query)
                   and (cast(:afterAt as timestamptz) is null or (m.sent_at, m.id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid)))
                   and """ + Conversations.VISIBLE + """
                 order by m.sent_at desc, m.id desc
                 limit :limit
                """)
                .param("tenant", actor.tenantId()).param("query", query)
                .param("afterAt", after == null ? null : Sql.ts(after.at())).param("afterId", after == null ? null : after.id())
                .param("seeAll", Conversations.seesAll(actor)).param("me", actor.userId()).param("limit", PAGE + 1)
                .query((rs, n) -> new MessageHit(Sql.uuid(rs, "id"), Sql.uuid(rs, "conversation_id"), Sql.uuid(rs, "contact_id"),
                        rs.getString("direction"), rs.getString("type"), rs.getString("body"), Sql.instant(rs, "sent_at")))
                .list();
        String next = null;
        if (messages.size() > PAGE) {
            MessageHit last = messages.get(PAGE - 1);
            next = new Conversations.Cursor(last.sentAt(), last.messageId()).encode();
            messages = messages.subList(0, PAGE);
        }
        List<ContactHit> contacts = after != null ? List.of() : contacts(text.strip().toLowerCase(Locale.ROOT), actor);
        return new Results(contacts, messages, next);
    }

    private List<ContactHit> contacts(String text, Actor actor) {
        String digits = text.replaceAll("[^0-9]", "");
        String needle = digits.length() >= 4 && digits.length() >= text.replaceAll("[\\s+()-]", "").length() ? digits : text;
        if (needle.length() < 2) {
            return List.of();
        }
        return jdbc.sql("""
                select k.id as contact_id, lc.id as conversation_id, lc.last_message_at
                  from contacts k
                  join lateral (select c.id, c.last_message_at from conversations c
                                 where c.tenant_id = k.tenant_id and c.contact_id = k.id and """ + Conversations.VISIBLE + """
                                 order by c.last_message_at desc limit 1) lc on true
                 where k.tenant_id = :tenant
                   and lower(coalesce(k.name, '') || ' ' || coalesce(k.profile_name, '') || ' ' || coalesce(k.phone_e164, '') || ' ' || coalesce(k.whatsapp_user_id, ''))
                       like :pattern
                 order by lc.last_message_at desc
                 limit 10
                """)
                .param("tenant", actor.tenantId()).param("pattern", Sql.likeContains(needle))
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
