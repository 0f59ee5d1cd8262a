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
                .map(actor -> Shell.of(user.name(), user.email(), actor,
                        mine.stream().filter(w -> w.id().equals(actor.tenantId())).map(Workspace::name).findFirst().orElse(""), choices))
                .orElseGet(() -> Shell.of(user.name(), user.email(), null, null, choices)));
    }
}
