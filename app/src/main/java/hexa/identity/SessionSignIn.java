package hexa.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.UUID;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/** Starts and ends the browser session of a person whose identity has been checked. */
@Component
class SessionSignIn {

    private final SecurityContextRepository contexts;
    private final SignedInSessions sessions;

    SessionSignIn(SecurityContextRepository contexts, SignedInSessions sessions) {
        this.contexts = contexts;
        this.sessions = sessions;
    }

    void signIn(User user, UUID workspaceId, HttpServletRequest request, HttpServletResponse response) {
        // A new session id at sign-in, so that an id planted before cannot ride on this sign-in.
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        var session = request.getSession(true);
        sessions.describe(session, request);
        if (workspaceId != null) {
            session.setAttribute(CurrentWorkspaceFilter.SESSION_WORKSPACE, workspaceId);
        }
        var authentication = UsernamePasswordAuthenticationToken.authenticated(
                new SignedInUser(user.id(), user.email()), null, List.of(new SimpleGrantedAuthority("ROLE_USER")));
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
    }

    void signOut(HttpServletRequest request) {
        SecurityContextHolder.clearContext();
        var session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }
}
