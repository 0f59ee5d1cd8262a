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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What members do with conversations: read the list, open one, assign it to a member or a team,
 * resolve, reopen, snooze, tag. Every use case sees only what the acting member may see (another's
 * conversation is "not found") and announces the change live.
 */
@Service
class ConversationService {

    public static final int PAGE = 25;
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _-]{0,49}");

    private final Conversations conversations;
    private final JdbcClient jdbc;
    private final MemberService members;
    private final LiveUpdates live;
    private final Clock clock;

    private final ApplicationEventPublisher events;

    ConversationService(Conversations conversations, JdbcClient jdbc, MemberService members, LiveUpdates live, Clock clock,
                        ApplicationEventPublisher events) {
        this.events = events;
        this.conversations = conversations;
        this.jdbc = jdbc;
        this.members = members;
        this.live = live;
        this.clock = clock;
    }

    /** A page of the list. */
    public record Page(List<ConversationRow> rows, String nextCursor) {
    }

    public Page list(ConversationFilter filter, String cursor, int size) {
        int limit = Math.max(1, Math.min(size, 100));
        List<ConversationRow> rows = conversations.page(filter, cursor, limit + 1);
        String next = rows.size() > limit ? Conversations.cursorAfter(rows.get(limit - 1), filter) : null;
        return new Page(rows.size() > limit ? rows.subList(0, limit) : rows, next);
    }

    /** Unread conversations per view for a status, capped (the page shows "99+"). */
    public java.util.Map<ConversationFilter.View, Integer> unreadCounts(Conversation.Status status) {
        java.util.Map<ConversationFilter.View, Integer> counts = new java.util.EnumMap<>(ConversationFilter.View.class);
        for (ConversationFilter.View view : views()) {
            counts.put(view, conversations.unreadIn(view, status, 100));
        }
        return counts;
    }

    /** The views the acting member has: Mine and Unassigned for everyone, All for those who see everything. */
    public List<ConversationFilter.View> views() {
        return Conversations.seesAll(TenantContext.actor())
                ? List.of(ConversationFilter.View.MINE, ConversationFilter.View.UNASSIGNED, ConversationFilter.View.ALL)
                : List.of(ConversationFilter.View.MINE, ConversationFilter.View.UNASSIGNED);
    }

    public Conversation get(UUID id) {
        return conversations.visible(id).orElseThrow(NotFoundException::new);
    }

    public Optional<Conversation> find(UUID id) {
        return conversations.visible(id);
    }

    /** The contact's other conversations, newest first (the side panel). */
    public List<Conversation> previous(Conversation conversation) {
        return conversations.ofContact(conversation.contactId(), conversation.id(), 10);
    }

    /** Which of these conversations the acting member may see (for live updates). */
    public List<UUID> visibleAmong(java.util.Collection<UUID> ids) {
        return conversations.visibleAmong(ids);
    }

    /** Gives the conversation to a member (null: nobody). The member must be active and able to use the inbox. */
    @Transactional
    public Conversation assign(UUID id, UUID assigneeId) {
        Conversation conversation = get(id);
        if (assigneeId != null) {
            Member member = members.members().stream().filter(m -> m.userId().equals(assigneeId) && m.active()).findFirst()
                    .orElseThrow(() -> UserError.invalid("inbox.assign.not-a-member"));
            if (!member.role().can(Permission.USE_INBOX)) {
                throw UserError.invalid("inbox.assign.no-inbox", member.name());
            }
        }
        if (java.util.Objects.equals(conversation.assigneeId(), assigneeId)) {
            return conversation;
        }
        update("assignee_id = cast(:value as uuid)", id, assigneeId);
        Actor actor = TenantContext.actor();
        if (assigneeId != null && !assigneeId.equals(actor.userId())) {
            notify(assigneeId, "ASSIGNED", id, null);
        }
        Conversation assigned = anyway(id);
        events.publishEvent(new ConversationAssigned(actor.tenantId(), id, assigneeId, assigned.teamId(), false));
        return assigned;
    }

    /** Gives the conversation to a team (null: no team). */
    @Transactional
    public Conversation assignTeam(UUID id, UUID teamId) {
        Conversation before = get(id);
        if (teamId != null) {
            boolean exists = jdbc.sql("select exists (select 1 from teams where tenant_id = :tenant and id = :id)")
                    .param("tenant", TenantContext.tenantId()).param("id", teamId).query(Boolean.class).single();
            if (!exists) {
                throw UserError.invalid("inbox.assign.no-such-team");
            }
        }
        if (java.util.Objects.equals(before.teamId(), teamId)) {
            return before;
        }
        update("team_id = cast(:value as uuid)", id, teamId);
        Conversation assigned = anyway(id);
        events.publishEvent(new ConversationAssigned(TenantContext.tenantId(), id, assigned.assigneeId(), teamId, false));
        return assigned;
    }

    @Transactional
    public Conversation resolve(UUID id) {
        Conversation conversation = get(id);
        if (conversation.status() == Conversation.Status.RESOLVED) {
            return conversation;
        }
        Instant now = clock.instant();
        jdbc.sql("""
                update conversations set status = 'RESOLVED', resolved_at = :now, snoozed_until = null
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("now", Sql.ts(now)).update();
        announce(id);
        events.publishEvent(new ConversationResolved(TenantContext.tenantId(), id, now));
        return anyway(id);
    }

    /** Back to open; a resolved conversation can come back only if the contact has no other live one on that number. */
    @Transactional
    public Conversation reopen(UUID id) {
        Conversation conversation = get(id);
        if (conversation.status() == Conversation.Status.OPEN) {
            return conversation;
        }
        try {
            jdbc.sql("update conversations set status = 'OPEN', resolved_at = null, snoozed_until = null where tenant_id = :tenant and id = :id")
                    .param("tenant", TenantContext.tenantId()).param("id", id).update();
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw new NewerConversationOpen();
        }
        announce(id);
        if (conversation.status() == Conversation.Status.RESOLVED) {
            events.publishEvent(new ConversationReopened(TenantContext.tenantId(), id, clock.instant()));
        }
        return anyway(id);
    }

    /** Waiting for the customer or someone else: out of the open list, back when they write. */
    @Transactional
    public Conversation pending(UUID id) {
        Conversation conversation = get(id);
        if (conversation.status() == Conversation.Status.RESOLVED) {
            throw new ReopenFirst();
        }
        jdbc.sql("update conversations set status = 'PENDING', snoozed_until = null where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).update();
        announce(id);
        return anyway(id);
    }

    /** Out of the open list until a time, or until the customer writes, whichever comes first. */
    @Transactional
    public Conversation snooze(UUID id, Instant until) {
        Conversation conversation = get(id);
        if (until == null || !until.isAfter(clock.instant())) {
            throw UserError.invalid("inbox.snooze.past");
        }
        if (conversation.status() == Conversation.Status.RESOLVED) {
            throw new ReopenFirst();
        }
        jdbc.sql("update conversations set status = 'SNOOZED', snoozed_until = :until where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).param("until", Sql.ts(until)).update();
        announce(id);
        return anyway(id);
    }

    @Transactional
    public Conversation tag(UUID id, String tag) {
        get(id);
        String clean = cleanTag(tag);
        jdbc.sql("insert into conversation_tags (tenant_id, conversation_id, tag) values (:tenant, :id, :tag) on conflict do nothing")
                .param("tenant", TenantContext.tenantId()).param("id", id).param("tag", clean).update();
        announce(id);
        return anyway(id);
    }

    @Transactional
    public Conversation untag(UUID id, String tag) {
        get(id);
        jdbc.sql("delete from conversation_tags where tenant_id = :tenant and conversation_id = :id and tag = :tag")
                .param("tenant", TenantContext.tenantId()).param("id", id)
                .param("tag", tag == null ? "" : tag.strip().toLowerCase(Locale.ROOT)).update();
        announce(id);
        return anyway(id);
    }

    /** Tags in use in the workspace, for filters and suggestions. */
    public List<String> tagsInUse() {
        return jdbc.sql("select distinct tag from conversation_tags where tenant_id = :tenant order by tag limit 200")
                .param("tenant", TenantContext.tenantId()).query(String.class).list();
    }

    /** Snoozed conversations whose time has come are open again. */
    @Scheduled(fixedDelayString = "${hexa.inbox.snooze-sweep:30s}", initialDelayString = "${hexa.inbox.snooze-sweep:30s}")
    @Transactional
    public void wakeSnoozed() {
        List<java.util.Map.Entry<UUID, UUID>> woken = jdbc.sql("""
                update conversations set status = 'OPEN', snoozed_until = null
                 where status = 'SNOOZED' and snoozed_until <= :now
                returning tenant_id, id
                """)
                .param("now", Sql.ts(clock.instant()))
                .query((rs, n) -> java.util.Map.entry(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"))).list();
        woken.forEach(w -> live.publish(w.getKey(), "conversation", w.getValue()));
    }

    static String cleanTag(String tag) {
        String clean = tag == null ? "" : tag.strip().toLowerCase(Locale.ROOT);
        if (!TAG.matcher(clean).matches()) {
            throw UserError.invalid("inbox.tag.invalid");
        }
        return clean;
    }

    private void update(String assignment, UUID id, UUID value) {
        jdbc.sql("update conversations set " + assignment + " where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).param("value", value).update();
        announce(id);
    }

    void notify(UUID userId, String kind, UUID conversationId, UUID noteId) {
        Actor actor = TenantContext.actor();
        jdbc.sql("""
                insert into inbox_notifications (tenant_id, id, user_id, kind, conversation_id, note_id, actor_id, created_at)
                values (:tenant, :id, :user, :kind, :conversation, :note, :actor, :now)
                """)
                .param("tenant", actor.tenantId()).param("id", Ids.newId()).param("user", userId).param("kind", kind)
                .param("conversation", conversationId).param("note", noteId).param("actor", actor.userId())
                .param("now", Sql.ts(clock.instant())).update();
        live.publish(actor.tenantId(), "notification", userId);
    }

    private void announce(UUID id) {
        live.publish(TenantContext.tenantId(), "conversation", id);
    }

    /** After a change the member may no longer see it (assigned away): answer its new state anyway. */
    private Conversation anyway(UUID id) {
        return conversations.any(id).orElseThrow(NotFoundException::new);
    }
}
