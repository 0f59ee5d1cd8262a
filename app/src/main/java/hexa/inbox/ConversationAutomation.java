package hexa.inbox;

import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.platform.access.Permission;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What automation (rules, flows) does to conversations, as the workspace itself rather than a member: the same use
 * cases members have (assign, status, snooze) with the same checks and events, plus a round-robin hand-out, notes
 * signed by the automation that wrote them (no member is their author) and a chatbot's hand-over to people. The
 * caller acts as the system ({@code Actor.system}), which sees every conversation.
 */
@Service
public class ConversationAutomation {

    private final ConversationService conversations;
    private final Conversations rows;
    private final MemberService members;
    private final NoteService notes;
    private final InboxSettings settings;
    private final JdbcClient jdbc;

    ConversationAutomation(ConversationService conversations, Conversations rows, MemberService members, NoteService notes,
                           InboxSettings settings, JdbcClient jdbc) {
        this.conversations = conversations;
        this.rows = rows;
        this.members = members;
        this.notes = notes;
        this.settings = settings;
        this.jdbc = jdbc;
    }

    public Optional<Conversation> find(UUID id) {
        return rows.any(id);
    }

    /** These conversations, by id (those that exist), in one read. */
    public Map<UUID, Conversation> findAll(Collection<UUID> ids) {
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
     * A private note signed {@code byName} (the automation that writes it, e.g. a rule: no member is its author, so
     * nobody can edit it as theirs), and a notification to each member of {@code notify}. Answers the note's id.
     */
    @Transactional
    public UUID note(UUID id, String byName, String body, List<UUID> notify) {
        conversations.get(id);
        UUID note = notes.addAutomatic(id, body, byName).id();
        for (UUID member : notify) {
            conversations.notify(member, "MENTION", id, note);
        }
        return note;
    }

    /**
     * Automation handing a conversation over to people (a chatbot flow's last step): the conversation goes to the team
     * (null: none), with a private note of what the automation collected, written in its name ({@code byName}). Joins
     * the caller's transaction and does not fail it: a team deleted meanwhile leaves the conversation where it is (the
     * note still tells the agents). Answers false when the conversation is gone.
     */
    @Transactional
    public boolean handOver(UUID conversationId, UUID teamId, String note, String byName) {
        if (conversations.find(conversationId).isEmpty()) {
            return false;
        }
        if (teamId != null && settings.teams().stream().anyMatch(t -> t.id().equals(teamId))) {
            conversations.assignTeam(conversationId, teamId);
        }
        notes.addAutomatic(conversationId, note, byName);
        return true;
    }
}
