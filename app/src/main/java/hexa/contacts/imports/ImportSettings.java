package hexa.contacts.imports;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Contact imports, from {@code hexa.contacts.import.*} ({@code HEXA_CONTACTS_IMPORT_*}).
 *
 * @param maxFileSize  the largest file accepted (a larger one is refused before anything is kept)
 * @param maxRows      the most data rows one file may hold
 * @param maxColumns   the most columns one file may hold
 * @param maxCellChars the longest cell, in characters
 * @param chunk        rows written per transaction (and per statement)
 * @param sweep        how often queued imports are looked for besides being woken
 * @param lease        how long a running import is left to one node before another takes it over
 * @param maxAttempts  runs an import gets (a crash or restart mid-way uses one) before it fails
 * @param draftsKept   how long an uploaded file that was never started is kept
 */
@ConfigurationProperties("hexa.contacts.import")
public record ImportSettings(
        @DefaultValue("20MB") DataSize maxFileSize,
        @DefaultValue("1000000") int maxRows,
        @DefaultValue("200") int maxColumns,
        @DefaultValue("10000") int maxCellChars,
        @DefaultValue("1000") int chunk,
        @DefaultValue("1s") Duration sweep,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("24h") Duration draftsKept) {

    public ImportSettings {
        chunk = Math.max(1, chunk);
        maxAttempts = Math.max(1, maxAttempts);
    }

    ImportFile.Limits limits() {
        return new ImportFile.Limits(maxRows, maxColumns, maxCellChars);
    }
}
