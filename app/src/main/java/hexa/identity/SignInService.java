package hexa.identity;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.web.UserError;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Checks email and password, under the throttle, and writes what happened to the audit trail. */
@Service
class SignInService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SignInService.class);

    private final Users users;
    private final Memberships memberships;
    private final Passwords passwords;
    private final SignInThrottle throttle;
    private final AuditTrail audit;

    SignInService(Users users, Memberships memberships, Passwords passwords, SignInThrottle throttle, AuditTrail audit) {
        this.users = users;
        this.memberships = memberships;
        this.passwords = passwords;
        this.throttle = throttle;
        this.audit = audit;
    }

    /**
     * Answers the person when the email and password are right; otherwise throws a {@link UserError}
     * that says as little as possible about which of the two was wrong.
     */
    @Transactional(noRollbackFor = UserError.class)
    public User verify(String email, String password, String address) {
        String normalized = email == null ? "" : email.trim();
        if (normalized.isEmpty() || password == null || password.isEmpty()) {
            throw new UserError(HttpStatus.BAD_REQUEST, "missing_credentials", "sign-in.missing");
        }
        SignInThrottle.Verdict verdict = throttle.check(normalized, address);
        if (verdict instanceof SignInThrottle.Verdict.SlowDown wait) {
            throw new UserError(HttpStatus.TOO_MANY_REQUESTS, "slow_down", "sign-in.slow-down", wait.waitSeconds());
        }
        if (verdict instanceof SignInThrottle.Verdict.AccountLocked lock) {
            throw new UserError(HttpStatus.TOO_MANY_REQUESTS, "account_locked", "sign-in.account-locked", lock.minutes());
        }
        if (verdict instanceof SignInThrottle.Verdict.AddressLocked lock) {
            throw new UserError(HttpStatus.TOO_MANY_REQUESTS, "address_locked", "sign-in.address-locked", lock.minutes());
        }
        var user = users.byEmail(normalized);
        if (user.isPresent() && passwords.matches(password, user.get().passwordHash())) {
            throttle.recordSuccess(normalized, address);
            return user.get();
        }
        if (user.isEmpty()) {
            passwords.spendTimeAsIfChecking(password);
        }
        SignInThrottle.Consequence consequence = throttle.recordFailure(normalized, address);
        user.ifPresent(u -> {
            recordInEveryWorkspace(u.id(), AuditActor.anonymous(u.email()), AuditEntry.of("sign_in.failed").target("user", u.id(), u.name()));
            if (consequence == SignInThrottle.Consequence.ACCOUNT_LOCKED) {
                recordInEveryWorkspace(u.id(), AuditActor.system(), AuditEntry.of("sign_in.locked").target("user", u.id(), u.name())
                        .details(Map.of("reason", "too many failed sign-ins", "address", String.valueOf(address))));
            }
        });
        if (consequence == SignInThrottle.Consequence.ADDRESS_LOCKED) {
            // An address belongs to no workspace, so this lock goes to the system log, not an audit trail.
            log.warn("Security: sign-ins from {} locked after too many failures (last tried: {})", address, normalized);
        }
        if (consequence == SignInThrottle.Consequence.ACCOUNT_LOCKED) {
            log.warn("Security: account {} locked after too many failed sign-ins (from {})", normalized, address);
            throw new UserError(HttpStatus.TOO_MANY_REQUESTS, "account_locked", "sign-in.account-locked-now");
        }
        throw new UserError(HttpStatus.UNAUTHORIZED, "bad_credentials", "sign-in.bad-credentials");
    }

    public void recordSignIn(User user) {
        recordInEveryWorkspace(user.id(), AuditActor.person(user.id(), user.name()), AuditEntry.of("sign_in.succeeded").target("user", user.id(), user.name()));
    }

    public void recordSignOut(UUID userId) {
        users.byId(userId).ifPresent(user ->
                recordInEveryWorkspace(user.id(), AuditActor.person(user.id(), user.name()), AuditEntry.of("sign_out").target("user", user.id(), user.name())));
    }

    /** Account events concern every workspace the person belongs to, so each of their audit logs shows them. */
    void recordInEveryWorkspace(UUID userId, AuditActor actor, AuditEntry entry) {
        List<UUID> workspaces = memberships.activeWorkspacesOf(userId);
        for (UUID workspace : workspaces) {
            audit.record(workspace, actor, entry);
        }
    }
}
