package hexa.contacts;

import hexa.identity.MemberService;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * What happened with a contact, newest first: conversations (those the member may see), notes, field
 * and attribute changes, tags, merges and consent changes. Read a page at a time, each source by its
 * own index, continuing after a cursor (time and id of the last entry shown).
 */
@Service
public class ContactTimeline {

    public static final int PAGE = 50;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final ConversationsOfContacts conversations;
    private final MemberService members;

    ContactTimeline(JdbcClient jdbc, ConversationsOfContacts conversations, MemberService members) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.members = members;
    }

    /**
     * One line of the timeline. {@code kind} is {@code conversation}, {@code note}, {@code consent}, or a
     * contact event ({@code created}, {@code field_changed}, {@code attribute_changed}, {@code tag_added},
     * {@code tag_removed}, {@code merged}, and those other parts record, such as blocking).
     */
    public record Entry(String kind, UUID id, Instant at, String actorName, Map<String, Object> details) {

        public Object detail(String name) {
            return details.get(name);
        }

        public String text(String name) {
            Object value = details.get(name);
            return value == null ? "" : value.toString();
        }
    }

    public record Page(List<Entry> entries, String nextCursor) {
    }

    /** The caller has checked the contact. */
    public Page of(UUID contactId, String cursor, int limit) {
        Instant beforeAt = null;
        UUID beforeId = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("\\|", 2);
                beforeAt = Instant.parse(parts[0]);
                beforeId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw UserError.invalid("contacts.core.cursor-invalid");
            }
        }
        int size = Math.max(1, Math.min(limit, 200));
        List<Entry> entries = new ArrayList<>();
        UUID tenant = TenantContext.tenantId();
        for (ConversationsOfContacts.Summary c : conversations.visibleOf(contactId, beforeAt, beforeId, size + 1)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("conversationId", c.id().toString());
            details.put("status", c.status());
            details.put("messages", c.messages());
            details.put("lastMessageAt", c.lastMessageAt().toString());
            entries.add(new Entry("conversation", c.id(), c.openedAt(), null, details));
        }
        Map<UUID, String> names = new HashMap<>();
        members.members().forEach(m -> names.put(m.userId(), m.name()));
        Cursor after = new Cursor(tenant, contactId, beforeAt, beforeId, size + 1);
        entries.addAll(newestFirst("select id, author_id, author_name, body, created_at, updated_at from contact_notes", after, (rs, n) -> {
            UUID author = Sql.uuid(rs, "author_id");
            String name = author != null && names.containsKey(author) ? names.get(author) : rs.getString("author_name");
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("body", rs.getString("body"));
            Instant updated = Sql.instant(rs, "updated_at");
            Instant created = Sql.instant(rs, "created_at");
            details.put("edited", updated != null && !updated.equals(created));
            return new Entry("note", Sql.uuid(rs, "id"), created, name, details);
        }));
        entries.addAll(newestFirst("select id, kind, details, created_at from contact_events", after, (rs, n) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> details = new LinkedHashMap<>(JSON.readValue(rs.getString("details"), Map.class));
            Object actor = details.remove("actorName");
            return new Entry(rs.getString("kind"), Sql.uuid(rs, "id"), Sql.instant(rs, "created_at"), actor == null ? null : actor.toString(), details);
        }));
        entries.addAll(newestFirst("select id, status, source, actor_id, detail, created_at from contact_consent_events", after, (rs, n) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", rs.getString("status"));
            details.put("source", rs.getString("source"));
            details.put("detail", rs.getString("detail"));
            return new Entry("consent", Sql.uuid(rs, "id"), Sql.instant(rs, "created_at"), names.get(Sql.uuid(rs, "actor_id")), details);
        }));
        entries.sort(Comparator.comparing(Entry::at).thenComparing(Entry::id).reversed());
        if (entries.size() <= size) {
            return new Page(entries, null);
        }
        List<Entry> page = List.copyOf(entries.subList(0, size));
        Entry last = page.get(size - 1);
        String next = Base64.getUrlEncoder().withoutPadding().encodeToString((last.at() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        return new Page(page, next);
    }

    /** Which contact, and where the page starts: strictly before (at, id) when given. */
    private record Cursor(UUID tenant, UUID contact, Instant at, UUID id, int limit) {
    }

    /** One source of the timeline, a contact's rows by (created_at, id), newest first, from the cursor on. */
    private <T> List<T> newestFirst(String select, Cursor cursor, org.springframework.jdbc.core.RowMapper<T> row) {
        return jdbc.sql(select + """
                 where tenant_id = :tenant and contact_id = :contact
                   and (cast(:at as timestamptz) is null or (created_at, id) < (cast(:at as timestamptz), cast(:id as uuid)))
                 order by created_at desc, id desc limit :limit
                """)
                .param("tenant", cursor.tenant()).param("contact", cursor.contact()).param("at", ts(cursor.at())).param("id", cursor.id())
                .param("limit", cursor.limit())
                .query(row).list();
    }

    private static java.time.OffsetDateTime ts(Instant instant) {
        return instant == null ? null : Sql.ts(instant);
    }
}
