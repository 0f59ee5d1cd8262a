package hexa.whatsapp;

import hexa.platform.privacy.WorkspaceDeletion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The channel's messages and everything hanging on them, deleted first (they refer to the inbox's conversations and
 * to contacts); the media module has already taken the files.
 */
@Component
class WhatsAppWorkspaceDeletion implements WorkspaceDeletion {

    private final JdbcClient jdbc;

    WhatsAppWorkspaceDeletion(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        Map<String, Long> removed = new LinkedHashMap<>();
        removed.put("message_reactions", delete("delete from message_reactions where tenant_id = :tenant", tenantId));
        removed.put("message_status_events", delete("delete from message_status_events where tenant_id = :tenant", tenantId));
        removed.put("whatsapp_read_receipts", delete("delete from whatsapp_read_receipts where tenant_id = :tenant", tenantId));
        removed.put("messages", delete("delete from messages where tenant_id = :tenant", tenantId));
        removed.put("webhook_events", delete("delete from webhook_events where tenant_id = :tenant", tenantId));
        removed.put("webhook_parked_changes", delete("delete from webhook_parked_changes where tenant_id = :tenant", tenantId));
        removed.put("whatsapp_templates", delete("delete from whatsapp_templates where tenant_id = :tenant", tenantId));
        removed.put("whatsapp_account_notices", delete("delete from whatsapp_account_notices where tenant_id = :tenant", tenantId));
        removed.put("api_idempotency_keys", delete("delete from api_idempotency_keys where tenant_id = :tenant", tenantId));
        return removed;
    }

    private long delete(String sql, UUID tenantId) {
        return jdbc.sql(sql).param("tenant", tenantId).update();
    }

    /** The connections and their numbers, after the inbox and contacts (conversations and rules refer to them). */
    @Component
    static class Connections implements WorkspaceDeletion {

        private final JdbcClient jdbc;

        Connections(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public int order() {
            return 40;
        }

        @Override
        public Map<String, Long> deleteWorkspace(UUID tenantId) {
            Map<String, Long> removed = new LinkedHashMap<>();
            removed.put("whatsapp_shared_app_approvals", (long) jdbc.sql("delete from whatsapp_shared_app_approvals where tenant_id = :tenant")
                    .param("tenant", tenantId).update());
            removed.put("whatsapp_numbers", (long) jdbc.sql("delete from whatsapp_numbers where tenant_id = :tenant").param("tenant", tenantId).update());
            removed.put("whatsapp_connections", (long) jdbc.sql("delete from whatsapp_connections where tenant_id = :tenant")
                    .param("tenant", tenantId).update());
            return removed;
        }
    }
}
