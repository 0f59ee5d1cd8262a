package hexa.inbox;

import hexa.platform.privacy.WorkspaceDeletion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A closed workspace's inbox: conversations with their notes, tags and notifications, the settings, teams and rules. */
@Component
class InboxWorkspaceDeletion implements WorkspaceDeletion {

    /** In this order: a row before those it refers to. */
    private static final List<String> DELETES = List.of(
            "delete from inbox_notifications where tenant_id = :tenant",
            "delete from conversation_notes where tenant_id = :tenant",
            "delete from conversation_tags where tenant_id = :tenant",
            "delete from conversations where tenant_id = :tenant",
            "delete from assignment_rules where tenant_id = :tenant",
            "delete from team_members where tenant_id = :tenant",
            "delete from teams where tenant_id = :tenant",
            "delete from member_availability where tenant_id = :tenant",
            "delete from canned_responses where tenant_id = :tenant",
            "delete from inbox_settings where tenant_id = :tenant");

    private final JdbcClient jdbc;

    InboxWorkspaceDeletion(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        Map<String, Long> removed = new LinkedHashMap<>();
        WorkspaceDeletion.deleteInOrder(jdbc, tenantId, DELETES, removed);
        return removed;
    }
}
