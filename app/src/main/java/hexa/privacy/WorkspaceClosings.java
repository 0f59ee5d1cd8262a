package hexa.privacy;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.identity.Workspace;
import hexa.identity.WorkspaceService;
import hexa.platform.database.Sql;
import hexa.platform.privacy.WorkspaceDeletion;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closing a workspace: an Owner asks for it (typing the workspace's name), members keep working for the 30 days of
 * grace under a banner, an Owner may keep the workspace until then, and afterwards the daily deletion removes every row
 * of the workspace from every module ({@link WorkspaceDeletion}), media and export files included. Every node runs the
 * daily job; each workspace is claimed by one row update, so one node deletes it.
 */
@Service
public class WorkspaceClosings {

    /** How long a closed workspace stays before it is deleted. */
    public static final Duration GRACE = Duration.ofDays(30);
    /** A claim older than this was left by a node that stopped; another node takes it over. */
    private static final Duration CLAIM = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(WorkspaceClosings.class);

    /** A workspace being closed. */
    public record Closing(UUID tenantId, String requestedByName, Instant requestedAt, Instant deleteAfter) {
    }

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final WorkspaceService workspaces;
    private final List<WorkspaceDeletion> deletions;
    private final TransactionTemplate transaction;
    private final Clock clock;

    WorkspaceClosings(JdbcClient jdbc, AuditTrail audit, WorkspaceService workspaces, List<WorkspaceDeletion> deletions,
                      TransactionTemplate transaction, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.workspaces = workspaces;
        this.deletions = deletions.stream().sorted(Comparator.comparingInt(WorkspaceDeletion::order)
                .thenComparing(d -> d.getClass().getName())).toList();
        this.transaction = transaction;
        this.clock = clock;
    }

    /** The closing of a workspace, if it is being closed. */
    public Optional<Closing> of(UUID tenantId) {
        return jdbc.sql("""
                select tenant_id, requested_by_name, requested_at, delete_after from privacy_workspace_closings where tenant_id = :tenant
                """).param("tenant", tenantId)
                .query((rs, n) -> new Closing(Sql.uuid(rs, "tenant_id"), rs.getString("requested_by_name"), Sql.instant(rs, "requested_at"),
                        Sql.instant(rs, "delete_after")))
                .optional();
    }

    /**
     * Closes the current workspace once the name typed matches its name; closing one already closing changes nothing.
     * Audited {@code privacy.workspace_closing}.
     */
    @Transactional
    public Closing close(String typedName) {
        Workspace workspace = workspaces.current();
        String typed = typedName == null ? "" : typedName.strip();
        if (typed.isEmpty()) {
            throw UserError.invalid("privacy.closing.name-required");
        }
        if (!typed.equals(workspace.name().strip())) {
            throw UserError.invalid("privacy.closing.name-mismatch");
        }
        Optional<Closing> existing = of(workspace.id());
        if (existing.isPresent()) {
            return existing.get();
        }
        Actor actor = TenantContext.actor();
        Instant now = clock.instant();
        Instant deleteAfter = now.plus(GRACE);
        jdbc.sql("""
                insert into privacy_workspace_closings (tenant_id, requested_by, requested_by_name, requested_at, delete_after)
                values (:tenant, :by, :name, :at, :after)
                """).param("tenant", workspace.id()).param("by", actor.userId()).param("name", actor.name())
                .param("at", Sql.ts(now)).param("after", Sql.ts(deleteAfter)).update();
        audit.record(AuditEntry.of("privacy.workspace_closing").target("workspace", workspace.id(), workspace.name())
                .details(Map.of("delete_after", deleteAfter.toString())));
        return new Closing(workspace.id(), actor.name(), now, deleteAfter);
    }

    /** Keeps the current workspace (cancels its closing); answers whether it was being closed. Audited {@code privacy.workspace_kept}. */
    @Transactional
    public boolean keep() {
        Workspace workspace = workspaces.current();
        int removed = jdbc.sql("delete from privacy_workspace_closings where tenant_id = :tenant").param("tenant", workspace.id()).update();
        if (removed > 0) {
            audit.record(AuditEntry.of("privacy.workspace_kept").target("workspace", workspace.id(), workspace.name()));
        }
        return removed > 0;
    }

    @Scheduled(cron = "${hexa.privacy.closing-cron:0 0 4 * * *}", zone = "UTC")
    void daily() {
        try {
            int deleted = deleteDue();
            if (deleted > 0) {
                log.info("Deleted {} closed workspaces whose grace period had ended", deleted);
            }
        } catch (RuntimeException e) {
            log.error("The deletion of closed workspaces could not run", e);
        }
    }

    /** Deletes every workspace whose grace period has ended, one at a time; answers how many were deleted. */
    public int deleteDue() {
        int deleted = 0;
        List<UUID> failed = new ArrayList<>();
        while (true) {
            Instant now = clock.instant();
            Optional<UUID> claimed = jdbc.sql("""
                    update privacy_workspace_closings set claimed_at = :now
                     where tenant_id = (select tenant_id from privacy_workspace_closings
                                         where delete_after <= :now and (claimed_at is null or claimed_at < :stale)
                                           and not (tenant_id = any(:failed))
                                         order by delete_after limit 1 for update skip locked)
                    returning tenant_id
                    """).param("now", Sql.ts(now)).param("stale", Sql.ts(now.minus(CLAIM))).param("failed", failed.toArray(UUID[]::new))
                    .query(UUID.class).optional();
            if (claimed.isEmpty()) {
                return deleted;
            }
            try {
                Map<String, Long> removed = delete(claimed.get());
                log.info("Deleted closed workspace {}: {}", claimed.get(), removed);
                deleted++;
            } catch (RuntimeException e) {
                log.error("Could not delete closed workspace {}; it is tried again tomorrow", claimed.get(), e);
                failed.add(claimed.get());
            }
        }
    }

    /**
     * Deletes one workspace in one transaction, every module in its order, unless an Owner kept it meanwhile; files go
     * after the commit. Answers the rows deleted per table (empty when it was kept).
     */
    Map<String, Long> delete(UUID tenantId) {
        return transaction.execute(status -> {
            Optional<Instant> due = jdbc.sql("select delete_after from privacy_workspace_closings where tenant_id = :tenant for update")
                    .param("tenant", tenantId).query((rs, n) -> Sql.instant(rs, "delete_after")).optional();
            if (due.isEmpty() || due.get().isAfter(clock.instant())) {
                return Map.<String, Long>of();
            }
            Map<String, Long> removed = new LinkedHashMap<>();
            deletions.forEach(d -> removed.putAll(d.deleteWorkspace(tenantId)));
            return removed;
        });
    }
}
