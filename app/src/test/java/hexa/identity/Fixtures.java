package hexa.identity;

import hexa.platform.Ids;
import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.transaction.support.TransactionTemplate;

/** Builds the people and workspaces a test needs, through the product's own services. */
@TestComponent
public class Fixtures {

    public static final String PASSWORD = "correct-horse-battery";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Hashing is slow on purpose; fixtures reuse one hash of the shared test password. */
    private static volatile String passwordHash;

    private final Users users;
    private final Memberships memberships;
    private final Passwords passwords;
    private final WorkspaceService workspaces;
    private final ApiTokenService tokens;
    private final TransactionTemplate transaction;
    private final Clock clock;

    Fixtures(Users users, Memberships memberships, Passwords passwords, WorkspaceService workspaces, ApiTokenService tokens,
             TransactionTemplate transaction, Clock clock) {
        this.users = users;
        this.memberships = memberships;
        this.passwords = passwords;
        this.workspaces = workspaces;
        this.tokens = tokens;
        this.transaction = transaction;
        this.clock = clock;
    }

    public record Person(UUID id, String name, String email, String password) {
    }

    public record TestWorkspace(UUID id, String name, Person owner) {
    }

    public TestWorkspace workspace(String name) {
        Person owner = person("Owner of " + name);
        Workspace workspace = transaction.execute(status ->
                workspaces.createFor(users.byId(owner.id()).orElseThrow(), WorkspaceDetails.of(name, "Asia/Kolkata", "IN")));
        return new TestWorkspace(workspace.id(), workspace.name(), owner);
    }

    public Person person(String name) {
        int n = COUNTER.incrementAndGet();
        String email = "person" + n + "-" + UUID.randomUUID().toString().substring(0, 8) + "@test.example";
        User user = new User(Ids.newId(), email, name, hash(), clock.instant(), null);
        users.insert(user, clock.instant());
        return new Person(user.id(), name, email, PASSWORD);
    }

    public Person member(TestWorkspace workspace, Role role) {
        Person person = person(role.name().charAt(0) + role.name().substring(1).toLowerCase() + " " + COUNTER.get());
        memberships.upsert(workspace.id(), person.id(), role, clock.instant());
        return person;
    }

    public void join(TestWorkspace workspace, Person person, Role role) {
        memberships.upsert(workspace.id(), person.id(), role, clock.instant());
    }

    public String apiToken(TestWorkspace workspace, Role role) {
        try (TenantContext.Scope ignored = TenantContext.enter(
                Actor.member(workspace.id(), Role.OWNER, workspace.owner().id(), workspace.owner().name()))) {
            return tokens.create("Token for " + role.name().toLowerCase(), role).secret();
        }
    }

    /** Runs as the workspace's owner, for calling services directly. */
    public TenantContext.Scope actAsOwner(TestWorkspace workspace) {
        return TenantContext.enter(Actor.member(workspace.id(), Role.OWNER, workspace.owner().id(), workspace.owner().name()));
    }

    private String hash() {
        if (passwordHash == null) {
            passwordHash = passwords.hash(PASSWORD);
        }
        return passwordHash;
    }
}
