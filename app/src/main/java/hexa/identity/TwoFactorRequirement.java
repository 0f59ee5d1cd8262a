package hexa.identity;

import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A workspace whose Owner requires two-factor authentication: a member signed in to it without it is sent to enrol
 * before anything else. They can still enrol, sign out and switch to another workspace. API tokens are not people
 * and are not concerned (their requests carry no session).
 */
@Configuration(proxyBeanMethods = false)
class TwoFactorRequirement implements WebMvcConfigurer {

    static final String ENROL = "/profile/two-factor";
    private static final Set<String> ALLOWED = Set.of("/sign-out", "/workspaces/switch", "/workspaces/none", "/error");

    private final TwoFactorService twoFactor;

    TwoFactorRequirement(TwoFactorService twoFactor) {
        this.twoFactor = twoFactor;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
                return allowed(request, response, handler);
            }
        });
    }

    private boolean allowed(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (!(handler instanceof HandlerMethod)) {
            return true;
        }
        Optional<SignedInUser> user = CurrentWorkspaceFilter.signedInUser();
        Optional<Actor> actor = TenantContext.current().filter(Actor::isPerson);
        if (user.isEmpty() || actor.isEmpty()) {
            return true;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(ENROL) || path.startsWith(ENROL + "/") || ALLOWED.contains(path)) {
            return true;
        }
        if (!twoFactor.mustEnrol(user.get().id(), actor.get().tenantId())) {
            return true;
        }
        if (request.getHeader("HX-Request") != null) {
            response.setHeader("HX-Redirect", ENROL);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } else {
            response.sendRedirect(request.getContextPath() + ENROL);
        }
        return false;
    }
}
