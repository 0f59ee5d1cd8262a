package hexa.identity;

import hexa.audit.AuditActor;
import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.access.Permission;
import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.ForbiddenException;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Who is in the workspace and with which role; the last Owner always stays. */
@Service
public class MemberService {

    private final Memberships memberships;
    private final AuditTrail audit;
    private final Clock clock;
    private final ApiTokenService tokens;

    MemberService(Memberships memberships, AuditTrail audit, Clock clock, ApiTokenService tokens) {
        this.memberships = memberships;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Member> members() {
        return memberships.all(TenantContext.tenantId());
    }

    /**
     * The member's role now, if they are still an active member of the workspace (for what was allowed once and
     * goes on, such as a live stream opened earlier): empty once they were deactivated or removed.
     */
    public java.util.Optional<hexa.platform.access.Role> activeRole(UUID tenantId, UUID userId) {
        return memberships.find(tenantId, userId).filter(Member::active).map(Member::role);
    }

    public Member member(UUID userId) {
        return memberships.find(TenantContext.tenantId(), userId).orElseThrow(NotFoundException::new);
    }

    @Transactional
    public void changeRole(UUID userId, Role newRole) {
        UUID tenant = TenantContext.tenantId();
        Actor actor = TenantContext.actor();
        Member member = memberships.findForUpdate(tenant, userId).orElseThrow(NotFoundException::new);
        if (member.role() == newRole) {
            return;
        }
        requireMayTouch(actor, member, newRole);
        if (member.role() == Role.OWNER && member.active()) {
            requireAnotherOwner(tenant);
        }
        // The member's API tokens follow: none acts above the new role.
        tokens.followingCreator(tenant, userId, AuditActor.of(TenantContext.actor()), () -> {
            memberships.changeRole(tenant, userId, newRole, clock.instant());
            audit.record(AuditEntry.of("member.role_changed").target("user", userId, member.name())
                    .details(Map.of("from", member.role().name(), "to", newRole.name())));
        });
    }

    @Transactional
    public void deactivate(UUID userId) {
        UUID tenant = TenantContext.tenantId();
        Actor actor = TenantContext.actor();
        Member member = memberships.findForUpdate(tenant, userId).orElseThrow(NotFoundException::new);
        if (!member.active()) {
            return;
        }
        if (userId.equals(actor.userId())) {
            throw new UserError(HttpStatus.CONFLICT, "cannot_deactivate_self", "members.cannot-deactivate-self");
        }
        requireMayTouch(actor, member, member.role());
        if (member.role() == Role.OWNER) {
            requireAnotherOwner(tenant);
        }
        // The member's API tokens are suspended with them.
        tokens.followingCreator(tenant, userId, AuditActor.of(TenantContext.actor()), () -> {
            memberships.setActive(tenant, userId, false, clock.instant());
            audit.record(AuditEntry.of("member.deactivated").target("user", userId, member.name()).details(Map.of("role", member.role().name())));
        });
    }

    @Transactional
    public void reactivate(UUID userId) {
        UUID tenant = TenantContext.tenantId();
        Member member = memberships.findForUpdate(tenant, userId).orElseThrow(NotFoundException::new);
        if (member.active()) {
            return;
        }
        requireMayTouch(TenantContext.actor(), member, member.role());
        tokens.followingCreator(tenant, userId, AuditActor.of(TenantContext.actor()), () -> {
            memberships.setActive(tenant, userId, true, clock.instant());
            audit.record(AuditEntry.of("member.reactivated").target("user", userId, member.name()).details(Map.of("role", member.role().name())));
        });
    }

    /** Only Owners grant, change or remove the Owner role. */
    private static void requireMayTouch(Actor actor, Member member, Role newRole) {
        boolean ownersInvolved = member.role() == Role.OWNER || newRole == Role.OWNER;
        if (ownersInvolved && !actor.can(Permission.MANAGE_OWNERS)) {
            throw new ForbiddenException("members.only-owners-manage-owners");
        }
    }

    private void requireAnotherOwner(UUID tenant) {
        if (memberships.lockActiveOwners(tenant) <= 1) {
            throw new LastOwner();
        }
    }
}
