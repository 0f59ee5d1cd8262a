package hexa.audit;

import java.util.Map;

/**
 * One thing that happened, as the audit trail records it.
 *
 * @param action what was done, e.g. {@code member.role_changed}
 * @param details facts worth keeping (old and new role, say); never secrets
 */
public record AuditEntry(String action, String targetType, String targetId, String targetName, Map<String, Object> details) {

    public static AuditEntry of(String action) {
        return new AuditEntry(action, null, null, null, Map.of());
    }

    public AuditEntry target(String type, Object id, String name) {
        return new AuditEntry(action, type, id == null ? null : id.toString(), name, details);
    }

    public AuditEntry details(Map<String, Object> more) {
        return new AuditEntry(action, targetType, targetId, targetName, more);
    }
}
