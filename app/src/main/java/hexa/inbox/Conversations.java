package hexa.inbox;

import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.access.Permission;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The conversations table as the inbox reads it: one conversation, the list (keyset pages that read
 * an index in order and stop), and unread counts, always limited to what the acting member may see.
 */
@Repository
class Conversations {

    /**
     * Who sees what: members who may see everything; everyone else their own conversations, the
     * unassigned ones of no team, and all of their teams'.
     */
    static final String VISIBLE = """
            (:seeAll or c.assignee_id = cast(:me as uuid)
               or (c.assignee_id is null and c.team_id is null)
               or c.team_id in (select tm.team_id from team_members tm where tm.tenant_id = c.tenant_id and tm.user_id = cast(:me as uuid)))
            """;

    private static final String COLUMNS = """
            c.id, c.contact_id, c.connection_id, c.status, c.assignee_id, c.team_id, c.snoozed_until, c.opened_at, c.last_message_at,
            c.last_inbound_at, c.last_outbound_at, c.last_read_inbound_at, c.resolved_at, c.last_inbound_received_at,
            array(select t.tag from conversation_tags t where t.tenant_id = c.tenant_id and t.conversation_id = c.id order by t.tag) as tags
            """;

    private final JdbcClient jdbc;

    Conversations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Conversation> visible(UUID id) {
        Actor actor = TenantContext.actor();
        return jdbc.sql("select " + COLUMNS + " from conversations c where c.tenant_id = :tenant and c.id = :id and " + VISIBLE)
                .param("tenant", actor.tenantId()).param("id", id)
                .param("seeAll", seesAll(actor)).param("me", actor.userId())
                .query(Conversations::conversation).optional();
    }

    /** Without the visibility rule: for the workspace's own background work. */
    Optional<Conversation> any(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from conversations c where c.tenant_id = :tenant and c.id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id)
                .query(Conversations::conversation).optional();
    }

    /** These conversations of the current workspace, by id (those that exist). */
    java.util.Map<UUID, Conversation> anyOf(java.util.Collection<UUID> ids) {
        java.util.Map<UUID, Conversation> found = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql("select " + COLUMNS + " from conversations c where c.tenant_id = :tenant and c.id = any(:ids)")
                    .param("tenant", TenantContext.tenantId()).param("ids", ids.toArray(new UUID[0]))
                    .query(Conversations::conversation).list().forEach(c -> found.put(c.id(), c));
        }
        return found;
    }

    List<Conversation> ofContact(UUID contactId, UUID except, int limit) {
        Actor actor = TenantContext.actor();
        return jdbc.sql("select " + COLUMNS + " from conversations c where c.tenant_id = :tenant and c.contact_id = :contact and c.id <> :except and "
                        + VISIBLE + " order by c.last_message_at desc limit :limit")
                .param("tenant", actor.tenantId()).param("contact", contactId).param("except", except)
                .param("seeAll", seesAll(actor)).param("me", actor.userId()).param("limit", limit)
                .query(Conversations::conversation).list();
    }

    /** The ids among these that the acting member may see. */
    List<UUID> visibleAmong(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Actor actor = TenantContext.actor();
        return jdbc.sql("select c.id from conversations c where c.tenant_id = :tenant and c.id = any(:ids) and " + VISIBLE)
                .param("tenant", actor.tenantId()).param("ids", ids.toArray(new UUID[0]))
                .param("seeAll", seesAll(actor)).param("me", actor.userId())
                .query(UUID.class).list();
    }

    /** A page of the list, after the cursor; answers one more row than asked when there is a next page. */
    List<ConversationRow> page(ConversationFilter filter, String cursor, int limit) {
        Actor actor = TenantContext.actor();
        boolean waiting = filter.sort() == ConversationFilter.Sort.WAITING;
        Cursor after = Cursor.parse(cursor);
        String sql = "select " + COLUMNS + """
                , case when lm.deleted_at is not null then 'deleted' else lm.type end as last_type, lm.body as last_body, lm.direction as last_direction, lm.status as last_status,
                  (select count(*) from (select 1 from published_messages m
                                          where m.tenant_id = c.tenant_id and m.conversation_id = c.id and m.direction = 'INBOUND'
                                            and m.sent_at > coalesce(c.last_read_inbound_at, '-infinity'::timestamptz)
                                            -- A message its sender deleted leaves nothing to read.
                                            and m.deleted_at is null
                                          limit 100) u) as unread
                  from conversations c
                  left join lateral (select m.type, m.body, m.direction, m.status, m.deleted_at from published_messages m
                                      where m.tenant_id = c.tenant_id and m.conversation_id = c.id
                                      order by m.sent_at desc, m.id desc limit 1) lm on true
                 where c.tenant_id = :tenant and c.status = :status
                """ + viewClause(filter.view())
                + filters(filter, after != null, waiting)
                + " and " + VISIBLE
                + (waiting
                    ? """
                       and c.last_inbound_at > coalesce(c.last_outbound_at, '-infinity'::timestamptz)
                     order by c.last_inbound_at, c.id
                    """
                    : """
                     order by c.last_message_at desc, c.id desc
                    """)
                + " limit :limit";
        return jdbc.sql(sql)
                .param("tenant", actor.tenantId()).param("status", filter.status().name())
                .param("me", actor.userId()).param("seeAll", seesAll(actor))
                .param("connection", filter.connectionId()).param("team", filter.teamId()).param("assignee", filter.assigneeId())
                .param("tag", filter.tag())
                .param("afterAt", after == null ? null : Sql.ts(after.at())).param("afterId", after == null ? null : after.id())
                .param("limit", limit)
                .query((rs, n) -> new ConversationRow(conversation(rs, n), rs.getString("last_type"), rs.getString("last_body"),
                        rs.getString("last_direction"), rs.getString("last_status"), rs.getInt("unread")))
                .list();
    }

    /** The cursor that continues the list after this row. */
    static String cursorAfter(ConversationRow row, ConversationFilter filter) {
        Conversation c = row.conversation();
        return new Cursor(filter.sort() == ConversationFilter.Sort.WAITING ? c.lastInboundAt() : c.lastMessageAt(), c.id()).encode();
    }

    /** Unread conversations in a view (with the given status), counted up to a cap. */
    int unreadIn(ConversationFilter.View view, Conversation.Status status, int cap) {
        Actor actor = TenantContext.actor();
        return jdbc.sql("select count(*) from (select 1 from conversations c where c.tenant_id = :tenant and c.status = :status"
                        + " and c.last_inbound_at > coalesce(c.last_read_inbound_at, '-infinity'::timestamptz)"
                        + viewClause(view) + " and " + VISIBLE + " limit :cap) u")
                .param("tenant", actor.tenantId()).param("status", status.name())
                .param("me", actor.userId()).param("seeAll", seesAll(actor)).param("cap", cap)
                .query(Integer.class).single();
    }

    /**
     * Only the conditions this filter has, written out: a condition like {@code (:tag is null or …)} cannot use an
     * index once the statement is prepared and planned for any value (PostgreSQL's generic plan), and an
     * {@code exists} under an {@code or} is never turned into a join, so a rare tag would scan every conversation
     * of the status.
     */
    private static String filters(ConversationFilter filter, boolean hasCursor, boolean waiting) {
        StringBuilder sql = new StringBuilder();
        if (filter.connectionId() != null) {
            sql.append(" and c.connection_id = cast(:connection as uuid)");
        }
        if (filter.teamId() != null) {
            sql.append(" and c.team_id = cast(:team as uuid)");
        }
        if (filter.assigneeId() != null) {
            sql.append(" and c.assignee_id = cast(:assignee as uuid)");
        }
        if (filter.tag() != null) {
            sql.append(" and exists (select 1 from conversation_tags t where t.tenant_id = c.tenant_id and t.conversation_id = c.id and t.tag = cast(:tag as text))");
        }
        if (hasCursor) {
            sql.append(waiting
                    ? " and (c.last_inbound_at, c.id) > (cast(:afterAt as timestamptz), cast(:afterId as uuid))"
                    : " and (c.last_message_at, c.id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid))");
        }
        return sql.append(' ').toString();
    }

    private static String viewClause(ConversationFilter.View view) {
        switch (view) {
            case MINE:
                return " and c.assignee_id = cast(:me as uuid) ";
            case UNASSIGNED:
                return " and c.assignee_id is null ";
            default:
                return " ";
        }
    }

    static boolean seesAll(Actor actor) {
        return actor.role() == null || actor.can(Permission.SEE_ALL_CONVERSATIONS);
    }

    static Conversation conversation(ResultSet rs, int row) throws SQLException {
        java.sql.Array tags = rs.getArray("tags");
        return new Conversation(Sql.uuid(rs, "id"), Sql.uuid(rs, "contact_id"), Sql.uuid(rs, "connection_id"),
                Conversation.Status.valueOf(rs.getString("status")), Sql.uuid(rs, "assignee_id"), Sql.uuid(rs, "team_id"),
                Sql.instant(rs, "snoozed_until"), Sql.instant(rs, "opened_at"), Sql.instant(rs, "last_message_at"),
                Sql.instant(rs, "last_inbound_at"), Sql.instant(rs, "last_outbound_at"), Sql.instant(rs, "last_read_inbound_at"),
                Sql.instant(rs, "resolved_at"), Sql.instant(rs, "last_inbound_received_at"),
                tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()));
    }

    /** A position in the list: the sort time and id of the last row shown, opaque to clients. */
    record Cursor(Instant at, UUID id) {
        String encode() {
            long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
            return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "_" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("_", 2);
                long micros = Long.parseLong(parts[0]);
                return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L),
                        UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw hexa.platform.web.UserError.invalid("inbox.cursor-invalid");
            }
        }
    }
}
