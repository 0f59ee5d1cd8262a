package hexa.contacts.imports;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.identity.WorkspaceService;
import hexa.platform.QueueWorker;
import hexa.platform.crypto.SecretBox;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs queued imports in the background, one at a time per node, durably: the import is claimed
 * with {@code SKIP LOCKED} and leased; each chunk of rows is written in its own transaction together
 * with the import's progress (the last row written), so a node that stops mid-way loses nothing, and
 * the node that takes the import over when the lease ends goes on after the last written row. Numbers
 * seen in rows already written are replayed from the file, so duplicates across the whole file are
 * still found after a takeover.
 */
@Component
class ImportRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ImportRunner.class);

    private final ImportRecords records;
    private final ImportWriter writer;
    private final ImportSettings settings;
    private final SecretBox secrets;
    private final WorkspaceService workspaces;
    private final AuditTrail audit;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final QueueWorker worker = new QueueWorker("contact-import", this::runOne);

    ImportRunner(ImportRecords records, ImportWriter writer, ImportSettings settings, SecretBox secrets, WorkspaceService workspaces,
                 AuditTrail audit, TransactionTemplate transaction, Clock clock) {
        this.records = records;
        this.writer = writer;
        this.settings = settings;
        this.secrets = secrets;
        this.workspaces = workspaces;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
    }

    void wake() {
        worker.wake();
    }

    @Scheduled(fixedDelayString = "${hexa.contacts.import.sweep:1s}", initialDelayString = "${hexa.contacts.import.sweep:1s}")
    void sweep() {
        wake();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    void forgetOldDrafts() {
        int removed = records.deleteOldDrafts(clock.instant().minus(settings.draftsKept()));
        if (removed > 0) {
            log.info("Removed {} uploaded contact files that were never imported", removed);
        }
    }

    @Override
    public void destroy() {
        worker.close();
    }

    /** Runs one due import to its end; false when none was due. */
    boolean runOne() {
        Optional<ContactImport> claimed;
        try {
            Instant now = clock.instant();
            claimed = transaction.execute(s -> records.claimNext(now, now.plus(settings.lease()), settings.maxAttempts()));
        } catch (RuntimeException e) {
            log.error("Could not look for contact imports to run", e);
            return false;
        }
        if (claimed == null || claimed.isEmpty()) {
            return false;
        }
        ContactImport job = claimed.get();
        UUID tenant = job.tenantId();
        if ("failed".equals(job.status())) {
            records.finish(tenant, job.id(), "failed", job.failure(), clock.instant());
            return true;
        }
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant, "Contact import"))) {
            run(tenant, job);
        } catch (TakenOver e) {
            log.warn(e.getMessage());
        } catch (RuntimeException e) {
            log.error("Contact import {} failed", job.id(), e);
            String reason = e instanceof UserError userError ? userError.messageKey() : "contacts.import.failed.unexpected";
            try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant, "Contact import"))) {
                transaction.executeWithoutResult(s -> {
                    records.finish(tenant, job.id(), "failed", reason, clock.instant());
                    audit.record(AuditEntry.of("contacts.import_failed").target("contact_import", job.id(), job.fileName()));
                });
            } catch (RuntimeException again) {
                log.error("Could not mark contact import {} as failed; it is taken up again when its lease ends", job.id(), again);
            }
        }
        return true;
    }

    /** Another node holds the import now (this one's lease ran out while it worked): leave it to that node. */
    private static final class TakenOver extends RuntimeException {
        TakenOver(UUID id) {
            super("Contact import " + id + " was taken over by another node");
        }
    }

    private void run(UUID tenant, ContactImport job) {
        String sealed = records.sealedFile(tenant, job.id()).orElseThrow(() -> new IllegalStateException("The file of import " + job.id() + " is gone"));
        byte[] bytes = secrets.open(sealed);
        Map<String, ImportRows.Attribute> attributes = records.attributes();
        ColumnMapping mapping = job.mapping();
        String country = workspaces.current().defaultCountry();
        ImportWriter.Job writing = new ImportWriter.Job(tenant, job.id(), job.fileName(), job.createdBy(), job.tags(), job.consentDetail(),
                attributes);
        Chunks chunks = new Chunks(writing, job.lastRow());
        ImportFile.read(bytes, ImportFile.Format.of(job.format()), settings.limits(), new ImportFile.Rows() {
            @Override
            public void header(int number, List<String> cells) {
                // the mapping names columns by position
            }

            @Override
            public void row(int number, List<String> cells) {
                chunks.add(number, ImportRows.read(number, cells, mapping, attributes, country));
            }
        });
        chunks.flush();
        transaction.executeWithoutResult(s -> {
            records.finish(tenant, job.id(), "done", null, clock.instant());
            ContactImport done = records.find(job.id()).orElseThrow();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("rows", done.totalRows());
            details.put("created", done.created());
            details.put("updated", done.updated());
            details.put("merged", done.merged());
            details.put("rejected", done.rejected());
            audit.record(AuditEntry.of("contacts.import_finished").target("contact_import", job.id(), job.fileName()).details(details));
        });
        log.info("Contact import {} done: {} rows", job.id(), job.totalRows());
    }

    /** Gathers rows into chunks and writes each, with the duplicates of the whole file in mind. */
    private final class Chunks {
        private final ImportWriter.Job job;
        private final int resumeAfter;
        private final Map<String, Integer> firstRowOfNumber = new HashMap<>();
        private final Map<String, String> numberOfUserId = new HashMap<>();
        private final List<ImportRows.Reading> pending = new ArrayList<>();
        private int lastRow;

        Chunks(ImportWriter.Job job, int resumeAfter) {
            this.job = job;
            this.resumeAfter = resumeAfter;
        }

        void add(int number, ImportRows.Reading reading) {
            if (number <= resumeAfter) {
                // Written by an earlier run of this import: only remember its numbers.
                if (reading.candidate() != null) {
                    firstRowOfNumber.putIfAbsent(reading.candidate().phone, number);
                    if (reading.candidate().userId != null) {
                        numberOfUserId.putIfAbsent(reading.candidate().userId, reading.candidate().phone);
                    }
                }
                return;
            }
            pending.add(reading);
            lastRow = number;
            if (pending.size() >= settings.chunk()) {
                flush();
            }
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            List<ImportRows.Problem> problems = new ArrayList<>();
            Map<String, ImportRows.Candidate> firsts = new LinkedHashMap<>();
            Map<String, ImportRows.Candidate> laterDuplicates = new LinkedHashMap<>();
            int merged = 0;
            for (ImportRows.Reading reading : pending) {
                if (reading.problem() != null) {
                    problems.add(reading.problem());
                    continue;
                }
                ImportRows.Candidate candidate = reading.candidate();
                if (candidate.userId != null) {
                    String owner = numberOfUserId.putIfAbsent(candidate.userId, candidate.phone);
                    if (owner != null && !owner.equals(candidate.phone)) {
                        problems.add(ImportRows.Problem.rejected(candidate.row, candidate.userId, "contacts.import.row.user-id-twice",
                                candidate.userId));
                        continue;
                    }
                }
                Integer first = firstRowOfNumber.putIfAbsent(candidate.phone, candidate.row);
                if (first == null) {
                    firsts.put(candidate.phone, candidate);
                    continue;
                }
                merged++;
                problems.add(new ImportRows.Problem(candidate.row, "merged", candidate.written, "contacts.import.row.merged",
                        List.of(String.valueOf(first), candidate.phone)));
                if (firsts.containsKey(candidate.phone)) {
                    firsts.get(candidate.phone).absorb(candidate);
                } else if (laterDuplicates.containsKey(candidate.phone)) {
                    laterDuplicates.get(candidate.phone).absorb(candidate);
                } else {
                    laterDuplicates.put(candidate.phone, candidate);
                }
            }
            List<ImportRows.Candidate> candidates = new ArrayList<>(firsts.values());
            candidates.addAll(laterDuplicates.values());
            Set<ImportRows.Candidate> duplicates = new HashSet<>(laterDuplicates.values());
            int rows = pending.size();
            int last = lastRow;
            int mergedRows = merged;
            transaction.executeWithoutResult(s -> {
                Instant now = clock.instant();
                ImportWriter.Outcome outcome = writer.write(job, candidates, duplicates, now);
                problems.addAll(outcome.problems());
                records.addProblems(job.tenant(), job.importId(), problems);
                int rejected = (int) problems.stream().filter(p -> p.kind().equals("rejected")).count();
                if (!records.progress(job.tenant(), job.importId(), rows, last, outcome.created(), outcome.updated(), mergedRows, rejected,
                        now.plus(settings.lease()))) {
                    throw new TakenOver(job.importId());
                }
            });
            pending.clear();
        }
    }
}
