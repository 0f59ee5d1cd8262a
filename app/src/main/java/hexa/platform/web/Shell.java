package hexa.platform.web;

import hexa.platform.access.Permission;
import hexa.platform.tenant.Actor;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the frame around every signed-in page shows: the person, the current workspace and the
 * others they can switch to, and the navigation entries their role may use.
 */
public record Shell(String personName, String personEmail, UUID workspaceId, String workspaceName, java.time.ZoneId timeZone,
                    String roleKey, List<WorkspaceChoice> workspaces, List<NavEntry> nav, List<NavEntry> settings) {

    public record WorkspaceChoice(UUID id, String name) {
    }

    public static Shell of(String personName, String personEmail, Actor actor, String workspaceName, java.time.ZoneId timeZone,
                           List<WorkspaceChoice> workspaces) {
        if (actor == null) {
            return new Shell(personName, personEmail, null, null, java.time.ZoneOffset.UTC, null, workspaces, List.of(), List.of());
        }
        List<NavEntry> nav = new ArrayList<>();
        add(nav, actor, Permission.USE_INBOX, new NavEntry("/inbox", "nav.inbox", "bi-chat-dots"));
        add(nav, actor, Permission.USE_CONTACTS, new NavEntry("/contacts", "nav.contacts", "bi-person-lines-fill"));
        add(nav, actor, Permission.MANAGE_CAMPAIGNS, new NavEntry("/campaigns", "nav.campaigns", "bi-megaphone"));
        add(nav, actor, Permission.MANAGE_AUTOMATION, new NavEntry("/automation", "nav.automation", "bi-lightning-charge"));
        add(nav, actor, Permission.VIEW_REPORTS, new NavEntry("/reports", "nav.reports", "bi-bar-chart"));
        List<NavEntry> settings = new ArrayList<>();
        add(settings, actor, Permission.MANAGE_WORKSPACE, new NavEntry("/settings/workspace", "settings.workspace", "bi-building"));
        add(settings, actor, Permission.MANAGE_CHANNELS, new NavEntry("/settings/whatsapp", "settings.whatsapp", "bi-whatsapp"));
        add(settings, actor, Permission.VIEW_TEMPLATES, new NavEntry("/settings/templates", "templates.nav", "bi-card-text"));
        add(settings, actor, Permission.MANAGE_INBOX, new NavEntry("/settings/inbox", "settings.inbox", "bi-inboxes"));
        add(settings, actor, Permission.MANAGE_AUTOMATION, new NavEntry("/settings/business-hours", "hours.nav", "bi-clock"));
        add(settings, actor, Permission.MANAGE_WORKSPACE, new NavEntry("/settings/contact-fields", "settings.contact-fields", "bi-ui-checks"));
        add(settings, actor, Permission.MANAGE_WORKSPACE, new NavEntry("/settings/contacts/consent", "contacts.consent.settings.nav", "bi-shield-check"));
        add(settings, actor, Permission.VIEW_MEMBERS, new NavEntry("/settings/members", "settings.members", "bi-people"));
        add(settings, actor, Permission.MANAGE_API_TOKENS, new NavEntry("/settings/api-tokens", "settings.api-tokens", "bi-key"));
        add(settings, actor, Permission.MANAGE_SINGLE_SIGN_ON, new NavEntry("/settings/single-sign-on", "settings.single-sign-on", "bi-box-arrow-in-right"));
        add(settings, actor, Permission.MANAGE_PRIVACY, new NavEntry("/settings/privacy", "privacy.retention.nav", "bi-shield-lock"));
        add(settings, actor, Permission.HANDLE_PERSONAL_DATA, new NavEntry("/settings/privacy/requests", "settings.privacy-requests", "bi-person-check"));
        add(settings, actor, Permission.MANAGE_PRIVACY, new NavEntry("/settings/privacy/public-page", "settings.privacy-public-page", "bi-globe"));
        add(settings, actor, Permission.HANDLE_PERSONAL_DATA, new NavEntry("/settings/privacy/erasures", "privacy.erasure.nav", "bi-eraser"));
        add(settings, actor, Permission.VIEW_AUDIT_LOG, new NavEntry("/settings/audit-log", "settings.audit-log", "bi-journal-text"));
        add(settings, actor, Permission.MANAGE_PRIVACY, new NavEntry("/settings/privacy/backups", "settings.privacy-backups", "bi-database-check"));
        add(settings, actor, Permission.MANAGE_PRIVACY, new NavEntry("/settings/privacy/close", "privacy.closing.nav", "bi-x-octagon"));
        if (!settings.isEmpty()) {
            nav.add(new NavEntry(settings.get(0).path(), "nav.settings", "bi-gear"));
        }
        return new Shell(personName, personEmail, actor.tenantId(), workspaceName, timeZone, actor.role().messageKey(), workspaces, nav, settings);
    }

    private static void add(List<NavEntry> entries, Actor actor, Permission permission, NavEntry entry) {
        if (actor.can(permission)) {
            entries.add(entry);
        }
    }

    public boolean inWorkspace() {
        return workspaceId != null;
    }
}
