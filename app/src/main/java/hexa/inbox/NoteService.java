package hexa.inbox;

import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.database.Sql;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Private notes in conversations. Writing {@code @Name} (a member's name or the part of their email
 * before the @) mentions that member, who is notified. Only the author edits a note.
 */
@Service
public class NoteService {

    static final int MAX = 4000;

    private final ConversationService conversations;
    private final MemberService members;
    private final JdbcClient jdbc;
    private final LiveUpdates live;
    private final Clock clock;

    NoteService(ConversationService conversations, MemberService members, JdbcClient jdbc, LiveUpdates live, Clock clock) {
        this.conversations = conversations;
        this.members = members;
        this.jdbc = jdbc;
        this.live = live;
        this.clock = clock;
    }

    @Transactional
    public Note add(UUID conversationId, String body) {
        conversations.get(conversationId);
        Actor actor = TenantContext.actor();
        if (actor.userId() == null) {
            throw new UserError(HttpStatus.UNPROCESSABLE_ENTITY, "person_only", "inbox.note.person-only");
        }
        String text = check(body);
        UUID id = Ids.newId();
        Instant now = clock.instant();
        jdbc.sql("""
                insert into conversation_notes (tenant_id, id, conversation_id, author_id, body, created_at)
                values (:tenant, :id, :conversation, :author, :body, :now)
                """)
                .param("tenant", actor.tenantId()).param("id", id).param("conversation", conversationId)
                .param("author", actor.userId()).param("body", text).param("now", Sql.ts(now)).update();
        for (UUID mentioned : mentioned(text)) {
            if (!mentioned.equals(actor.userId())) {
                conversations.notify(mentioned, "MENTION", conversationId, id);
            }
        }
        live.publish(actor.tenantId(), "conversation", conversationId);
        return note(id);
    }

    /**
     * A note written by automation (a chatbot flow handing the conversation over with the customer's answers): no member
     * is its author, {@code byName} says what wrote it. Joins the caller's transaction.
     */
    @Transactional
    public Note addAutomatic(UUID conversationId, String body, String byName) {
        conversations.find(conversationId).orElseThrow(hexa.platform.web.NotFoundException::new);
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into conversation_notes (tenant_id, id, conversation_id, author_id, author_label, body, created_at)
                values (:tenant, :id, :conversation, null, :label, :body, :now)
                """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("conversation", conversationId)
                .param("label", byName).param("body", check(body)).param("now", Sql.ts(clock.instant())).update();
        live.publish(TenantContext.tenantId(), "conversation", conversationId);
        return note(id);
    }

    @Transactional
    public Note edit(UUID noteId, String body) {
        Note note = note(noteId);
        conversations.get(note.conversationId());
        if (!java.util.Objects.equals(note.authorId(), TenantContext.actor().userId()) || note.authorId() == null) {
            throw new UserError(HttpStatus.FORBIDDEN, "not_author", "inbox.note.not-author");
        }
        jdbc.sql("update conversation_notes set body = :body, edited_at = :now where tenant_id = :tenant and id = :id")
                .param("body", check(body)).param("now", Sql.ts(clock.instant()))
                .param("tenant", TenantContext.tenantId()).param("id", noteId).update();
        live.publish(TenantContext.tenantId(), "conversation", note.conversationId());
        return note(noteId);
    }

    public List<Note> inConversation(UUID conversationId) {
        conversations.get(conversationId);
        return named(jdbc.sql(SELECT + " where n.tenant_id = :tenant and n.conversation_id = :conversation order by n.created_at, n.id")
                .param("tenant", TenantContext.tenantId()).param("conversation", conversationId).query(NoteService::row).list());
    }

    /** A mention or an assignment the member has not opened yet. */
    public record Notification(UUID id, String kind, UUID conversationId, String actorName, Instant createdAt) {
    }

    public List<Notification> unreadNotifications(int limit) {
        Actor actor = TenantContext.actor();
        java.util.Map<UUID, String> names = names();
        return jdbc.sql("""
                select n.id, n.kind, n.conversation_id, n.actor_id, n.created_at
                  from inbox_notifications n
                 where n.tenant_id = :tenant and n.user_id = :me and n.read_at is null
                 order by n.created_at desc limit :limit
                """)
                .param("tenant", actor.tenantId()).param("me", actor.userId()).param("limit", limit)
                .query((rs, n) -> new Notification(Sql.uuid(rs, "id"), rs.getString("kind"), Sql.uuid(rs, "conversation_id"),
                        names.get(Sql.uuid(rs, "actor_id")), Sql.instant(rs, "created_at")))
                .list();
    }

    /** Opening a conversation settles the member's notifications about it. */
    @Transactional
    public void notificationsSeen(UUID conversationId) {
        Actor actor = TenantContext.actor();
        if (actor.userId() == null) {
            return;
        }
        jdbc.sql("""
                update inbox_notifications set read_at = :now
                 where tenant_id = :tenant and user_id = :me and conversation_id = :conversation and read_at is null
                """)
                .param("now", Sql.ts(clock.instant())).param("tenant", actor.tenantId()).param("me", actor.userId())
                .param("conversation", conversationId).update();
    }

    /** A member one may mention: their name, and what to write after the @ so that {@link #mentioned} finds exactly them. */
    public record Mentionable(UUID userId, String name, String mention) {
    }

    /**
     * The workspace's members who use the inbox (so may read the note), other than the writer, whose name
     * (any word of it) or email handle starts with {@code typed}; at most {@code limit}, by name. The
     * mention is the name when no other member has it, else the email handle.
     */
    public List<Mentionable> mentionable(String typed, int limit) {
        String prefix = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
        UUID me = TenantContext.actor().userId();
        List<Member> candidates = members.members().stream().filter(m -> m.active() && m.role().can(Permission.USE_INBOX)).toList();
        java.util.Map<String, Long> sameName = candidates.stream()
                .collect(java.util.stream.Collectors.groupingBy(m -> m.name().toLowerCase(Locale.ROOT), java.util.stream.Collectors.counting()));
        return candidates.stream()
                .filter(m -> !m.userId().equals(me))
                .filter(m -> prefix.isEmpty() || handle(m).startsWith(prefix) || m.name().toLowerCase(Locale.ROOT).startsWith(prefix)
                        || java.util.Arrays.stream(m.name().toLowerCase(Locale.ROOT).split("\\s+")).anyMatch(w -> w.startsWith(prefix)))
                .sorted(java.util.Comparator.comparing((Member m) -> m.name().toLowerCase(Locale.ROOT)))
                .limit(limit)
                .map(m -> new Mentionable(m.userId(), m.name(), sameName.get(m.name().toLowerCase(Locale.ROOT)) == 1 ? m.name() : handle(m)))
                .toList();
    }

    private static String handle(Member member) {
        return member.email().toLowerCase(Locale.ROOT).split("@", 2)[0];
    }

    /** Members named in the text with @: by full name (longest first) or by the part of their email before the @. */
    Set<UUID> mentioned(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        Set<UUID> found = new LinkedHashSet<>();
        for (Member member : members.members()) {
            if (!member.active() || !member.role().can(Permission.USE_INBOX)) {
                continue;
            }
            String name = "@" + member.name().toLowerCase(Locale.ROOT);
            String handle = "@" + member.email().toLowerCase(Locale.ROOT).split("@", 2)[0];
            if (mentions(lower, name) || mentions(lower, handle)) {
                found.add(member.userId());
            }
        }
        return found;
    }

    /** The mention must end at a word boundary: "@ann" does not mention Anna. */
    private static boolean mentions(String text, String mention) {
        int at = text.indexOf(mention);
        while (at >= 0) {
            int end = at + mention.length();
            if (end == text.length() || !Character.isLetterOrDigit(text.charAt(end))) {
                return true;
            }
            at = text.indexOf(mention, at + 1);
        }
        return false;
    }

    private static String check(String body) {
        String text = body == null ? "" : body.strip();
        if (text.isEmpty() || text.length() > MAX) {
            throw UserError.invalid("inbox.note.invalid", MAX);
        }
        return text;
    }

    private Note note(UUID id) {
        return named(List.of(jdbc.sql(SELECT + " where n.tenant_id = :tenant and n.id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(NoteService::row).optional()
                .orElseThrow(NotFoundException::new))).get(0);
    }

    private java.util.Map<UUID, String> names() {
        java.util.Map<UUID, String> names = new java.util.HashMap<>();
        members.members().forEach(m -> names.put(m.userId(), m.name()));
        return names;
    }

    private List<Note> named(List<Note> notes) {
        java.util.Map<UUID, String> names = names();
        return notes.stream().map(n -> new Note(n.id(), n.conversationId(), n.authorId(),
                n.authorId() == null ? n.authorName() : names.getOrDefault(n.authorId(), ""), n.body(),
                n.createdAt(), n.editedAt())).toList();
    }

    private static final String SELECT = """
            select n.id, n.conversation_id, n.author_id, n.author_label, n.body, n.created_at, n.edited_at
              from conversation_notes n
            """;

    private static Note row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Note(Sql.uuid(rs, "id"), Sql.uuid(rs, "conversation_id"), Sql.uuid(rs, "author_id"), rs.getString("author_label"),
                rs.getString("body"), Sql.instant(rs, "created_at"), Sql.instant(rs, "edited_at"));
    }
}
