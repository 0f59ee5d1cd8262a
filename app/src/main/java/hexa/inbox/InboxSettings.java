package hexa.inbox;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Settings → Inbox: teams and who is in them, how new conversations on each number are assigned,
 * what a message into a resolved conversation does, and members' availability.
 */
@Service
public class InboxSettings {

    public enum AfterResolved { REOPEN, NEW }

    public enum Mode { MANUAL, ROUND_ROBIN }

    /** How new conversations on a number are assigned. */
    public record Rule(UUID connectionId, Mode mode, UUID teamId) {
    }

    private final JdbcClient jdbc;
    private final Teams teams;
    private final MemberService members;
    private final AuditTrail audit;
    private final Clock clock;

    InboxSettings(JdbcClient jdbc, Teams teams, MemberService members, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.teams = teams;
        this.members = members;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Team> teams() {
        return teams.all();
    }

    @Transactional
    public Team createTeam(String name) {
        String clean = teamName(name);
        UUID id = Ids.newId();
        try {
            jdbc.sql("insert into teams (tenant_id, id, name, created_at) values (:tenant, :id, :name, :now)")
                    .param("tenant", TenantContext.tenantId()).param("id", id).param("name", clean).param("now", Sql.ts(clock.instant()))
                    .update();
        } catch (DuplicateKeyException e) {
            throw UserError.conflict("inbox.team.exists", clean);
        }
        audit.record(AuditEntry.of("inbox.team_created").target("team", id, clean));
        return team(id);
    }

    @Transactional
    public void renameTeam(UUID id, String name) {
        Team team = team(id);
        String clean = teamName(name);
        try {
            jdbc.sql("update teams set name = :name where tenant_id = :tenant and id = :id")
                    .param("name", clean).param("tenant", TenantContext.tenantId()).param("id", id).update();
        } catch (DuplicateKeyException e) {
            throw UserError.conflict("inbox.team.exists", clean);
        }
        audit.record(AuditEntry.of("inbox.team_renamed").target("team", id, clean).details(Map.of("from", team.name())));
    }

    /** Deleting a team leaves its conversations without a team; nothing else is lost. */
    @Transactional
    public void deleteTeam(UUID id) {
        Team team = team(id);
        jdbc.sql("delete from teams where tenant_id = :tenant and id = :id").param("tenant", TenantContext.tenantId()).param("id", id).update();
        audit.record(AuditEntry.of("inbox.team_deleted").target("team", id, team.name()));
    }

    /** Sets who is in the team: active members who can use the inbox. */
    @Transactional
    public void setTeamMembers(UUID id, Set<UUID> userIds) {
        team(id);
        Set<UUID> allowed = new java.util.HashSet<>();
        members.members().stream().filter(m -> m.active() && m.role().can(Permission.USE_INBOX)).forEach(m -> allowed.add(m.userId()));
        if (!allowed.containsAll(userIds)) {
            throw UserError.invalid("inbox.assign.not-a-member");
        }
        UUID tenant = TenantContext.tenantId();
        jdbc.sql("delete from team_members where tenant_id = :tenant and team_id = :team").param("tenant", tenant).param("team", id).update();
        for (UUID user : userIds) {
            jdbc.sql("insert into team_members (tenant_id, team_id, user_id) values (:tenant, :team, :user)")
                    .param("tenant", tenant).param("team", id).param("user", user).update();
        }
    }

    public Team team(UUID id) {
        return teams.all().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow(NotFoundException::new);
    }

    public AfterResolved afterResolved() {
        return jdbc.sql("select after_resolved from inbox_settings where tenant_id = :tenant")
                .param("tenant", TenantContext.tenantId()).query(String.class).optional()
                .map(AfterResolved::valueOf).orElse(AfterResolved.REOPEN);
    }

    @Transactional
    public void setAfterResolved(AfterResolved value) {
        jdbc.sql("""
                insert into inbox_settings (tenant_id, after_resolved) values (:tenant, :value)
                on conflict (tenant_id) do update set after_resolved = excluded.after_resolved
                """)
                .param("tenant", TenantContext.tenantId()).param("value", value.name()).update();
        audit.record(AuditEntry.of("inbox.settings_changed").details(Map.of("afterResolved", value.name())));
    }

    public Optional<Rule> rule(UUID connectionId) {
        return jdbc.sql("select connection_id, mode, team_id from assignment_rules where tenant_id = :tenant and connection_id = :connection")
                .param("tenant", TenantContext.tenantId()).param("connection", connectionId)
                .query((rs, n) -> new Rule(Sql.uuid(rs, "connection_id"), Mode.valueOf(rs.getString("mode")), Sql.uuid(rs, "team_id")))
                .optional();
    }

    /** Sets a number's assignment rule; the number must be connected in this workspace (the caller checks). */
    @Transactional
    public void setRule(UUID connectionId, Mode mode, UUID teamId) {
        if (teamId != null) {
            team(teamId);
        }
        jdbc.sql("""
                insert into assignment_rules (tenant_id, connection_id, mode, team_id) values (:tenant, :connection, :mode, :team)
                on conflict (tenant_id, connection_id) do update set mode = excluded.mode, team_id = excluded.team_id
                """)
                .param("tenant", TenantContext.tenantId()).param("connection", connectionId).param("mode", mode.name()).param("team", teamId)
                .update();
        audit.record(AuditEntry.of("inbox.assignment_rule_changed").target("whatsapp_connection", connectionId, null)
                .details(teamId == null ? Map.of("mode", mode.name()) : Map.of("mode", mode.name(), "team", teamId.toString())));
    }

    /** Whether the member takes new conversations (round-robin skips those away); available unless they said otherwise. */
    public boolean available(UUID userId) {
        return jdbc.sql("select available from member_availability where tenant_id = :tenant and user_id = :user")
                .param("tenant", TenantContext.tenantId()).param("user", userId).query(Boolean.class).optional().orElse(true);
    }

    @Transactional
    public void setAvailable(boolean available) {
        UUID me = TenantContext.actor().userId();
        if (me == null) {
            throw UserError.invalid("inbox.note.person-only");
        }
        jdbc.sql("""
                insert into member_availability (tenant_id, user_id, available, changed_at) values (:tenant, :user, :available, :now)
                on conflict (tenant_id, user_id) do update set available = excluded.available, changed_at = excluded.changed_at
                """)
                .param("tenant", TenantContext.tenantId()).param("user", me).param("available", available)
                .param("now", Sql.ts(clock.instant())).update();
    }

    public List<Member> inboxMembers() {
        return members.members().stream().filter(m -> m.active() && m.role().can(Permission.USE_INBOX)).toList();
    }

    private static String teamName(String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 80) {
            throw UserError.invalid("inbox.team.name-invalid");
        }
        return clean;
    }
}
