package hexa.identity;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.crypto.SecretBox;
import hexa.platform.crypto.Tokens;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Two-factor authentication: enrolling (a TOTP secret confirmed with a first code), the second sign-in step (a code
 * or a one-time recovery code, throttled like passwords), recovery codes, switching it off, remembered devices and
 * the workspace's requirement. Every change is audited in each workspace of the person.
 */
@Service
class TwoFactorService {

    static final int RECOVERY_CODES = 10;
    static final Duration REMEMBER_DEVICE_FOR = Duration.ofDays(30);
    private static final String ISSUER = "Hexa CRM";
    private static final char[] RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

    /** What the enrolment page shows: the secret to type and the QR code of its key URI. */
    record Enrolment(String secret, String keyUri, String qrCode) {
    }

    private final TwoFactors twoFactors;
    private final Users users;
    private final Passwords passwords;
    private final TotpCodes totp;
    private final SecretBox secrets;
    private final SignInThrottle throttle;
    private final SignInService signIn;
    private final AuditTrail audit;
    private final Clock clock;
    private final FindByIndexNameSessionRepository<? extends Session> sessions;
    private final SecureRandom random = new SecureRandom();

    TwoFactorService(TwoFactors twoFactors, Users users, Passwords passwords, TotpCodes totp, SecretBox secrets,
                     SignInThrottle throttle, SignInService signIn, AuditTrail audit, Clock clock,
                     FindByIndexNameSessionRepository<? extends Session> sessions) {
        this.sessions = sessions;
        this.twoFactors = twoFactors;
        this.users = users;
        this.passwords = passwords;
        this.totp = totp;
        this.secrets = secrets;
        this.throttle = throttle;
        this.signIn = signIn;
        this.audit = audit;
        this.clock = clock;
    }

    public boolean enabled(UUID userId) {
        return twoFactors.enabled(userId);
    }

    public int unusedRecoveryCodes(UUID userId) {
        return twoFactors.unusedRecoveryCodes(userId);
    }

    /** A member of a workspace that requires two-factor authentication who has not enrolled yet. */
    public boolean mustEnrol(UUID userId, UUID workspaceId) {
        return twoFactors.mustEnrol(userId, workspaceId);
    }

    public boolean workspaceRequires(UUID workspaceId) {
        return twoFactors.workspaceRequires(workspaceId);
    }

    /** A new secret, waiting for the first code from the person's app; replaces one that never got it. */
    @Transactional
    public Enrolment startEnrolment(UUID userId) {
        User user = user(userId);
        byte[] secret = totp.newSecret();
        if (!twoFactors.startEnrolment(userId, secrets.seal(secret), Tokens.random(18), clock.instant())) {
            throw UserError.conflict("two-factor.already-enabled");
        }
        return enrolment(user, secret);
    }

    /** The enrolment started and not confirmed yet, to show again after a reload. */
    public Optional<Enrolment> pendingEnrolment(UUID userId) {
        User user = user(userId);
        return twoFactors.of(userId).filter(row -> !row.enabled()).map(row -> enrolment(user, secrets.open(row.secretSealed())));
    }

    /**
     * Switches two-factor authentication on once a code of the new secret is right, and signs out the person's other
     * sessions (one opened with a stolen password does not stay); answers the recovery codes, shown once.
     */
    @Transactional
    public List<String> confirmEnrolment(UUID userId, String code, String keepSessionId) {
        User user = user(userId);
        TwoFactors.Row row = twoFactors.of(userId).filter(r -> !r.enabled())
                .orElseThrow(() -> UserError.conflict("two-factor.no-enrolment"));
        OptionalLong step = totp.match(secrets.open(row.secretSealed()), code, row.lastUsedStep(), clock.instant());
        if (step.isEmpty() || !twoFactors.useStep(userId, step.getAsLong())) {
            throw UserError.invalid("two-factor.code-wrong");
        }
        twoFactors.enable(userId, clock.instant());
        for (String sessionId : sessions.findByPrincipalName(userId.toString()).keySet()) {
            if (!sessionId.equals(keepSessionId)) {
                sessions.deleteById(sessionId);
            }
        }
        List<String> codes = newRecoveryCodes(userId);
        record(user, AuditEntry.of("two_factor.enrolled"));
        return codes;
    }

    /** New recovery codes (the old ones stop working), after the password; remembered devices are forgotten. */
    @Transactional
    public List<String> regenerateRecoveryCodes(UUID userId, String password) {
        User user = user(userId);
        requirePassword(user, password);
        if (!twoFactors.enabled(userId)) {
            throw UserError.conflict("two-factor.not-enabled");
        }
        List<String> codes = newRecoveryCodes(userId);
        twoFactors.newDeviceKey(userId, Tokens.random(18));
        record(user, AuditEntry.of("two_factor.recovery_codes_regenerated"));
        return codes;
    }

    /** Switches two-factor authentication off after the password: secret, recovery codes and remembered devices go. */
    @Transactional
    public void disable(UUID userId, String password) {
        User user = user(userId);
        requirePassword(user, password);
        if (!twoFactors.enabled(userId)) {
            throw UserError.conflict("two-factor.not-enabled");
        }
        twoFactors.remove(userId);
        record(user, AuditEntry.of("two_factor.disabled"));
    }

    /**
     * The second sign-in step: a code from the app (each accepted once) or an unused recovery code. Throttled with
     * the password's counts (per account from one address, and per address), so guessing codes is as slow as guessing
     * passwords.
     */
    @Transactional(noRollbackFor = UserError.class)
    public void verifySecondStep(User user, String code, String address) {
        String throttleKey = secondStepThrottleKey(user);
        refuseWhenThrottled(throttleKey, address);
        String typed = code == null ? "" : code.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
        if (typed.isEmpty()) {
            throw UserError.invalid("two-factor.code-missing");
        }
        TwoFactors.Row row = twoFactors.of(user.id()).filter(TwoFactors.Row::enabled).orElseThrow(NotFoundException::new);
        boolean right;
        if (typed.matches("\\d{" + TotpCodes.DIGITS + "}")) {
            OptionalLong step = totp.match(secrets.open(row.secretSealed()), typed, row.lastUsedStep(), clock.instant());
            right = step.isPresent() && twoFactors.useStep(user.id(), step.getAsLong());
        } else {
            right = twoFactors.useRecoveryCode(user.id(), recoveryHash(user.id(), typed), clock.instant());
            if (right) {
                record(user, AuditEntry.of("two_factor.recovery_code_used")
                        .details(Map.of("remaining", twoFactors.unusedRecoveryCodes(user.id()))));
            }
        }
        if (right) {
            throttle.recordSuccess(throttleKey, address);
            return;
        }
        SignInThrottle.Consequence consequence = throttle.recordFailure(throttleKey, address);
        signIn.recordInEveryWorkspace(user.id(), AuditActor.anonymous(user.email()), AuditEntry.of("sign_in.failed")
                .target("user", user.id(), user.name()).details(Map.of("step", "two-factor")));
        if (consequence == SignInThrottle.Consequence.ACCOUNT_LOCKED) {
            signIn.recordInEveryWorkspace(user.id(), AuditActor.system(), AuditEntry.of("sign_in.locked").target("user", user.id(), user.name())
                    .details(Map.of("reason", "too many wrong two-factor codes", "address", String.valueOf(address))));
            throw new UserError(HttpStatus.TOO_MANY_REQUESTS, "account_locked", "sign-in.account-locked-now");
        }
        throw new UserError(HttpStatus.UNAUTHORIZED, "bad_code", "two-factor.code-wrong");
    }

    /**
     * The second step's failures are counted apart from the password's: a right password clears the password's count,
     * and whoever holds the password could otherwise clear the count of wrong codes by typing it again. The address's
     * count is the same for both.
     */
    private static String secondStepThrottleKey(User user) {
        return "two-factor:" + user.email();
    }

    /** The value of a "remember this device" cookie: sealed (so signed and opaque), naming the person and the current device key. */
    @Transactional
    public String rememberDevice(User user) {
        TwoFactors.Row row = twoFactors.of(user.id()).filter(TwoFactors.Row::enabled).orElseThrow(NotFoundException::new);
        Instant until = clock.instant().plus(REMEMBER_DEVICE_FOR);
        record(user, AuditEntry.of("two_factor.device_remembered").details(Map.of("until", until.toString())));
        return secrets.seal(user.id() + "|" + row.deviceKey() + "|" + until.getEpochSecond());
    }

    /** True when the cookie was made for this person, has not expired, and their device key has not changed since. */
    public boolean remembered(User user, String cookie) {
        if (cookie == null || cookie.isBlank()) {
            return false;
        }
        String[] parts;
        try {
            parts = secrets.openString(cookie).split("\\|");
        } catch (SecretBox.SecretUnreadableException | IllegalArgumentException e) {
            return false;
        }
        if (parts.length != 3 || !parts[0].equals(user.id().toString())) {
            return false;
        }
        Optional<TwoFactors.Row> row = twoFactors.of(user.id()).filter(TwoFactors.Row::enabled);
        try {
            return row.isPresent() && Tokens.constantTimeEquals(row.get().deviceKey(), parts[1])
                    && Instant.ofEpochSecond(Long.parseLong(parts[2])).isAfter(clock.instant());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** An Owner switches the current workspace's requirement on or off. */
    @Transactional
    public void requireInCurrentWorkspace(boolean required) {
        Actor actor = TenantContext.actor();
        if (twoFactors.workspaceRequires(actor.tenantId()) == required) {
            return;
        }
        // An Owner without it would lock themselves out of their own workspace's pages at once.
        if (required && !twoFactors.enabled(actor.userId())) {
            throw UserError.conflict("two-factor.workspace.enrol-first");
        }
        twoFactors.requireInWorkspace(actor.tenantId(), required, clock.instant());
        audit.record(actor.tenantId(), AuditActor.of(actor), AuditEntry.of("workspace.two_factor_required")
                .target("workspace", actor.tenantId(), null).details(Map.of("required", required)));
    }

    private List<String> newRecoveryCodes(UUID userId) {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            codes.add(newRecoveryCode());
        }
        twoFactors.replaceRecoveryCodes(userId, codes.stream().map(c -> recoveryHash(userId, c.replace("-", ""))).toList());
        return codes;
    }

    /** 16 characters of 31 (about 79 random bits): a SHA-256 of it cannot be reversed by trying them all. */
    private String newRecoveryCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(RECOVERY_ALPHABET[random.nextInt(RECOVERY_ALPHABET.length)]);
        }
        return code.toString();
    }

    private static String recoveryHash(UUID userId, String normalizedCode) {
        return Tokens.sha256(userId + ":" + normalizedCode);
    }

    private Enrolment enrolment(User user, byte[] secret) {
        String uri = TotpCodes.keyUri(ISSUER, user.email(), secret);
        return new Enrolment(TotpCodes.base32(secret), uri, QrCode.svgDataUri(uri));
    }

    private void requirePassword(User user, String password) {
        if (password == null || !passwords.matches(password, user.passwordHash())) {
            throw new UserError(HttpStatus.BAD_REQUEST, "wrong_password", "profile.password.current-wrong");
        }
    }

    private void refuseWhenThrottled(String email, String address) {
        SignInThrottle.Verdict verdict = throttle.check(email, address);
        if (verdict instanceof SignInThrottle.Verdict.SlowDown wait) {
            throw new UserError(HttpStatus.TOO_MANY_REQUESTS, "slow_down", "sign-in.slow-down", wait.waitSeconds());
        }
        if (verdict instanceof SignInThrottle.Verdict.AccountLocked lock) {
            throw new UserError(HttpStatus.TOO_MANY_REQUESTS, "account_locked", "sign-in.account-locked", lock.minutes());
        }
        if (verdict instanceof SignInThrottle.Verdict.AddressLocked lock) {
            throw new UserError(HttpStatus.TOO_MANY_REQUESTS, "address_locked", "sign-in.address-locked", lock.minutes());
        }
    }

    private void record(User user, AuditEntry entry) {
        signIn.recordInEveryWorkspace(user.id(), AuditActor.person(user.id(), user.name()), entry.target("user", user.id(), user.name()));
    }

    private User user(UUID id) {
        return users.byId(id).orElseThrow(NotFoundException::new);
    }
}
