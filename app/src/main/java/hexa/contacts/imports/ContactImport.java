package hexa.contacts.imports;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One import of a file of contacts: what was uploaded, how its columns are mapped, and how far it got. */
public record ContactImport(UUID tenantId, UUID id, String status, String fileName, String format, long fileSize, List<String> headers, int totalRows,
                            String mappingJson, List<String> tags, String consentDetail, int processedRows, int lastRow,
                            int created, int updated, int merged, int rejected, String failure, UUID createdBy,
                            String createdByName, Instant createdAt, Instant startedAt, Instant finishedAt) {

    public boolean draft() {
        return "draft".equals(status);
    }

    public boolean finished() {
        return "done".equals(status) || "failed".equals(status);
    }

    /** How far it got, 0 to 100: rows handled of the rows the file holds. */
    public int percent() {
        if ("done".equals(status)) {
            return 100;
        }
        return totalRows == 0 ? 0 : (int) Math.min(99, processedRows * 100L / totalRows);
    }

    ColumnMapping mapping() {
        return ColumnMapping.ofStoredJson(mappingJson);
    }
}
