package hexa.identity;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.platform.Ids;
import hexa.platform.crypto.Tokens;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A forgotten password is replaced through a link mailed to the account's address: it works once, for 30 minutes, and
 * only its SHA-256 is kept. Asking answers the same whether or not the address has an account, and the mail goes out
 * after the answer, so neither the words nor the time tell. Setting the new password signs out every session of the
 * account. Without SMTP there is no reset: the page says so.
 */
@Service
class PasswordResetService {

    private static final Logger log = LoggerFactory.getLogger(PasswordResetService.class);

    static final Duration VALIDITY = Duration.ofMinutes(30);
    /** Links one account may be mailed within an hour; anyone can ask for any address, so the mails are bounded. */
    static final int MAILS_PER_HOUR = 3;
    private static final String TOKEN_PREFIX = "pwr_";

    private final Users users;
    private final PasswordResets resets;
    private final Passwords passwords;
    private final SignInService signIn;
    private final AccountMail mail;
    private final FindByIndexNameSessionRepository<? extends Session> sessions;
    private final SignInThrottle throttle;
    private final Clock clock;

    PasswordResetService(Users users, PasswordResets resets, Passwords passwords, SignInService signIn, AccountMail mail,
                         FindByIndexNameSessionRepository<? extends Session> sessions, SignInThrottle throttle, Clock clock) {
        this.throttle = throttle;
        this.users = users;
        this.resets = resets;
        this.passwords = passwords;
        this.signIn = signIn;
        this.mail = mail;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Whether this server can reset passwords at all: only by mail. */
    public boolean available() {
        return mail.enabled();
    }

    /** Mails a reset link when an account has this address and has not had too many lately; answers nothing either way. */
    @Transactional
    public void request(String email) {
        if (!mail.enabled()) {
            throw new UserError(HttpStatus.BAD_REQUEST, "mail_unavailable", "password-reset.no-mail");
        }
        String address = NewPerson.validEmail(email);
        Optional<User> found = users.byEmail(address);
        if (found.isEmpty()) {
            return;
        }
        User user = found.get();
        Instant now = clock.instant();
        if (resets.countSince(user.id(), now.minus(Duration.ofHours(1))) >= MAILS_PER_HOUR) {
            log.warn("Security: no password reset mailed to account {}: {} links were mailed in the last hour", user.id(), MAILS_PER_HOUR);
            return;
        }
        String token = TOKEN_PREFIX + Tokens.random(32);
        resets.insert(Ids.newId(), user.id(), Tokens.sha256(token), now, now.plus(VALIDITY));
        mail.sendLater(user.email(), Text.t("password-reset.mail.subject"),
                Text.t("password-reset.mail.body", user.name(), mail.linkBase() + "/reset-password/" + token, VALIDITY.toMinutes()));
        signIn.recordInEveryWorkspace(user.id(), AuditActor.anonymous(address),
                AuditEntry.of("password_reset.requested").target("user", user.id(), user.name()));
    }

    /** The account a link would set the password of, while the link works. */
    public Optional<User> accountOf(String token) {
        return usable(token).flatMap(reset -> users.byId(reset.userId()));
    }

    /**
     * Sets the new password, spends the link (and any other open link of the account) and signs out every session of the
     * account. A link that does not work, or a password that breaks the rules, changes nothing.
     */
    @Transactional
    public User reset(String token, String password, String confirmation) {
        PasswordResets.Reset reset = usable(token).orElseThrow(PasswordResetService::invalidLink);
        User user = users.byId(reset.userId()).orElseThrow(PasswordResetService::invalidLink);
        if (!password.equals(confirmation)) {
            throw UserError.invalid("profile.password.mismatch");
        }
        passwords.requireAcceptable(password);
        Instant now = clock.instant();
        if (!resets.use(reset.id(), now)) {
            throw invalidLink();
        }
        resets.spendAllOf(user.id(), now);
        users.changePassword(user.id(), passwords.hash(password), now);
        for (String sessionId : sessions.findByPrincipalName(user.id().toString()).keySet()) {
            sessions.deleteById(sessionId);
        }
        // The mailbox's owner is the account's owner: failed sign-ins that locked them out no longer hold.
        throttle.forgetAccount(user.email());
        log.info("Security: the password of account {} was reset through a mailed link; its sessions were signed out", user.id());
        signIn.recordInEveryWorkspace(user.id(), AuditActor.person(user.id(), user.name()),
                AuditEntry.of("password_reset.completed").target("user", user.id(), user.name()));
        return user;
    }

    private Optional<PasswordResets.Reset> usable(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        return resets.byToken(Tokens.sha256(token)).filter(reset -> reset.usableAt(clock.instant()));
    }

    /** Not found, as an unknown invitation is: the link names nothing that exists (any more). */
    private static UserError invalidLink() {
        return new UserError(HttpStatus.NOT_FOUND, "reset_link_invalid", "password-reset.invalid");
    }
}
