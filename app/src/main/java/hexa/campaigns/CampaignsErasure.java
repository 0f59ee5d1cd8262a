package hexa.campaigns;

import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import hexa.platform.privacy.WorkspaceDeletion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Erasing a person removes them from every campaign's recipients; deleting a workspace removes its campaigns. */
@Component
class CampaignsErasure implements PersonErasure, WorkspaceDeletion {

    private final JdbcClient jdbc;

    CampaignsErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        Map<String, Long> removed = new LinkedHashMap<>();
        removed.put("campaign_recipients", (long) jdbc.sql("delete from campaign_recipients where tenant_id = :tenant and contact_id = :contact")
                .param("tenant", person.tenantId()).param("contact", person.contactId()).update());
        return removed;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        return WorkspaceDeletion.deleteInOrder(jdbc, tenantId, List.of(
                "delete from campaign_recipients where tenant_id = :tenant",
                "delete from campaigns where tenant_id = :tenant"), new LinkedHashMap<>());
    }

    @Override
    public int order() {
        // Before the channel's messages (10) and contacts: recipients name both.
        return 5;
    }
}
