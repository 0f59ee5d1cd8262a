package hexa.whatsapp;

import hexa.platform.DemoData;
import hexa.platform.crypto.SecretBox;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.PublicUrl;
import hexa.sandbox.access.ControlToken;
import hexa.sandbox.numbers.SandboxNumbers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The sandbox keeps its numbers in memory, so after a restart the sandbox numbers that workspaces
 * connected are registered with it again. The demo workspace gets a sandbox number of its own.
 */
@Component
class SandboxNumbersAtStartup {

    private static final Logger log = LoggerFactory.getLogger(SandboxNumbersAtStartup.class);

    private final ObjectProvider<SandboxNumbers> sandbox;
    private final JdbcClient jdbc;
    private final SecretBox secrets;
    private final PublicUrl publicUrl;
    private final ConnectionService connections;
    private final ObjectProvider<ControlToken> controlToken;

    SandboxNumbersAtStartup(ObjectProvider<SandboxNumbers> sandbox, JdbcClient jdbc, SecretBox secrets, PublicUrl publicUrl,
                            ConnectionService connections, ObjectProvider<ControlToken> controlToken) {
        this.controlToken = controlToken;
        this.sandbox = sandbox;
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.publicUrl = publicUrl;
        this.connections = connections;
    }

    @Order(5)
    @EventListener(ApplicationReadyEvent.class)
    void registerAgain() {
        SandboxNumbers numbers = sandbox.getIfAvailable();
        if (numbers == null) {
            return;
        }
        List<Connection> sandboxConnections = jdbc.sql("select * from whatsapp_connections where kind = 'SANDBOX' and status <> 'DISCONNECTED'")
                .query(Connections::map).list();
        for (Connection c : sandboxConnections) {
            numbers.register(c.phoneNumberId(), c.wabaId(), c.displayPhoneNumber(), secrets.openString(c.accessTokenSealed()),
                    secrets.openString(c.appSecretSealed()), publicUrl.atStartup() + c.callbackPath(), secrets.openString(c.verifyTokenSealed()));
        }
        if (!sandboxConnections.isEmpty()) {
            log.info("Registered {} sandbox number(s) with the sandbox again", sandboxConnections.size());
        }
    }

    /**
     * The demo workspace talks to a sandbox number; demo.json says how to reach it, and holds the sandbox's control
     * token. Before the demo's sample conversations ({@code DemoConversations}, order 20), which need the number. */
    @Order(10)
    @EventListener
    void demo(DemoData demo) {
        if (sandbox.getIfAvailable() == null) {
            return;
        }
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(demo.workspaceId(), "Demo"))) {
            ConnectionService.View view = connections.connections().stream()
                    .filter(c -> c.kind() == Connection.Kind.SANDBOX).findFirst()
                    .orElseGet(connections::connectSandbox);
            String appSecret = jdbc.sql("select app_secret_sealed from whatsapp_connections where tenant_id = :t and id = :id")
                    .param("t", demo.workspaceId()).param("id", view.id()).query(String.class).single();
            Map<String, Object> whatsapp = new LinkedHashMap<>();
            whatsapp.put("callbackUrl", view.callbackUrl());
            whatsapp.put("appSecret", secrets.openString(appSecret));
            whatsapp.put("verifyToken", view.verifyToken());
            whatsapp.put("phoneNumberId", view.phoneNumberId());
            whatsapp.put("wabaId", view.wabaId());
            whatsapp.put("displayPhoneNumber", view.displayPhoneNumber());
            whatsapp.put("simulatorUrl", publicUrl.atStartup() + "/sandbox");
            demo.entries().put("whatsapp", whatsapp);
            // Scripts and benchmarks drive the sandbox's control API with it (Authorization: Bearer).
            demo.entries().put("sandbox", Map.of("controlToken", controlToken.getObject().value()));
        }
    }
}
