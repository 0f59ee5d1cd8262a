package hexa.identity;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.platform.web.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Service;

/**
 * A person's signed-in browser sessions (Spring Session's, found by the person's id): what device and address each
 * was signed in from, when, and when it was last used. The person ends any of them; an Owner signs a member out
 * everywhere. A session is named outside by a reference derived from its id (the id itself is the cookie's secret
 * and never leaves the server).
 */
@Service
public class SignedInSessions {

    static final String DEVICE = "hexa.session.device";
    static final String ADDRESS = "hexa.session.address";
    static final String SIGNED_IN_AT = "hexa.session.signed-in-at";

    /** One signed-in session as its person sees it. */
    public record SignedIn(String ref, String device, String address, Instant signedInAt, Instant lastActiveAt, boolean current) {
    }

    private final FindByIndexNameSessionRepository<? extends Session> sessions;
    private final SignInService signIn;
    private final hexa.audit.AuditTrail audit;
    private final Clock clock;

    SignedInSessions(FindByIndexNameSessionRepository<? extends Session> sessions, SignInService signIn, hexa.audit.AuditTrail audit,
                     Clock clock) {
        this.sessions = sessions;
        this.signIn = signIn;
        this.audit = audit;
        this.clock = clock;
    }

    /** Notes on the new session where and when it was signed in. */
    void describe(jakarta.servlet.http.HttpSession session, HttpServletRequest request) {
        session.setAttribute(DEVICE, device(request.getHeader("User-Agent")));
        session.setAttribute(ADDRESS, request.getRemoteAddr());
        session.setAttribute(SIGNED_IN_AT, clock.instant().toEpochMilli());
    }

    List<SignedIn> of(UUID userId, String currentSessionId) {
        return sessions.findByPrincipalName(userId.toString()).values().stream()
                .filter(s -> !s.isExpired())
                .map(s -> {
                    Long at = s.getAttribute(SIGNED_IN_AT);
                    return new SignedIn(ref(s.getId()), s.getAttributeOrDefault(DEVICE, ""), s.getAttributeOrDefault(ADDRESS, ""),
                            at == null ? s.getCreationTime() : Instant.ofEpochMilli(at), s.getLastAccessedTime(), s.getId().equals(currentSessionId));
                })
                .sorted(Comparator.comparing(SignedIn::current).reversed().thenComparing(SignedIn::lastActiveAt, Comparator.reverseOrder()))
                .toList();
    }

    /** Ends one of the person's own sessions; another's, or one that is gone, is not found. */
    void end(User user, String ref) {
        String id = sessions.findByPrincipalName(user.id().toString()).keySet().stream().filter(s -> ref(s).equals(ref)).findFirst()
                .orElseThrow(NotFoundException::new);
        sessions.deleteById(id);
        signIn.recordInEveryWorkspace(user.id(), AuditActor.person(user.id(), user.name()),
                AuditEntry.of("session.ended").target("user", user.id(), user.name()));
    }

    /** Ends every session of a member of the acting Owner's workspace (in every workspace: a session is the person's); answers how many. */
    int endAll(Member member) {
        int ended = 0;
        for (String id : sessions.findByPrincipalName(member.userId().toString()).keySet()) {
            sessions.deleteById(id);
            ended++;
        }
        // In the Owner's workspace's audit log: the member's other workspaces are not this Owner's to write in.
        audit.record(AuditEntry.of("session.signed_out_everywhere").target("user", member.userId(), member.name())
                .details(Map.of("sessions", ended)));
        return ended;
    }

    static String ref(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "Chrome on Windows": the browser and system a User-Agent names, or the first 120 characters of it. */
    static String device(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "";
        }
        String ua = userAgent;
        String browser = ua.contains("Edg/") ? "Edge" : ua.contains("OPR/") ? "Opera" : ua.contains("Firefox/") ? "Firefox"
                : ua.contains("Chrome/") || ua.contains("Chromium/") ? "Chrome" : ua.contains("Safari/") ? "Safari" : null;
        String system = ua.contains("Android") ? "Android" : ua.contains("iPhone") || ua.contains("iPad") ? "iOS"
                : ua.contains("Windows") ? "Windows" : ua.contains("Mac OS X") || ua.contains("Macintosh") ? "macOS"
                : ua.contains("CrOS") ? "ChromeOS" : ua.contains("Linux") ? "Linux" : null;
        if (browser != null && system != null) {
            return browser + " on " + system;
        }
        return ua.length() > 120 ? ua.substring(0, 120) : ua;
    }
}
