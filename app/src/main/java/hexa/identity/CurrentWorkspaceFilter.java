package hexa.identity;

import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * For a signed-in person, finds the workspace they are working in (the one chosen in this session,
 * else the last one they used, else any) and their role there, checking the membership is still
 * active on every request. A deactivated member loses access at once.
 */
@Component
class CurrentWorkspaceFilter extends OncePerRequestFilter {

    static final String SESSION_WORKSPACE = "hexa.workspace";
    static final String REQUEST_USER = "hexa.user";

    private final Users users;
    private final Memberships memberships;

    CurrentWorkspaceFilter(Users users, Memberships memberships) {
        this.users = users;
        this.memberships = memberships;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    /** Error pages keep the person's frame and navigation. */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<SignedInUser> principal = signedInUser();
        if (principal.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<User> user = users.byId(principal.get().id());
        if (user.isEmpty()) {
            SecurityContextHolder.clearContext();
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(REQUEST_USER, user.get());
        Optional<Actor> actor = workspaceOf(user.get(), request.getSession(false));
        if (actor.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        try (TenantContext.Scope ignored = TenantContext.enter(actor.get())) {
            chain.doFilter(request, response);
        }
    }

    private Optional<Actor> workspaceOf(User user, HttpSession session) {
        UUID chosen = session == null ? null : (UUID) session.getAttribute(SESSION_WORKSPACE);
        for (UUID candidate : new UUID[] {chosen, user.lastWorkspaceId()}) {
            if (candidate != null) {
                Optional<Member> member = memberships.find(candidate, user.id()).filter(Member::active);
                if (member.isPresent()) {
                    return Optional.of(Actor.member(candidate, member.get().role(), user.id(), user.name()));
                }
            }
        }
        for (UUID tenant : memberships.activeWorkspacesOf(user.id())) {
            Optional<Member> member = memberships.find(tenant, user.id());
            if (member.isPresent()) {
                if (session != null) {
                    session.setAttribute(SESSION_WORKSPACE, tenant);
                }
                return Optional.of(Actor.member(tenant, member.get().role(), user.id(), user.name()));
            }
        }
        return Optional.empty();
    }

    static Optional<SignedInUser> signedInUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user) {
            return Optional.of(user);
        }
        return Optional.empty();
    }
}
