package hexa.privacy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/**
 * One run of the retention purge in a workspace: the daily one (with its day), one run by hand, or a dry run;
 * {@code removed} is what it removed (or, for a dry run, would remove) per table.
 */
public record PurgeRun(UUID id, LocalDate day, boolean dryRun, boolean byHand, String startedByName, Instant startedAt, Instant finishedAt,
                       Map<String, Long> removed, String failure) {

    public PurgeRun {
        removed = Map.copyOf(removed);
    }

    /** The rows removed (or counted) in all tables. */
    public long total() {
        return removed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The tables it removed rows from (or would), with their counts, by table name. */
    public java.util.List<Map.Entry<String, Long>> nonZero() {
        return removed.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.comparingByKey()).toList();
    }
}
