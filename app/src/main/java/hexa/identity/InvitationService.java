package hexa.identity;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Role;
import hexa.platform.crypto.TenantTokens;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.ForbiddenException;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.PublicUrl;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Admins invite people by email. The link is single-use, expires after 7 days, and is shown once to
 * copy (and mailed when SMTP is configured). Accepting adds the membership to an existing account after
 * its password is given, or creates the account. Whoever invites sees the link, so when the server can
 * send mail a new account needs more than the link: a proof that its holder reads the invited address's
 * mail (a second secret, mailed with the invitation and again on request, never shown to the inviter).
 * Without mail there is nothing to prove it with; the link is then for an Owner to hand over, and its
 * page says that whoever holds it can create the account (docs/security.md).
 */
@Service
class InvitationService {

    static final Duration VALIDITY = Duration.ofDays(7);
    /** How long a confirmation link mailed on request works; the one in the invitation's mail lasts as long as it. */
    static final Duration PROOF_VALIDITY = Duration.ofMinutes(30);
    /** Mails of confirmation links an invitation may cause within an hour, its own included: anyone with the link can ask. */
    static final int PROOF_MAILS_PER_HOUR = 5;
    private static final String TOKEN_PREFIX = "inv_";
    private static final String PROOF_PREFIX = "prf_";

    private final Invitations invitations;
    private final Memberships memberships;
    private final Users users;
    private final Workspaces workspaces;
    private final Passwords passwords;
    private final SignInService signIn;
    private final AddressProofs proofs;
    private final AccountMail mail;
    private final AuditTrail audit;
    private final PublicUrl publicUrl;
    private final Clock clock;
    private final ApiTokenService tokens;

    InvitationService(Invitations invitations, Memberships memberships, Users users, Workspaces workspaces, Passwords passwords,
                      SignInService signIn, AddressProofs proofs, AccountMail mail, AuditTrail audit, PublicUrl publicUrl, Clock clock,
                      ApiTokenService tokens) {
        this.tokens = tokens;
        this.invitations = invitations;
        this.memberships = memberships;
        this.users = users;
        this.workspaces = workspaces;
        this.passwords = passwords;
        this.signIn = signIn;
        this.proofs = proofs;
        this.mail = mail;
        this.audit = audit;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /** The link to hand over, and whether it was also mailed. */
    public record Sent(Invitation invitation, String link, boolean mailed) {
    }

    /**
     * An invitation as the person who follows its link sees it. Whether its address has an account is not part of it:
     * the inviter holds the link too, and the page must read the same either way.
     */
    public record Opened(Invitation invitation, String workspaceName) {
    }

    /** What a confirmation link given with the invitation's link proves; only its holder learns whether an account exists. */
    public record Proof(boolean valid, boolean accountExists) {
        static final Proof NONE = new Proof(false, false);
    }

    /** Whether new accounts must prove their address (the server can mail it a link). */
    public boolean addressProofRequired() {
        return mail.enabled();
    }

    @Transactional
    public Sent invite(String email, Role role) {
        Actor actor = TenantContext.actor();
        UUID tenant = actor.tenantId();
        String address = NewPerson.validEmail(email);
        if (role == Role.OWNER && !actor.can(Permission.MANAGE_OWNERS)) {
            throw new ForbiddenException("members.only-owners-manage-owners");
        }
        Optional<User> existing = users.byEmail(address);
        if (existing.isPresent() && memberships.find(tenant, existing.get().id()).map(Member::active).orElse(false)) {
            throw new AlreadyMember(address);
        }
        Instant now = clock.instant();
        invitations.revokePendingFor(tenant, address, now);
        String token = TenantTokens.issue(TOKEN_PREFIX, tenant);
        Invitation invitation = new Invitation(tenant, Ids.newId(), address, role, actor.userId(), actor.name(), now, now.plus(VALIDITY), null, null);
        invitations.insert(invitation, TenantTokens.parse(TOKEN_PREFIX, token).orElseThrow().hash());
        String link = publicUrl.base() + "/invitations/" + token;
        String workspaceName = workspaces.find(tenant).map(Workspace::name).orElse("");
        boolean mailed = false;
        if (mail.enabled()) {
            String proof = issueProof(invitation, invitation.expiresAt(), now);
            mailed = mail.send(address, Text.t("invitation.mail.subject", workspaceName),
                    Text.t("invitation.mail.body", actor.name(), workspaceName, mailedLink(token, proof)));
        }
        audit.record(AuditEntry.of("invitation.sent").target("invitation", invitation.id(), address)
                .details(Map.of("role", role.name(), "mailed", mailed)));
        return new Sent(invitation, link, mailed);
    }

    public List<Invitation> pending() {
        return invitations.pending(TenantContext.tenantId(), clock.instant());
    }

    @Transactional
    public void revoke(UUID id) {
        UUID tenant = TenantContext.tenantId();
        Invitation invitation = invitations.find(tenant, id).orElseThrow(NotFoundException::new);
        if (invitations.revoke(tenant, id, clock.instant())) {
            audit.record(AuditEntry.of("invitation.revoked").target("invitation", id, invitation.email()));
        }
    }

    /** Looks up a link; an unknown, used, revoked or expired one is simply not found. */
    public Opened open(String token) {
        TenantTokens.Parsed parsed = TenantTokens.parse(TOKEN_PREFIX, token).orElseThrow(NotFoundException::new);
        Invitation invitation = invitations.byToken(parsed.tenantId(), parsed.hash())
                .filter(i -> i.usableAt(clock.instant()))
                .orElseThrow(NotFoundException::new);
        String workspaceName = workspaces.find(invitation.tenantId()).map(Workspace::name).orElseThrow(NotFoundException::new);
        return new Opened(invitation, workspaceName);
    }

    /** Checks a confirmation link's proof against the invitation it came with; an empty one proves nothing. */
    public Proof proof(String token, String proof) {
        if (proof == null || proof.isBlank()) {
            return Proof.NONE;
        }
        Invitation invitation = open(token).invitation();
        if (usableProof(invitation, proof).isEmpty()) {
            return Proof.NONE;
        }
        return new Proof(true, users.byEmail(invitation.email()).isPresent());
    }

    /**
     * Mails the invited address a link that proves its holder reads that mail. The same mail goes out whether or not the
     * address has an account, and the answer is the same, so the inviter learns nothing from asking.
     */
    @Transactional
    public void mailAddressProof(String token) {
        if (!mail.enabled()) {
            throw new UserError(HttpStatus.BAD_REQUEST, "mail_unavailable", "invitation.confirm.no-mail");
        }
        Invitation invitation = open(token).invitation();
        Instant now = clock.instant();
        if (proofs.countSince(invitation.tenantId(), invitation.id(), now.minus(Duration.ofHours(1))) >= PROOF_MAILS_PER_HOUR) {
            throw new UserError(HttpStatus.TOO_MANY_REQUESTS, "too_many_mails", "invitation.confirm.too-many");
        }
        Instant expires = now.plus(PROOF_VALIDITY).isBefore(invitation.expiresAt()) ? now.plus(PROOF_VALIDITY) : invitation.expiresAt();
        String proof = issueProof(invitation, expires, now);
        String workspaceName = workspaces.find(invitation.tenantId()).map(Workspace::name).orElse("");
        mail.sendLater(invitation.email(), Text.t("invitation.confirm.mail.subject", workspaceName),
                Text.t("invitation.confirm.mail.body", workspaceName, mailedLink(token, proof), PROOF_VALIDITY.toMinutes()));
        audit.record(invitation.tenantId(), AuditActor.anonymous(invitation.email()),
                AuditEntry.of("invitation.confirmation_mailed").target("invitation", invitation.id(), invitation.email()));
    }

    /**
     * Accepts as a new person: creates their account with the invited address. When the server can mail, the address
     * must have been proven with a confirmation link; the invitation's link alone is what the inviter holds too.
     */
    @Transactional
    public User acceptAsNewPerson(String token, String name, String password, String proof) {
        Invitation invitation = open(token).invitation();
        Instant now = clock.instant();
        boolean proven = false;
        if (proof != null && !proof.isBlank()) {
            if (usableProof(invitation, proof).isEmpty()) {
                throw new UserError(HttpStatus.BAD_REQUEST, "confirmation_invalid", "invitation.confirm.invalid");
            }
            proven = true;
        } else if (mail.enabled()) {
            throw new UserError(HttpStatus.FORBIDDEN, "address_unconfirmed", "invitation.confirm.required", invitation.email());
        }
        if (users.byEmail(invitation.email()).isPresent()) {
            throw new UserError(HttpStatus.CONFLICT, "account_exists", "invitation.account-exists");
        }
        NewPerson person = NewPerson.of(name, invitation.email(), password);
        passwords.requireAcceptable(password);
        User user = new User(Ids.newId(), person.email(), person.name(), passwords.hash(password), now, null);
        users.insert(user, now);
        audit.record(invitation.tenantId(), AuditActor.person(user.id(), user.name()),
                AuditEntry.of("account.created").target("user", user.id(), user.name())
                        .details(Map.of("addressConfirmed", proven, "invitation", invitation.id().toString())));
        join(invitation, user, now);
        return user;
    }

    /** Accepts as someone who already has an account: their password proves it is them. */
    @Transactional(noRollbackFor = UserError.class)
    public User acceptAsExistingPerson(String token, String password, String address) {
        Opened opened = open(token);
        User user = signIn.verify(opened.invitation().email(), password, address);
        join(opened.invitation(), user, clock.instant());
        return user;
    }

    private void join(Invitation invitation, User user, Instant now) {
        if (!invitations.accept(invitation.tenantId(), invitation.id(), user.id(), now)) {
            throw new NotFoundException();
        }
        proofs.spendAll(invitation.tenantId(), invitation.id(), now);
        // Joining again brings a deactivated member back with the invited role, and their API tokens with them.
        tokens.followingCreator(invitation.tenantId(), user.id(), AuditActor.person(user.id(), user.name()),
                () -> memberships.upsert(invitation.tenantId(), user.id(), invitation.role(), now));
        users.rememberWorkspace(user.id(), invitation.tenantId());
        audit.record(invitation.tenantId(), AuditActor.person(user.id(), user.name()),
                AuditEntry.of("invitation.accepted").target("user", user.id(), user.name())
                        .details(Map.of("role", invitation.role().name(), "invitation", invitation.id().toString())));
    }

    private String issueProof(Invitation invitation, Instant expiresAt, Instant now) {
        String proof = TenantTokens.issue(PROOF_PREFIX, invitation.tenantId());
        proofs.insert(invitation.tenantId(), Ids.newId(), invitation.id(), TenantTokens.parse(PROOF_PREFIX, proof).orElseThrow().hash(), now, expiresAt);
        return proof;
    }

    private Optional<UUID> usableProof(Invitation invitation, String proof) {
        return TenantTokens.parse(PROOF_PREFIX, proof)
                .filter(parsed -> parsed.tenantId().equals(invitation.tenantId()))
                .flatMap(parsed -> proofs.usable(invitation.tenantId(), invitation.id(), parsed.hash(), clock.instant()));
    }

    /** The link mailed to the invited address: the invitation's, with the proof that only that mailbox receives. */
    private String mailedLink(String token, String proof) {
        return mail.linkBase() + "/invitations/" + token + "?proof=" + proof;
    }
}
