package hexa.inbox;

import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.platform.access.Permission;
import hexa.platform.database.Sql;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.TenantContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gives new conversations to people by their number's rule: round-robin among the available
 * members (of the rule's team, when it names one), in a fixed order that continues after whoever got
 * the last one. With no rule, or no one available, the conversation waits in Unassigned (with the
 * rule's team, if any). Runs in the transaction that opened the conversations; the rule's row lock
 * keeps two nodes from handing out the same turn.
 */
@Component
class Assignment {

    private final JdbcClient jdbc;
    private final MemberService members;
    private final LiveUpdates live;
    private final ConversationService conversations;
    private final ApplicationEventPublisher events;

    Assignment(JdbcClient jdbc, MemberService members, LiveUpdates live, ConversationService conversations, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
        this.members = members;
        this.live = live;
        this.conversations = conversations;
    }

    /** New conversations (id → the number they are on), oldest first. */
    void assignNew(Map<UUID, UUID> opened) {
        if (opened.isEmpty()) {
            return;
        }
        UUID tenant = TenantContext.tenantId();
        List<Member> inbox = null;
        Set<UUID> away = null;
        for (Map.Entry<UUID, UUID> conversation : opened.entrySet()) {
            var rule = jdbc.sql("""
                    select mode, team_id, last_assigned_user_id from assignment_rules
                     where tenant_id = :tenant and connection_id = :connection for update
                    """)
                    .param("tenant", tenant).param("connection", conversation.getValue())
                    .query((rs, n) -> new Object[] {rs.getString("mode"), Sql.uuid(rs, "team_id"), Sql.uuid(rs, "last_assigned_user_id")})
                    .optional();
            if (rule.isEmpty()) {
                continue;
            }
            UUID team = (UUID) rule.get()[1];
            if (team != null) {
                jdbc.sql("update conversations set team_id = :team where tenant_id = :tenant and id = :id")
                        .param("team", team).param("tenant", tenant).param("id", conversation.getKey()).update();
            }
            if (!"ROUND_ROBIN".equals(rule.get()[0])) {
                if (team != null) {
                    events.publishEvent(new ConversationAssigned(tenant, conversation.getKey(), null, team, true));
                }
                continue;
            }
            if (inbox == null) {
                inbox = members.members().stream().filter(m -> m.active() && m.role().can(Permission.USE_INBOX))
                        .sorted(Comparator.comparing(Member::userId)).toList();
                away = new HashSet<>(jdbc.sql("select user_id from member_availability where tenant_id = :tenant and not available")
                        .param("tenant", tenant).query(UUID.class).list());
            }
            Set<UUID> inTeam = team == null ? null : new HashSet<>(jdbc.sql("select user_id from team_members where tenant_id = :tenant and team_id = :team")
                    .param("tenant", tenant).param("team", team).query(UUID.class).list());
            List<UUID> candidates = new ArrayList<>();
            for (Member member : inbox) {
                if (!away.contains(member.userId()) && (inTeam == null || inTeam.contains(member.userId()))) {
                    candidates.add(member.userId());
                }
            }
            if (candidates.isEmpty()) {
                if (team != null) {
                    events.publishEvent(new ConversationAssigned(tenant, conversation.getKey(), null, team, true));
                }
                continue;
            }
            UUID last = (UUID) rule.get()[2];
            UUID next = candidates.stream().filter(c -> last != null && c.compareTo(last) > 0).findFirst().orElse(candidates.get(0));
            jdbc.sql("update conversations set assignee_id = :user where tenant_id = :tenant and id = :id and assignee_id is null")
                    .param("user", next).param("tenant", tenant).param("id", conversation.getKey()).update();
            jdbc.sql("update assignment_rules set last_assigned_user_id = :user where tenant_id = :tenant and connection_id = :connection")
                    .param("user", next).param("tenant", tenant).param("connection", conversation.getValue()).update();
            conversations.notify(next, "ASSIGNED", conversation.getKey(), null);
            live.publish(tenant, "conversation", conversation.getKey());
            events.publishEvent(new ConversationAssigned(tenant, conversation.getKey(), next, team, true));
        }
    }
}
