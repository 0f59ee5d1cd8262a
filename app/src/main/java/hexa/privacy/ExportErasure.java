package hexa.privacy;

import hexa.platform.database.AfterCommit;
import hexa.platform.database.Sql;
import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import hexa.platform.privacy.RetentionPurge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The exports of a person's data, erased with the person (the jobs and their ZIPs) and expired with the logs (a job's
 * row after 180 days; its ZIP went after 24 hours). ZIPs are deleted once the transaction has committed.
 */
@Component
class ExportErasure implements PersonErasure, RetentionPurge {

    private static final Logger log = LoggerFactory.getLogger(ExportErasure.class);

    private final JdbcClient jdbc;
    private final ExportRunner runner;

    ExportErasure(JdbcClient jdbc, ExportRunner runner) {
        this.jdbc = jdbc;
        this.runner = runner;
    }

    /**
     * One order for both ports: erased before the contacts module (100), purged after contacts (30) and before the
     * audit log (90). Exports refer to nobody else's rows.
     */
    @Override
    public int order() {
        return 50;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        List<String> files = jdbc.sql("""
                delete from privacy_exports where tenant_id = :tenant and contact_id = :contact returning file_name
                """).param("tenant", person.tenantId()).param("contact", person.contactId()).query(String.class).list();
        deleteAfterCommit(person.tenantId(), files);
        return Map.of("privacy_exports", (long) files.size());
    }

    @Override
    public Map<String, Long> purge(Rules rules, boolean dryRun) {
        UUID[] held = rules.held().toArray(UUID[]::new);
        String where = " where tenant_id = :tenant and status in ('done', 'failed', 'expired') and coalesce(finished_at, created_at) < :before"
                + " and not (contact_id = any(:held))";
        if (dryRun) {
            long count = jdbc.sql("select count(*) from privacy_exports" + where).param("tenant", rules.tenantId())
                    .param("before", Sql.ts(rules.logsBefore())).param("held", held).query(Long.class).single();
            return Map.of("privacy_exports", count);
        }
        List<String> files = jdbc.sql("delete from privacy_exports" + where + " returning file_name").param("tenant", rules.tenantId())
                .param("before", Sql.ts(rules.logsBefore())).param("held", held).query(String.class).list();
        deleteAfterCommit(rules.tenantId(), files);
        return Map.of("privacy_exports", (long) files.size());
    }

    private void deleteAfterCommit(UUID tenantId, List<String> files) {
        List<String> named = files.stream().filter(f -> f != null).toList();
        if (named.isEmpty()) {
            return;
        }
        AfterCommit.run(() -> named.forEach(name -> {
            Path file = runner.file(tenantId, name);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.error("Could not delete the export {}", file, e);
            }
        }));
    }
}
