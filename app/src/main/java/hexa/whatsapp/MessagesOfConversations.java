package hexa.whatsapp;

import hexa.platform.tenant.TenantContext;
import java.util.Collection;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read receipts belong to a conversation; when the inbox deletes conversations (a contact deleted with
 * its conversations), their receipts, sent or waiting, go first.
 */
@Service
public class ReadReceiptsOfConversations {

    private final JdbcClient jdbc;

    ReadReceiptsOfConversations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public int forget(Collection<UUID> conversationIds) {
        if (conversationIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("delete from whatsapp_read_receipts where tenant_id = :tenant and conversation_id = any(:ids)")
                .param("tenant", TenantContext.tenantId()).param("ids", conversationIds.toArray(new UUID[0])).update();
    }
}
