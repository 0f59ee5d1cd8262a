package hexa.identity;

import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Shell;
import hexa.platform.web.ShellSource;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Fills the frame of signed-in pages: the person, the workspace they are in, the others they can switch to. */
@Component
class IdentityShell implements ShellSource {

    private final Workspaces workspaces;

    IdentityShell(Workspaces workspaces) {
        this.workspaces = workspaces;
    }

    @Override
    public Optional<Shell> shellFor(HttpServletRequest request) {
        if (!(request.getAttribute(CurrentWorkspaceFilter.REQUEST_USER) instanceof User user)) {
            return Optional.empty();
        }
        List<Workspace> mine = workspaces.ofUser(user.id());
        List<Shell.WorkspaceChoice> choices = mine.stream().map(w -> new Shell.WorkspaceChoice(w.id(), w.name())).toList();
        return Optional.of(TenantContext.current()
                .map(actor -> {
                    Optional<Workspace> current = mine.stream().filter(w -> w.id().equals(actor.tenantId())).findFirst();
                    return Shell.of(user.name(), user.email(), actor, current.map(Workspace::name).orElse(""),
                            current.map(Workspace::timeZone).orElse(java.time.ZoneOffset.UTC), choices);
                })
                .orElseGet(() -> Shell.of(user.name(), user.email(), null, null, null, choices)));
    }
}
