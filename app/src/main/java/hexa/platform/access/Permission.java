package hexa.platform.access;

import static hexa.platform.access.Role.ADMIN;
import static hexa.platform.access.Role.AGENT;
import static hexa.platform.access.Role.ANALYST;
import static hexa.platform.access.Role.OWNER;
import static hexa.platform.access.Role.SUPERVISOR;

import java.util.EnumSet;
import java.util.Set;

/**
 * The permission matrix, the one place that says which role may do what. docs/permissions.md
 * describes it for people; {@code PermissionMatrixTest} holds the two together.
 */
public enum Permission {
    /** Be a member at all: see the workspace, its name and your own role. */
    VIEW_WORKSPACE(OWNER, ADMIN, SUPERVISOR, AGENT, ANALYST),
    USE_INBOX(OWNER, ADMIN, SUPERVISOR, AGENT),
    /** See every conversation of the workspace (the "All" view), not only one's own, unassigned and one's teams'. */
    SEE_ALL_CONVERSATIONS(OWNER, ADMIN, SUPERVISOR),
    /** Settings → Inbox: teams and their members, canned responses, assignment rules. */
    MANAGE_INBOX(OWNER, ADMIN, SUPERVISOR),
    USE_CONTACTS(OWNER, ADMIN, SUPERVISOR, AGENT),
    /** Delete and merge contacts, and work on many at once: imports, exports, bulk changes. */
    MANAGE_CONTACTS(OWNER, ADMIN, SUPERVISOR),
    MANAGE_CAMPAIGNS(OWNER, ADMIN, SUPERVISOR),
    /** Settings → Templates, read only: the message templates, their review status, quality and preview. */
    VIEW_TEMPLATES(OWNER, ADMIN, SUPERVISOR),
    /** Create, edit and delete message templates at Meta (Settings → Templates, {@code /api/v1/templates}). */
    MANAGE_TEMPLATES(OWNER, ADMIN),
    MANAGE_AUTOMATION(OWNER, ADMIN),
    VIEW_REPORTS(OWNER, ADMIN, SUPERVISOR, ANALYST),
    VIEW_MEMBERS(OWNER, ADMIN, SUPERVISOR),
    MANAGE_MEMBERS(OWNER, ADMIN),
    MANAGE_WORKSPACE(OWNER, ADMIN),
    /** Create API tokens, and see and revoke one's own. */
    MANAGE_API_TOKENS(OWNER, ADMIN),
    /** See and revoke every API token of the workspace, whoever created it. */
    MANAGE_ALL_API_TOKENS(OWNER),
    /** Connect, check and disconnect WhatsApp numbers; edit the business profile. */
    MANAGE_CHANNELS(OWNER, ADMIN),
    VIEW_AUDIT_LOG(OWNER, ADMIN),
    /**
     * Let a number receive its webhooks through another workspace's callback URL of the same Meta app (whose
     * secret signs for both): what comes in there is then written into this workspace.
     */
    APPROVE_SHARED_WEBHOOKS(OWNER),
    /** End every signed-in session of a member (they sign in again). */
    SIGN_OUT_MEMBERS(OWNER),
    /** Settings → Single sign-on: the workspace's OpenID provider, and whether members must sign in through it. */
    MANAGE_SINGLE_SIGN_ON(OWNER),
    /** Grant or take away the Owner role. */
    MANAGE_OWNERS(OWNER),
    /**
     * Settings → Privacy: retention periods, the purge, legal holds, the public privacy page and its requests' rule,
     * backups, and closing the workspace.
     */
    MANAGE_PRIVACY(OWNER),
    /** A person's data: export it, erase it (with a typed confirmation), and handle access and erasure requests. */
    HANDLE_PERSONAL_DATA(OWNER, ADMIN);

    private final Set<Role> roles;

    Permission(Role first, Role... rest) {
        this.roles = EnumSet.of(first, rest);
    }

    public boolean grantedTo(Role role) {
        return roles.contains(role);
    }

    public Set<Role> roles() {
        return EnumSet.copyOf(roles);
    }
}
