package hexa.identity;

import hexa.platform.access.Role;
import hexa.platform.config.HexaProperties;
import hexa.platform.crypto.Tokens;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.PublicUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./hexa run --demo}: a demo workspace with an Owner, an Agent and an Admin API token, and
 * {@code <data dir>/demo.json} saying how to use them. Run again, it hands out fresh credentials for
 * the same workspace instead of making a second one.
 */
@Component
class DemoSeeder {

    static final String OWNER_EMAIL = "owner@demo.example";
    static final String AGENT_EMAIL = "agent@demo.example";
    static final String TOKEN_NAME = "Demo integration";

    private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);

    private final HexaProperties properties;
    private final Users users;
    private final Memberships memberships;
    private final Passwords passwords;
    private final WorkspaceService workspaces;
    private final ApiTokenService tokens;
    private final TransactionTemplate transaction;
    private final PublicUrl publicUrl;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final Clock clock;

    DemoSeeder(HexaProperties properties, Users users, Memberships memberships, Passwords passwords, WorkspaceService workspaces,
               ApiTokenService tokens, TransactionTemplate transaction, PublicUrl publicUrl,
               org.springframework.context.ApplicationEventPublisher events, Clock clock) {
        this.properties = properties;
        this.users = users;
        this.memberships = memberships;
        this.passwords = passwords;
        this.workspaces = workspaces;
        this.tokens = tokens;
        this.transaction = transaction;
        this.publicUrl = publicUrl;
        this.events = events;
        this.clock = clock;
    }

    @Order(10)
    @EventListener(ApplicationReadyEvent.class)
    void seed(ApplicationReadyEvent event) {
        if (!properties.demo()) {
            return;
        }
        String url = publicUrl.atStartup();
        Map<String, Object> demo = transaction.execute(status -> seedInTransaction(url));
        Path file = properties.dataDir().toAbsolutePath().resolve("demo.json");
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                // It holds passwords and a token: readable by its owner only, like master.key.
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(demo) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        @SuppressWarnings("unchecked")
        Map<String, String> owner = (Map<String, String>) demo.get("owner");
        @SuppressWarnings("unchecked")
        Map<String, String> agent = (Map<String, String>) demo.get("agent");
        log.info("""

                Demo workspace ready. Sign in at {}
                  Owner: {} / {}
                  Agent: {} / {}
                  Admin API token: {}
                (all of it is in {})
                """, demo.get("url"), owner.get("email"), owner.get("password"), agent.get("email"), agent.get("password"),
                demo.get("apiToken"), file);
    }

    private Map<String, Object> seedInTransaction(String url) {
        String ownerPassword = "demo-" + Tokens.random(9);
        String agentPassword = "demo-" + Tokens.random(9);
        var now = clock.instant();
        User owner = users.byEmail(OWNER_EMAIL).orElse(null);
        Workspace workspace;
        if (owner == null) {
            owner = new User(hexa.platform.Ids.newId(), OWNER_EMAIL, "Dana Owner", passwords.hash(ownerPassword), now, null);
            users.insert(owner, now);
            workspace = workspaces.createFor(owner, WorkspaceDetails.of("Demo Shop", "Asia/Kolkata", "IN"));
        } else {
            users.changePassword(owner.id(), passwords.hash(ownerPassword), now);
            workspace = workspaces.workspacesOf(owner.id()).stream().filter(w -> w.name().equals("Demo Shop")).findFirst()
                    .orElseGet(() -> workspaces.createFor(users.byEmail(OWNER_EMAIL).orElseThrow(), WorkspaceDetails.of("Demo Shop", "Asia/Kolkata", "IN")));
        }
        User agent = users.byEmail(AGENT_EMAIL).orElse(null);
        if (agent == null) {
            agent = new User(hexa.platform.Ids.newId(), AGENT_EMAIL, "Arjun Agent", passwords.hash(agentPassword), now, null);
            users.insert(agent, now);
        } else {
            users.changePassword(agent.id(), passwords.hash(agentPassword), now);
        }
        memberships.upsert(workspace.id(), agent.id(), Role.AGENT, now);
        String apiToken;
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.member(workspace.id(), Role.OWNER, owner.id(), owner.name()))) {
            // Each start hands out new passwords; the token given last time stops working too, rather than piling up.
            tokens.visible().stream().filter(t -> t.active() && t.name().equals(TOKEN_NAME)).forEach(t -> tokens.revoke(t.id()));
            apiToken = tokens.create(TOKEN_NAME, Role.ADMIN).secret();
        }
        Map<String, Object> demo = new LinkedHashMap<>();
        demo.put("url", url);
        demo.put("workspace", Map.of("id", workspace.id().toString(), "name", workspace.name()));
        demo.put("owner", Map.of("email", OWNER_EMAIL, "password", ownerPassword));
        demo.put("agent", Map.of("email", AGENT_EMAIL, "password", agentPassword));
        demo.put("apiToken", apiToken);
        events.publishEvent(new hexa.platform.DemoData(workspace.id(), owner.id(), owner.name(), demo));
        return demo;
    }
}
