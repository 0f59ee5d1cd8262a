package hexa.privacy;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.privacy.RetentionPurge;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The retention purge of one workspace: its periods turned into cutoffs, every module's {@link RetentionPurge} called
 * in order (messages, conversations, contacts, logs), held contacts skipped, the run recorded with what it removed. A
 * dry run asks the same modules to count instead.
 */
@Service
class RetentionPurges {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurges.class);

    private final List<RetentionPurge> purges;
    private final RetentionSettings settings;
    private final LegalHolds holds;
    private final PurgeRuns runs;
    private final AuditTrail audit;
    private final Clock clock;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "retention-purge-by-hand");
        thread.setDaemon(true);
        return thread;
    });

    /** A run unfinished for longer than this was left by a node that stopped: it no longer counts as running. */
    private static final int RUNNING_HOURS = 6;

    RetentionPurges(List<RetentionPurge> purges, RetentionSettings settings, LegalHolds holds, PurgeRuns runs, AuditTrail audit, Clock clock) {
        this.purges = purges.stream().sorted(Comparator.comparingInt(RetentionPurge::order)).toList();
        this.settings = settings;
        this.holds = holds;
        this.runs = runs;
        this.audit = audit;
        this.clock = clock;
    }

    /** The cutoffs of the workspace now. */
    RetentionPurge.Rules rules(UUID tenant) {
        Instant now = clock.instant();
        RetentionSettings.Periods periods = settings.periods(tenant);
        return new RetentionPurge.Rules(tenant, now,
                Optional.ofNullable(periods.messageDays()).map(days -> now.minus(Duration.ofDays(days))),
                now.minus(Duration.ofDays(periods.logDays())),
                Optional.ofNullable(periods.contactInactiveDays()).map(days -> now.minus(Duration.ofDays(days))),
                now.minus(Duration.ofDays(periods.webhookBodyDays())),
                holds.held(tenant));
    }

    /** What the next run would remove in the current workspace, per table; recorded as the latest dry run. */
    PurgeRun dryRun() {
        return recorded(TenantContext.tenantId(), runs.start(TenantContext.tenantId(), true, false, TenantContext.actor().name(), clock.instant()), true);
    }

    /** Runs the purge of the current workspace now, for a member who asked (audited), and answers when it is done. */
    PurgeRun runByHand() {
        UUID tenant = TenantContext.tenantId();
        return byHand(tenant, runs.start(tenant, false, true, TenantContext.actor().name(), clock.instant()));
    }

    /**
     * Starts the purge of the current workspace for a member who asked, in the background: a purge of millions of
     * messages takes minutes, longer than a page should wait. Answers the run once it is done or, when it takes
     * longer than {@code wait}, as it stands (unfinished, with what it removed so far); the page shows its progress.
     * A run already going is answered instead of starting a second one.
     */
    PurgeRun startByHand(Duration wait) {
        UUID tenant = TenantContext.tenantId();
        Optional<PurgeRun> going = runs.running(tenant, clock.instant(), RUNNING_HOURS);
        if (going.isPresent()) {
            return going.get();
        }
        Actor actor = TenantContext.actor();
        UUID runId = runs.start(tenant, false, true, actor.name(), clock.instant());
        Future<PurgeRun> run = background.submit(() -> {
            try (TenantContext.Scope ignored = TenantContext.enter(actor)) {
                return byHand(tenant, runId);
            }
        });
        try {
            return run.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            return runs.find(tenant, runId).orElseThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return runs.find(tenant, runId).orElseThrow();
        } catch (ExecutionException e) {
            throw new IllegalStateException("The retention purge could not run", e.getCause());
        }
    }

    /** The run of the workspace that removes and has not finished yet, if any. */
    Optional<PurgeRun> running(UUID tenant) {
        return runs.running(tenant, clock.instant(), RUNNING_HOURS);
    }

    private PurgeRun byHand(UUID tenant, UUID runId) {
        PurgeRun run = recorded(tenant, runId, false);
        Map<String, Object> details = new LinkedHashMap<>(run.removed());
        audit.record(AuditEntry.of("privacy.purge_run_by_hand").details(details));
        return run;
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }

    /** The daily run of every workspace whose run of today no node has claimed yet; answers how many it ran. */
    int runDaily(List<UUID> tenants) {
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        int ran = 0;
        for (UUID tenant : tenants) {
            Optional<UUID> claimed = runs.claimDaily(tenant, day, clock.instant());
            if (claimed.isEmpty()) {
                continue;
            }
            try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant, "Retention purge"))) {
                recorded(tenant, claimed.get(), false);
                ran++;
            }
        }
        return ran;
    }

    private PurgeRun recorded(UUID tenant, UUID runId, boolean dryRun) {
        RetentionPurge.Rules rules = rules(tenant);
        Map<String, Long> removed = new LinkedHashMap<>();
        String failure = null;
        try {
            for (RetentionPurge purge : purges) {
                purge.purge(rules, dryRun).forEach((table, n) -> removed.merge(table, n, Long::sum));
                if (!dryRun) {
                    runs.progress(tenant, runId, removed);
                }
            }
        } catch (RuntimeException e) {
            log.error("The retention purge of workspace {} stopped", tenant, e);
            failure = e.getClass().getSimpleName();
        }
        runs.finish(tenant, runId, removed, failure, clock.instant());
        return runs.find(tenant, runId).orElseThrow();
    }
}
