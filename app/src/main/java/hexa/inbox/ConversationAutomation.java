package hexa.inbox;

import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.database.Sql;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What automation (rules, flows) does to conversations, as the workspace itself rather than a member: the same use
 * cases members have (assign, status, snooze) with the same checks and events, plus a round-robin hand-out and notes
 * written on a member's behalf. The caller acts as the system ({@code Actor.system}), which sees every conversation.
 */
@Service
public class ConversationAutomation {

    private final ConversationService conversations;
    private final Conversations rows;
    private final MemberService members;
    private final JdbcClient jdbc;
    private final LiveUpdates live;
    private final Clock clock;

    ConversationAutomation(ConversationService conversations, Conversations rows, MemberService members, JdbcClient jdbc, LiveUpdates live,
                           Clock clock) {
        this.conversations = conversations;
        this.rows = rows;
        this.members = members;
        this.jdbc = jdbc;
        this.live = live;
        this.clock = clock;
    }

    public Optional<Conversation> find(UUID id) {
        return rows.any(id);
    }

    /** These conversations, by id (those that exist), in one read. */
    public java.util.Map<UUID, Conversation> findAll(java.util.Collection<UUID> ids) {
        return rows.anyOf(ids);
    }

    /** The contact's latest conversation (on any number), if they have one. */
    public Optional<Conversation> latestOf(UUID contactId) {
        return jdbc.sql("""
                select id from conversations where tenant_id = :tenant and contact_id = :contact
                 order by (status <> 'RESOLVED') desc, last_message_at desc nulls last, opened_at desc limit 1
                """)
                .param("tenant", TenantContext.tenantId()).param("contact", contactId).query(UUID.class).optional()
                .flatMap(rows::any);
    }

    /** The workspace's live conversations (open or pending), most recent first, at most {@code limit}: what a scheduled rule looks at. */
    public List<Conversation> live(int limit) {
        return jdbc.sql("""
                select id from conversations where tenant_id = :tenant and status in ('OPEN', 'PENDING')
                 order by last_message_at desc nulls last limit :limit
                """)
                .param("tenant", TenantContext.tenantId()).param("limit", limit).query(UUID.class).list().stream()
                .map(rows::any).flatMap(Optional::stream).toList();
    }

    public void assign(UUID id, UUID memberId) {
        conversations.assign(id, memberId);
    }

    public void assignTeam(UUID id, UUID teamId) {
        conversations.assignTeam(id, teamId);
    }

    /**
     * Gives the conversation to the available inbox member (of the team, when one is named) with the fewest open
     * conversations, the one who has waited longest for one on a tie; answers them, or empty when nobody is available.
     */
    @Transactional
    public Optional<Member> assignRoundRobin(UUID id, UUID teamId) {
        UUID tenant = TenantContext.tenantId();
        Set<UUID> away = new HashSet<>(jdbc.sql("select user_id from member_availability where tenant_id = :tenant and not available")
                .param("tenant", tenant).query(UUID.class).list());
        Set<UUID> inTeam = teamId == null ? null : new HashSet<>(jdbc.sql("select user_id from team_members where tenant_id = :tenant and team_id = :team")
                .param("tenant", tenant).param("team", teamId).query(UUID.class).list());
        List<Member> candidates = members.members().stream()
                .filter(m -> m.active() && m.role().can(Permission.USE_INBOX) && !away.contains(m.userId())
                        && (inTeam == null || inTeam.contains(m.userId())))
                .toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        UUID[] ids = candidates.stream().map(Member::userId).toArray(UUID[]::new);
        UUID next = jdbc.sql("""
                select u.id from unnest(cast(:ids as uuid[])) as u(id)
                  left join conversations c on c.tenant_id = :tenant and c.assignee_id = u.id and c.status <> 'RESOLVED'
                 group by u.id
                 order by count(c.id), max(c.opened_at) nulls first, u.id
                 limit 1
                """)
                .param("ids", ids).param("tenant", tenant).query(UUID.class).single();
        if (teamId != null) {
            conversations.assignTeam(id, teamId);
        }
        conversations.assign(id, next);
        return candidates.stream().filter(m -> m.userId().equals(next)).findFirst();
    }

    /** Sets the status: OPEN (reopens), PENDING or RESOLVED; SNOOZED goes through {@link #snooze}. */
    public void setStatus(UUID id, Conversation.Status status) {
        switch (status) {
            case OPEN -> conversations.reopen(id);
            case PENDING -> conversations.pending(id);
            case RESOLVED -> conversations.resolve(id);
            default -> throw UserError.invalid("inbox.automation.status-invalid", status.name());
        }
    }

    public void snooze(UUID id, Instant until) {
        conversations.snooze(id, until);
    }

    /**
     * A private note written on {@code authorId}'s behalf (an active member: the rule's author or an Owner), and a
     * notification to each member of {@code notify}. Answers the note's id.
     */
    @Transactional
    public UUID note(UUID id, UUID authorId, String body, List<UUID> notify) {
        conversations.get(id);
        String text = body == null ? "" : body.strip();
        if (text.isEmpty() || text.length() > NoteService.MAX) {
            throw UserError.invalid("inbox.note.invalid", NoteService.MAX);
        }
        UUID note = Ids.newId();
        jdbc.sql("""
                insert into conversation_notes (tenant_id, id, conversation_id, author_id, body, created_at)
                values (:tenant, :id, :conversation, :author, :body, :now)
                """)
                .param("tenant", TenantContext.tenantId()).param("id", note).param("conversation", id)
                .param("author", authorId).param("body", text).param("now", Sql.ts(clock.instant())).update();
        for (UUID member : notify) {
            conversations.notify(member, "MENTION", id, note);
        }
        live.publish(TenantContext.tenantId(), "conversation", id);
        return note;
    }
}
