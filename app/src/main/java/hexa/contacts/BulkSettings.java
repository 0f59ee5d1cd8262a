package hexa.contacts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bulk actions on contacts, from {@code hexa.contacts.bulk.*} ({@code HEXA_CONTACTS_BULK_*}).
 *
 * @param chunk       contacts acted on per transaction (each chunk commits with the job's progress)
 * @param sweep       how often waiting jobs are looked for besides being woken
 * @param lease       how long a running job is left to one node before another takes it over
 * @param maxAttempts runs a job gets (a crash or restart mid-way uses one) before it fails
 */
@ConfigurationProperties("hexa.contacts.bulk")
public record BulkSettings(
        @DefaultValue("5000") int chunk,
        @DefaultValue("1s") Duration sweep,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("3") int maxAttempts) {

    public BulkSettings {
        chunk = Math.max(1, chunk);
        maxAttempts = Math.max(1, maxAttempts);
    }
}
