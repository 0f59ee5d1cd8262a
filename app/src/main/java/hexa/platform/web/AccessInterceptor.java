package hexa.platform.web;

import hexa.platform.access.Public;
import hexa.platform.access.Requires;
import hexa.platform.access.SignedIn;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link Requires}, {@link SignedIn} and {@link Public} on every endpoint of ours, pages and
 * API alike. An endpoint without one of them is refused: access is never granted by omission.
 */
public final class AccessInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (!(handler instanceof HandlerMethod method) || !isCrmEndpoint(method)) {
            return true;
        }
        Optional<Access> access = accessOf(method);
        if (access.isEmpty()) {
            throw new IllegalStateException("Endpoint " + method + " declares no access rule (@Requires, @SignedIn or @Public)");
        }
        Access rule = access.get();
        if (rule instanceof Access.Anyone) {
            return true;
        }
        if (rule instanceof Access.AnySignedIn) {
            if (!isAuthenticated()) {
                throw new NotSignedInException();
            }
            return true;
        }
        Requires requires = ((Access.Permitted) rule).requires();
        Optional<Actor> actor = TenantContext.current();
        if (actor.isEmpty()) {
            if (isAuthenticated()) {
                throw new NoWorkspaceException();
            }
            throw new NotSignedInException();
        }
        if (!actor.get().can(requires.value())) {
            throw new ForbiddenException();
        }
        return true;
    }

    /** Our endpoints; the mounted WhatsApp sandbox plays Meta and checks Meta's bearer tokens itself. */
    public static boolean isCrmEndpoint(HandlerMethod method) {
        String packageName = method.getBeanType().getPackageName();
        return packageName.startsWith("hexa.") && !packageName.startsWith("hexa.sandbox");
    }

    public static Optional<Access> accessOf(HandlerMethod method) {
        Requires requires = find(method, Requires.class);
        if (requires != null) {
            return Optional.of(new Access.Permitted(requires));
        }
        if (find(method, SignedIn.class) != null) {
            return Optional.of(new Access.AnySignedIn());
        }
        if (find(method, Public.class) != null) {
            return Optional.of(new Access.Anyone());
        }
        return Optional.empty();
    }

    private static <A extends java.lang.annotation.Annotation> A find(HandlerMethod method, Class<A> type) {
        A onMethod = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), type);
        return onMethod != null ? onMethod : AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), type);
    }

    private static boolean isAuthenticated() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.isAuthenticated() && !(authentication instanceof AnonymousAuthenticationToken);
    }

    public sealed interface Access {
        record Anyone() implements Access {
        }

        record AnySignedIn() implements Access {
        }

        record Permitted(Requires requires) implements Access {
        }
    }

    /** The person must sign in first. */
    public static final class NotSignedInException extends UserError {
        public NotSignedInException() {
            super(org.springframework.http.HttpStatus.UNAUTHORIZED, "unauthorized", "error.unauthorized");
        }
    }

    /** Signed in, but a member of no workspace (every membership was deactivated). */
    public static final class NoWorkspaceException extends UserError {
        public NoWorkspaceException() {
            super(org.springframework.http.HttpStatus.FORBIDDEN, "no_workspace", "error.no-workspace");
        }
    }
}
