package hexa.identity;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A person's own name and password. */
@Service
class ProfileService {

    private final Users users;
    private final Passwords passwords;
    private final SignInService signIn;
    private final FindByIndexNameSessionRepository<? extends Session> sessions;
    private final Clock clock;

    ProfileService(Users users, Passwords passwords, SignInService signIn,
                   FindByIndexNameSessionRepository<? extends Session> sessions, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.signIn = signIn;
        this.sessions = sessions;
        this.clock = clock;
    }

    public User user(UUID id) {
        return users.byId(id).orElseThrow(NotFoundException::new);
    }

    @Transactional
    public void rename(UUID userId, String name) {
        User user = user(userId);
        String valid = NewPerson.validName(name);
        if (!valid.equals(user.name())) {
            users.rename(userId, valid, clock.instant());
            signIn.recordInEveryWorkspace(userId, AuditActor.person(userId, valid), AuditEntry.of("profile.name_changed")
                    .target("user", userId, valid).details(java.util.Map.of("from", user.name(), "to", valid)));
        }
    }

    /**
     * Changes the password after checking the current one, then signs out every other session of the
     * person; the session that made the change stays signed in.
     */
    @Transactional
    public void changePassword(UUID userId, String current, String replacement, String keepSessionId) {
        User user = user(userId);
        if (!passwords.matches(current, user.passwordHash())) {
            throw new UserError(HttpStatus.BAD_REQUEST, "wrong_password", "profile.password.current-wrong");
        }
        passwords.requireAcceptable(replacement);
        users.changePassword(userId, passwords.hash(replacement), clock.instant());
        for (String sessionId : sessions.findByPrincipalName(userId.toString()).keySet()) {
            if (!sessionId.equals(keepSessionId)) {
                sessions.deleteById(sessionId);
            }
        }
        signIn.recordInEveryWorkspace(userId, AuditActor.person(userId, user.name()), AuditEntry.of("profile.password_changed").target("user", userId, user.name()));
    }
}
