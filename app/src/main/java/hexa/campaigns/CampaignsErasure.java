package hexa.campaigns;

import hexa.contacts.ContactsDeleted;
import hexa.platform.database.Sql;
import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import hexa.platform.privacy.PersonExport;
import hexa.platform.privacy.RetentionPurge;
import hexa.platform.privacy.WorkspaceDeletion;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Campaigns' part of the privacy promises: erasing a person deletes their recipient rows in every campaign; a deleted
 * contact's rows go with them; the rows of a campaign that ended longer ago than the messages are kept expire; a
 * person's export lists their campaign receipts; a closed workspace's campaigns are deleted.
 */
@Component
class CampaignsErasure implements PersonErasure, RetentionPurge, WorkspaceDeletion, PersonExport {

    private static final List<String> DELETES = List.of(
            "delete from campaign_recipients where tenant_id = :tenant",
            "delete from campaigns where tenant_id = :tenant");

    private final JdbcClient jdbc;
    private final CampaignRows rows;

    CampaignsErasure(JdbcClient jdbc, CampaignRows rows) {
        this.jdbc = jdbc;
        this.rows = rows;
    }

    @Override
    public int order() {
        return 15;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        Map<String, Long> removed = new LinkedHashMap<>();
        removed.put("campaign_recipients", (long) jdbc.sql("delete from campaign_recipients where tenant_id = :tenant and contact_id = :contact")
                .param("tenant", person.tenantId()).param("contact", person.contactId()).update());
        return removed;
    }

    @Override
    public Map<String, Long> purge(RetentionPurge.Rules purge, boolean dryRun) {
        Map<String, Long> removed = new LinkedHashMap<>();
        if (purge.messagesBefore().isEmpty()) {
            removed.put("campaign_recipients", 0L);
            return removed;
        }
        Instant before = purge.messagesBefore().get();
        String where = """
                 from campaign_recipients r
                 where r.tenant_id = :tenant and not (r.contact_id = any(:held))
                   and r.campaign_id in (select c.id from campaigns c where c.tenant_id = :tenant and c.status in ('FINISHED', 'CANCELLED')
                                            and coalesce(c.finished_at, c.cancelled_at) < :before)
                """;
        UUID[] held = purge.held().toArray(new UUID[0]);
        removed.put("campaign_recipients", dryRun
                ? jdbc.sql("select count(*)" + where).param("tenant", purge.tenantId()).param("held", held).param("before", Sql.ts(before))
                        .query(Long.class).single()
                : (long) jdbc.sql("delete" + where.replace("from campaign_recipients r", "from campaign_recipients r"))
                        .param("tenant", purge.tenantId()).param("held", held).param("before", Sql.ts(before)).update());
        return removed;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        return WorkspaceDeletion.deleteInOrder(jdbc, tenantId, DELETES, new LinkedHashMap<>());
    }

    @Override
    public void export(UUID tenantId, UUID contactId, Sink sink) throws IOException {
        List<Map<String, Object>> receipts = rows.ofContact(tenantId, contactId);
        if (!receipts.isEmpty()) {
            sink.json("campaign-receipts.json", receipts);
        }
    }

    /** A deleted contact's recipient rows go with them. */
    @ApplicationModuleListener(id = "campaigns.contacts-deleted")
    void on(ContactsDeleted deleted) {
        jdbc.sql("delete from campaign_recipients where tenant_id = :tenant and contact_id = any(:contacts)")
                .param("tenant", deleted.tenantId()).param("contacts", deleted.contactIds().toArray(new UUID[0])).update();
    }
}
