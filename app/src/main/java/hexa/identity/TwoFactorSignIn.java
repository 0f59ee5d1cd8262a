package hexa.identity;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * Between the password and the second factor. A person with two-factor authentication whose password was right is
 * not signed in: the session only remembers, for a few minutes, whose code it waits for. No page or API treats such a
 * session as signed in; only the code page reads what it remembers.
 */
@Component
class TwoFactorSignIn {

    static final String PENDING = "hexa.two-factor.pending";
    static final String DEVICE_COOKIE = "HEXA_DEVICE";
    private static final Duration PENDING_FOR = Duration.ofMinutes(5);

    /** Whose code the session waits for, since when, and the workspace to open afterwards (an invitation's). */
    record Pending(UUID userId, UUID workspaceId, Instant since) implements Serializable {
    }

    private final TwoFactorService twoFactor;
    private final SessionSignIn sessions;
    private final SignInService signIn;
    private final Clock clock;

    TwoFactorSignIn(TwoFactorService twoFactor, SessionSignIn sessions, SignInService signIn, Clock clock) {
        this.twoFactor = twoFactor;
        this.sessions = sessions;
        this.signIn = signIn;
        this.clock = clock;
    }

    /** After a right password: signs in, or (two-factor enrolled, this device not remembered) asks for a code. Answers where to go. */
    String afterPassword(User user, UUID workspaceId, HttpServletRequest request, HttpServletResponse response) {
        if (twoFactor.enabled(user.id()) && !twoFactor.remembered(user, deviceCookie(request))) {
            sessions.signOut(request);
            request.getSession(true).setAttribute(PENDING, new Pending(user.id(), workspaceId, clock.instant()));
            return "redirect:/sign-in/two-factor";
        }
        sessions.signIn(user, workspaceId, request, response);
        signIn.recordSignIn(user);
        return "redirect:/";
    }

    Optional<Pending> pending(HttpServletRequest request) {
        var session = request.getSession(false);
        if (session == null || !(session.getAttribute(PENDING) instanceof Pending pending)) {
            return Optional.empty();
        }
        if (pending.since().plus(PENDING_FOR).isBefore(clock.instant())) {
            session.removeAttribute(PENDING);
            return Optional.empty();
        }
        return Optional.of(pending);
    }

    /** The code was right: the session is signed in now (with a new id), and the device remembered when asked. */
    void complete(User user, Pending pending, boolean rememberDevice, HttpServletRequest request, HttpServletResponse response) {
        request.getSession().removeAttribute(PENDING);
        sessions.signIn(user, pending.workspaceId(), request, response);
        if (rememberDevice) {
            ResponseCookie cookie = ResponseCookie.from(DEVICE_COOKIE, twoFactor.rememberDevice(user))
                    .httpOnly(true).secure(request.isSecure()).sameSite("Lax").path("/")
                    .maxAge(TwoFactorService.REMEMBER_DEVICE_FOR).build();
            response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
        }
        signIn.recordSignIn(user);
    }

    void abandon(HttpServletRequest request) {
        var session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(PENDING);
        }
    }

    private static String deviceCookie(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return null;
        }
        for (Cookie cookie : request.getCookies()) {
            if (DEVICE_COOKIE.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }
}
