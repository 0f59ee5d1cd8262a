package hexa.identity;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.access.Role;
import hexa.platform.tenant.TenantContext;
import hexa.platform.time.WorkspaceZone;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating workspaces (the first one at set-up, more later), their settings, and moving between them. */
@Service
public class WorkspaceService implements WorkspaceZone {

    private final Workspaces workspaces;
    private final Users users;
    private final Memberships memberships;
    private final Passwords passwords;
    private final AuditTrail audit;
    private final JdbcClient jdbc;
    private final Clock clock;

    WorkspaceService(Workspaces workspaces, Users users, Memberships memberships, Passwords passwords, AuditTrail audit,
                     JdbcClient jdbc, Clock clock) {
        this.workspaces = workspaces;
        this.users = users;
        this.memberships = memberships;
        this.passwords = passwords;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public boolean setUpDone() {
        return workspaces.anyExists();
    }

    /**
     * First start: creates the first workspace and its Owner. Once any workspace exists this is
     * refused for good, even when two people submit the set-up form at the same moment.
     */
    @Transactional
    public User setUp(WorkspaceDetails details, NewPerson owner) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('hexa.setup'))").query(Object.class).single();
        if (workspaces.anyExists()) {
            throw new NotFoundException();
        }
        passwords.requireAcceptable(owner.password());
        Instant now = clock.instant();
        User user = new User(Ids.newId(), owner.email(), owner.name(), passwords.hash(owner.password()), now, null);
        users.insert(user, now);
        Workspace workspace = createWithOwner(details, user, now);
        audit.record(workspace.id(), AuditActor.person(user.id(), user.name()),
                AuditEntry.of("workspace.set_up").target("workspace", workspace.id(), workspace.name()));
        return user;
    }

    /** A signed-in person starts another workspace, of which they become the Owner. */
    @Transactional
    public Workspace create(UUID userId, WorkspaceDetails details) {
        User user = users.byId(userId).orElseThrow(NotFoundException::new);
        Workspace workspace = createWithOwner(details, user, clock.instant());
        audit.record(workspace.id(), AuditActor.person(user.id(), user.name()),
                AuditEntry.of("workspace.created").target("workspace", workspace.id(), workspace.name()));
        return workspace;
    }

    /** Creates a workspace owned by an existing person (used by set-up, the demo and tests). */
    @Transactional
    public Workspace createFor(User owner, WorkspaceDetails details) {
        return createWithOwner(details, owner, clock.instant());
    }

    private Workspace createWithOwner(WorkspaceDetails details, User owner, Instant now) {
        Workspace workspace = new Workspace(Ids.newId(), details.name(), details.timeZone(), details.defaultCountry(), now);
        workspaces.insert(workspace);
        memberships.upsert(workspace.id(), owner.id(), Role.OWNER, now);
        return workspace;
    }

    @Override
    public java.time.ZoneId zone() {
        return current().timeZone();
    }

    public Workspace current() {
        return workspaces.find(TenantContext.tenantId()).orElseThrow(NotFoundException::new);
    }

    public Optional<Workspace> find(UUID id) {
        return workspaces.find(id);
    }

    @Transactional
    public void updateCurrent(WorkspaceDetails details) {
        Workspace before = current();
        workspaces.update(before.id(), details.name(), details.timeZone(), details.defaultCountry(), clock.instant());
        Map<String, Object> changes = new LinkedHashMap<>();
        if (!before.name().equals(details.name())) {
            changes.put("name", Map.of("from", before.name(), "to", details.name()));
        }
        if (!before.timeZone().equals(details.timeZone())) {
            changes.put("timeZone", Map.of("from", before.timeZone().getId(), "to", details.timeZone().getId()));
        }
        if (!before.defaultCountry().equals(details.defaultCountry())) {
            changes.put("defaultCountry", Map.of("from", before.defaultCountry(), "to", details.defaultCountry()));
        }
        if (!changes.isEmpty()) {
            audit.record(AuditEntry.of("workspace.settings_changed").target("workspace", before.id(), details.name()).details(changes));
        }
    }

    public List<Workspace> workspacesOf(UUID userId) {
        return workspaces.ofUser(userId);
    }

    /** Checks that the person may enter the workspace; anything else is as if it did not exist. */
    public Workspace requireMembership(UUID userId, UUID workspaceId) {
        Member member = memberships.find(workspaceId, userId).filter(Member::active).orElseThrow(NotFoundException::new);
        users.rememberWorkspace(userId, workspaceId);
        return workspaces.find(workspaceId).orElseThrow(NotFoundException::new);
    }

    static UserError invalid(String key) {
        return new UserError(HttpStatus.BAD_REQUEST, "invalid_request", key);
    }
}
