package hexa.platform.database;

/**
 * Background jobs kept in a table and run by whichever node claims them (contact imports, bulk actions on contacts).
 * Such a table has {@code tenant_id}, {@code id}, {@code status} (queued, running, done, failed), {@code failure},
 * {@code attempts}, {@code lease_until}, {@code created_at}, {@code started_at} and {@code finished_at}.
 */
public final class LeasedJobs {

    private LeasedJobs() {
    }

    /**
     * The statement that claims the oldest due job of the table: a queued one, or a running one whose node stopped
     * renewing its lease (a crash, a restart). It is taken with {@code skip locked} (two nodes never take the same
     * one), leased until {@code :lease}, its attempt counted; a job out of attempts ({@code :maxAttempts}) is marked
     * failed with {@code failureKey} instead. Returns the job's row; parameters {@code :now}, {@code :lease},
     * {@code :maxAttempts}.
     */
    public static String claimNext(String table, String failureKey) {
        if (!table.matches("[a-z_]+") || !failureKey.matches("[a-z.\\-]+")) {
            throw new IllegalArgumentException("Not a job table or message key: " + table + ", " + failureKey);
        }
        return """
                update %1$s j
                   set status = case when j.attempts >= :maxAttempts then 'failed' else 'running' end,
                       failure = case when j.attempts >= :maxAttempts then '%2$s' else j.failure end,
                       finished_at = case when j.attempts >= :maxAttempts then :now end,
                       attempts = j.attempts + 1, lease_until = :lease, started_at = coalesce(j.started_at, :now)
                  from (select tenant_id, id from %1$s
                         where status in ('queued', 'running') and (status = 'queued' or lease_until < :now)
                         order by created_at
                         limit 1 for update skip locked) due
                 where j.tenant_id = due.tenant_id and j.id = due.id
                returning j.*
                """.formatted(table, failureKey);
    }
}
