package hexa.identity;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;

/**
 * The return from a workspace's provider. Spring Security has checked state, nonce, PKCE and the ID token's
 * signature, issuer and audience; here the identity becomes a Hexa account: the one with the provider's
 * <em>verified</em> email, which must be an active member of the workspace whose provider it was. Nobody else gets
 * in and no account is ever made here (accounts come from invitations). The session then starts exactly as after a
 * password ({@link SessionSignIn}: a new session id), and notes which workspaces it entered through their provider,
 * for "single sign-on only".
 */
@Component
class SingleSignOnSignIn implements OAuth2UserService<OidcUserRequest, OidcUser>, AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SingleSignOnSignIn.class);

    static final String SESSION_SSO = "hexa.single-sign-on";
    static final String UNVERIFIED = "sso_unverified";
    static final String NOT_MEMBER = "sso_not_member";

    /** The workspaces this session's person entered through their provider. */
    record Entered(UUID userId, Set<UUID> workspaces) implements Serializable {
    }

    /** The provider's identity, matched to a member of the workspace. */
    static final class WorkspaceMember extends DefaultOidcUser {
        private final UUID userId;
        private final UUID workspaceId;

        WorkspaceMember(OidcUser identity, UUID userId, UUID workspaceId) {
            super(identity.getAuthorities(), identity.getIdToken(), identity.getUserInfo());
            this.userId = userId;
            this.workspaceId = workspaceId;
        }
    }

    private final OidcUserService provider = new OidcUserService();
    private final Users users;
    private final Memberships memberships;
    private final SessionSignIn sessions;
    private final SignInService signIn;
    private final AuditTrail audit;

    SingleSignOnSignIn(Users users, Memberships memberships, SessionSignIn sessions, SignInService signIn, AuditTrail audit) {
        this.users = users;
        this.memberships = memberships;
        this.sessions = sessions;
        this.signIn = signIn;
        this.audit = audit;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser identity = provider.loadUser(request);
        UUID workspace = UUID.fromString(request.getClientRegistration().getRegistrationId());
        String email = identity.getEmail();
        Object verified = identity.getClaims().get("email_verified");
        if (email == null || email.isBlank() || !(Boolean.TRUE.equals(verified) || "true".equals(verified))) {
            throw refuse(workspace, email == null ? identity.getSubject() : email, UNVERIFIED, "email not verified by the provider");
        }
        Optional<User> user = users.byEmail(email);
        if (user.isEmpty() || memberships.find(workspace, user.get().id()).filter(Member::active).isEmpty()) {
            throw refuse(workspace, email, NOT_MEMBER, "not an active member");
        }
        return new WorkspaceMember(identity, user.get().id(), workspace);
    }

    private OAuth2AuthenticationException refuse(UUID workspace, String who, String code, String reason) {
        audit.record(workspace, AuditActor.anonymous(who), AuditEntry.of("sign_in.refused")
                .details(Map.of("method", "single_sign_on", "reason", reason)));
        return new OAuth2AuthenticationException(new OAuth2Error(code), reason);
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication) throws IOException {
        WorkspaceMember member = (WorkspaceMember) authentication.getPrincipal();
        User user = users.byId(member.userId).orElseThrow();
        HttpSession before = request.getSession(false);
        Entered entered = before == null ? null : (Entered) before.getAttribute(SESSION_SSO);
        Set<UUID> workspaces = new HashSet<>();
        if (entered != null && entered.userId().equals(user.id())) {
            workspaces.addAll(entered.workspaces());
        }
        workspaces.add(member.workspaceId);
        sessions.signIn(user, member.workspaceId, request, response);
        request.getSession().setAttribute(SESSION_SSO, new Entered(user.id(), Set.copyOf(workspaces)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", "single_sign_on");
        details.put("workspace", member.workspaceId.toString());
        details.put("issuer", String.valueOf(member.getIssuer()));
        signIn.recordInEveryWorkspace(user.id(), AuditActor.person(user.id(), user.name()),
                AuditEntry.of("sign_in.succeeded").target("user", user.id(), user.name()).details(details));
        response.sendRedirect("/");
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception) throws IOException {
        String code = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode() : "";
        String refused = switch (code) {
            case UNVERIFIED -> "unverified";
            case NOT_MEMBER -> "not-member";
            default -> "failed";
        };
        if (refused.equals("failed")) {
            log.info("Single sign-on did not succeed: {}", exception.getMessage());
        }
        response.sendRedirect("/sign-in/single-sign-on?refused=" + refused);
    }

    /** Whether this session's person entered {@code workspace} through its provider. */
    static boolean entered(HttpSession session, UUID userId, UUID workspace) {
        Object value = session == null ? null : session.getAttribute(SESSION_SSO);
        return value instanceof Entered entered && entered.userId().equals(userId) && entered.workspaces().contains(workspace);
    }
}
