package hexa.identity;

import hexa.platform.Ids;
import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.sandbox.access.ControlToken;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.Eventually;
import hexa.support.SandboxCustomer;
import hexa.whatsapp.ConnectionService;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the people and workspaces a test needs, through the product's own services; among them the one fixture of
 * "a workspace with a sandbox number" ({@link #withSandboxNumber}), with the one simulated customer on that number.
 */
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
    private final ConnectionService connections;
    private final org.springframework.beans.factory.ObjectProvider<SandboxNumbers> sandbox;
    private final org.springframework.beans.factory.ObjectProvider<ControlToken> controlToken;
    private final JdbcClient jdbc;
    private final Environment environment;
    private final InvitationService invitations;

    Fixtures(Users users, Memberships memberships, Passwords passwords, WorkspaceService workspaces, ApiTokenService tokens,
             TransactionTemplate transaction, Clock clock, ConnectionService connections,
             org.springframework.beans.factory.ObjectProvider<SandboxNumbers> sandbox,
             org.springframework.beans.factory.ObjectProvider<ControlToken> controlToken, JdbcClient jdbc,
             Environment environment, InvitationService invitations) {
        this.controlToken = controlToken;
        this.invitations = invitations;
        this.users = users;
        this.memberships = memberships;
        this.passwords = passwords;
        this.workspaces = workspaces;
        this.tokens = tokens;
        this.transaction = transaction;
        this.clock = clock;
        this.connections = connections;
        this.sandbox = sandbox;
        this.jdbc = jdbc;
        this.environment = environment;
    }

    public record Person(UUID id, String name, String email, String password) {
    }

    public record TestWorkspace(UUID id, String name, Person owner) {
    }

    /**
     * A workspace with a sandbox number connected (as its owner would, in one click) whose webhook the sandbox has
     * verified, so that what its customers write reaches the app; {@code customer} writes to that number.
     */
    public record SandboxWorkspace(TestWorkspace workspace, ConnectionService.View number, SandboxCustomer customer) {

        public UUID id() {
            return workspace.id();
        }

        public Person owner() {
            return workspace.owner();
        }

        public String phoneNumberId() {
            return number.phoneNumberId();
        }
    }

    public TestWorkspace workspace(String name) {
        Person owner = person("Owner of " + name);
        Workspace workspace = transaction.execute(status ->
                workspaces.createFor(users.byId(owner.id()).orElseThrow(), WorkspaceDetails.of(name, "Asia/Kolkata", "IN")));
        return new TestWorkspace(workspace.id(), workspace.name(), owner);
    }

    /** A new workspace named {@code name} with a sandbox number. */
    public SandboxWorkspace withSandboxNumber(String name) {
        return withSandboxNumber(workspace(name));
    }

    /** Connects a sandbox number to {@code workspace} and waits until the sandbox has verified its webhook. */
    public SandboxWorkspace withSandboxNumber(TestWorkspace workspace) {
        ConnectionService.View number;
        try (TenantContext.Scope ignored = actAsOwner(workspace)) {
            number = connections.connectSandbox();
        }
        if (!sandbox.getObject().awaitWebhookVerified(number.phoneNumberId(), Eventually.PATIENCE)) {
            throw new AssertionError("The sandbox never verified the webhook of " + number.phoneNumberId());
        }
        String baseUrl = "http://localhost:" + environment.getRequiredProperty("local.server.port");
        return new SandboxWorkspace(workspace, number, new SandboxCustomer(baseUrl, controlToken.getObject().value(), jdbc, workspace.id(),
                number.phoneNumberId()));
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
    /** An invitation to {@code email} with {@code role}, sent by the workspace's owner; answers its link. */
    public String invitationLink(TestWorkspace workspace, String email, Role role) {
        try (TenantContext.Scope ignored = actAsOwner(workspace)) {
            return invitations.invite(email, role).link();
        }
    }

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
