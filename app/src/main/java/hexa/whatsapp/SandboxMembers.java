package hexa.whatsapp;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.access.Permission;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.sandbox.access.SandboxCaller;
import hexa.sandbox.access.SandboxCallers;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * The sandbox's view of a signed-in member: the sandbox numbers their workspace connected (and nothing of any other
 * workspace), Owners and Admins may change the sandbox's numbers, switches, clock and load runs, and the simulator's
 * script is handed the CSRF token its requests must carry. What a member changes is audited in their workspace.
 */
class SandboxMembers implements SandboxCallers {

    private final JdbcClient jdbc;
    private final AuditTrail audit;

    SandboxMembers(JdbcClient jdbc, AuditTrail audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Override
    public Optional<SandboxCaller> of(HttpServletRequest request) {
        Optional<Actor> actor = TenantContext.current().filter(Actor::isPerson);
        if (actor.isEmpty()) {
            return Optional.empty();
        }
        Set<String> numbers = new HashSet<>(jdbc.sql("""
                select phone_number_id from whatsapp_connections
                 where tenant_id = :t and kind = 'SANDBOX' and status <> 'DISCONNECTED'
                """).param("t", actor.get().tenantId()).query(String.class).list());
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        Map<String, String> headers = csrf == null ? Map.of() : Map.of(csrf.getHeaderName(), csrf.getToken());
        return Optional.of(SandboxCaller.member(actor.get().tenantId().toString(), numbers,
                actor.get().can(Permission.MANAGE_CHANNELS), headers));
    }

    @Override
    public void changed(SandboxCaller caller, String action, String detail) {
        audit.record(AuditEntry.of(action).target("sandbox", null, "WhatsApp sandbox").details(Map.of("detail", detail)));
    }
}
