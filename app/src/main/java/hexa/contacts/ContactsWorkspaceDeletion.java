package hexa.contacts;

import hexa.platform.privacy.WorkspaceDeletion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A closed workspace's contacts with everything hanging on them, its imports, bulk jobs, segments and settings. */
@Component
class ContactsWorkspaceDeletion implements WorkspaceDeletion {

    /** In this order: a row before those it refers to. */
    private static final List<String> DELETES = List.of(
            "delete from contact_referrals where tenant_id = :tenant",
            "delete from contact_tags where tenant_id = :tenant",
            "delete from contact_notes where tenant_id = :tenant",
            "delete from contact_events where tenant_id = :tenant",
            "delete from contact_consent_events where tenant_id = :tenant",
            "delete from contacts where tenant_id = :tenant",
            "delete from contact_attributes where tenant_id = :tenant",
            "delete from contact_consent_settings where tenant_id = :tenant",
            "delete from contact_import_problems where tenant_id = :tenant",
            "delete from contact_import_files where tenant_id = :tenant",
            "delete from contact_import_mappings where tenant_id = :tenant",
            "delete from contact_imports where tenant_id = :tenant",
            "delete from contact_bulk_job_items where tenant_id = :tenant",
            "delete from contact_bulk_jobs where tenant_id = :tenant",
            "delete from contact_segments where tenant_id = :tenant");

    private final JdbcClient jdbc;

    ContactsWorkspaceDeletion(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        Map<String, Long> removed = new LinkedHashMap<>();
        WorkspaceDeletion.deleteInOrder(jdbc, tenantId, DELETES, removed);
        return removed;
    }
}
