package hexa.contacts;

import hexa.platform.database.Sql;
import hexa.platform.privacy.RetentionPurge;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The contacts' part of the daily purge, after the channel's and the inbox's: contacts without activity since the
 * contact cutoff (not held) are deleted as a bulk delete deletes them, with their conversations and what is left of
 * their messages; imports and bulk actions that ended before the logs' cutoff go with their problems, files and items.
 */
@Component
class ContactsRetention implements RetentionPurge {

    static final int BATCH = 500;
    private static final String INACTIVE = """
            from contacts c where c.tenant_id = :tenant and coalesce(c.last_activity_at, c.created_at) < :before and not (c.id = any(:held))
            """;

    private final JdbcClient jdbc;
    private final ConversationsOfContacts conversations;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;

    ContactsRetention(JdbcClient jdbc, ConversationsOfContacts conversations, ApplicationEventPublisher events, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.events = events;
        this.transaction = transaction;
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Map<String, Long> purge(Rules rules, boolean dryRun) {
        Map<String, Long> removed = new LinkedHashMap<>();
        UUID tenant = rules.tenantId();
        UUID[] held = rules.held().toArray(new UUID[0]);
        rules.inactiveContactsBefore().ifPresent(before -> {
            if (dryRun) {
                removed.put("contacts", jdbc.sql("select count(*) " + INACTIVE).param("tenant", tenant).param("before", Sql.ts(before))
                        .param("held", held).query(Long.class).single());
                return;
            }
            long total = 0;
            while (true) {
                int n = transaction.execute(s -> {
                    List<UUID> ids = jdbc.sql("select c.id " + INACTIVE + " limit " + BATCH + " for update of c skip locked")
                            .param("tenant", tenant).param("before", Sql.ts(before)).param("held", held).query(UUID.class).list();
                    if (ids.isEmpty()) {
                        return 0;
                    }
                    conversations.deleteAllOf(tenant, ids);
                    List<UUID> gone = jdbc.sql("delete from contacts where tenant_id = :tenant and id = any(:ids) returning id")
                            .param("tenant", tenant).param("ids", ids.toArray(new UUID[0])).query(UUID.class).list();
                    events.publishEvent(new ContactsDeleted(tenant, gone));
                    return gone.size();
                });
                total += n;
                if (n < BATCH) {
                    break;
                }
            }
            removed.put("contacts", total);
        });
        Instant logs = rules.logsBefore();
        String imports = "from contact_imports where tenant_id = :tenant and created_at < :before and status in ('draft', 'done', 'failed')";
        String jobs = "from contact_bulk_jobs where tenant_id = :tenant and created_at < :before and status in ('done', 'failed')";
        removed.put("contact_import_problems", count("select count(*) from contact_import_problems where tenant_id = :tenant and import_id in (select id "
                + imports + ")", tenant, logs));
        removed.put("contact_import_files", count("select count(*) from contact_import_files where tenant_id = :tenant and import_id in (select id "
                + imports + ")", tenant, logs));
        removed.put("contact_bulk_job_items", count("select count(*) from contact_bulk_job_items where tenant_id = :tenant and job_id in (select id "
                + jobs + ")", tenant, logs));
        if (dryRun) {
            removed.put("contact_imports", count("select count(*) " + imports, tenant, logs));
            removed.put("contact_bulk_jobs", count("select count(*) " + jobs, tenant, logs));
        } else {
            // Problems, files and items go with their import or job (on delete cascade).
            removed.put("contact_imports", (long) transaction.execute(s -> jdbc.sql("delete " + imports)
                    .param("tenant", tenant).param("before", Sql.ts(logs)).update()));
            removed.put("contact_bulk_jobs", (long) transaction.execute(s -> jdbc.sql("delete " + jobs)
                    .param("tenant", tenant).param("before", Sql.ts(logs)).update()));
        }
        return removed;
    }

    private long count(String sql, UUID tenant, Instant before) {
        return jdbc.sql(sql).param("tenant", tenant).param("before", Sql.ts(before)).query(Long.class).single();
    }
}
