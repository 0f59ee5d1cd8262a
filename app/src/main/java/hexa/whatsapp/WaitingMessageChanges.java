package hexa.whatsapp;

import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Edits and deletions kept while their original was unknown are applied when the original is stored (see
 * {@link MessageLog#applyChange}). Two webhook workers can store a change and its original at the same instant, each
 * unable to see the other's row yet; this sweep finds such a pair once both are committed and applies the change.
 * It reads only the few kept changes (a partial index holds them alone).
 */
@Component
class WaitingMessageChanges {

    private static final Logger log = LoggerFactory.getLogger(WaitingMessageChanges.class);
    private static final int AT_ONCE = 500;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final MessageLog messages;

    WaitingMessageChanges(JdbcClient jdbc, TransactionTemplate transaction, MessageLog messages) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.messages = messages;
    }

    /** Applies the kept changes whose original has been stored meanwhile; answers how many originals were found. */
    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    int applyThoseWhoseOriginalArrived() {
        Map<UUID, List<String>> byWorkspace = new LinkedHashMap<>();
        jdbc.sql("""
                select distinct s.tenant_id, s.edit_of from messages s
                 where s.edit_of is not null
                   and exists (select 1 from messages o where o.tenant_id = s.tenant_id and o.wamid = s.edit_of)
                 limit :limit
                """)
                .param("limit", AT_ONCE)
                .query((rs, n) -> byWorkspace.computeIfAbsent(Sql.uuid(rs, "tenant_id"), t -> new java.util.ArrayList<>())
                        .add(rs.getString("edit_of")))
                .list();
        int found = 0;
        for (Map.Entry<UUID, List<String>> workspace : byWorkspace.entrySet()) {
            try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(workspace.getKey(), "WhatsApp"))) {
                transaction.executeWithoutResult(status -> messages.applyWaitingChanges(workspace.getValue()));
                found += workspace.getValue().size();
            } catch (RuntimeException e) {
                log.warn("Could not apply the edits and deletions waiting in workspace {}: {}", workspace.getKey(), e.toString());
            }
        }
        return found;
    }
}
