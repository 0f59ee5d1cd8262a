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
 * copy (and mailed when SMTP is configured). Accepting creates the account or adds the membership.
 */
@Service
class InvitationService {

    static final Duration VALIDITY = Duration.ofDays(7);
    private static final String TOKEN_PREFIX = "inv_";

    private final Invitations invitations;
    private final Memberships memberships;
    private final Users users;
    private final Workspaces workspaces;
    private final Passwords passwords;
    private final SignInService signIn;
    private final InvitationMailer mailer;
    private final AuditTrail audit;
    private final PublicUrl publicUrl;
    private final Clock clock;
    private final ApiTokenService tokens;

    InvitationService(Invitations invitations, Memberships memberships, Users users, Workspaces workspaces, Passwords passwords,
                      SignInService signIn, InvitationMailer mailer, AuditTrail audit, PublicUrl publicUrl, Clock clock,
                      ApiTokenService tokens) {
        this.tokens = tokens;
        this.invitations = invitations;
        this.memberships = memberships;
        this.users = users;
        this.workspaces = workspaces;
        this.passwords = passwords;
        this.signIn = signIn;
        this.mailer = mailer;
        this.audit = audit;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /** The link to hand over, and whether it was also mailed. */
    public record Sent(Invitation invitation, String link, boolean mailed) {
    }

    /** An invitation as the person who follows its link sees it. */
    public record Opened(Invitation invitation, String workspaceName, boolean accountExists) {
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
        boolean mailed = mailer.send(address, workspaceName, actor.name(), link);
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
        return new Opened(invitation, workspaceName, users.byEmail(invitation.email()).isPresent());
    }

    /** Accepts as a new person: creates their account with the invited address. */
    @Transactional
    public User acceptAsNewPerson(String token, String name, String password) {
        Opened opened = open(token);
        if (opened.accountExists()) {
            throw new UserError(HttpStatus.CONFLICT, "account_exists", "invitation.account-exists");
        }
        NewPerson person = NewPerson.of(name, opened.invitation().email(), password);
        passwords.requireAcceptable(password);
        Instant now = clock.instant();
        User user = new User(Ids.newId(), person.email(), person.name(), passwords.hash(password), now, null);
        users.insert(user, now);
        join(opened.invitation(), user, now);
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
        // Joining again brings a deactivated member back with the invited role, and their API tokens with them.
        tokens.followingCreator(invitation.tenantId(), user.id(), AuditActor.person(user.id(), user.name()),
                () -> memberships.upsert(invitation.tenantId(), user.id(), invitation.role(), now));
        users.rememberWorkspace(user.id(), invitation.tenantId());
        audit.record(invitation.tenantId(), AuditActor.person(user.id(), user.name()),
                AuditEntry.of("invitation.accepted").target("user", user.id(), user.name())
                        .details(Map.of("role", invitation.role().name(), "invitation", invitation.id().toString())));
    }
}
