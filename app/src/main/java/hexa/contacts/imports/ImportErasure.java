package hexa.contacts.imports;

import hexa.platform.crypto.SecretBox;
import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The imports' part of erasing a person: rows an import rejected (or reported) whose value is one of the person's
 * identities, and the uploaded file of every import not yet run (a draft waiting for its mapping, or queued) with a cell
 * holding one of them: the file is deleted whole (a sealed file cannot have one row taken out) and its import ends as
 * failed, saying why. A finished import's file is already gone; an import running at that moment has read its file and
 * may write the person again (run the erasure again once it is done).
 */
@Component
class ImportErasure implements PersonErasure {

    private final JdbcClient jdbc;
    private final SecretBox secrets;
    private final ImportSettings settings;
    private final ImportRecords records;
    private final java.time.Clock clock;

    ImportErasure(JdbcClient jdbc, SecretBox secrets, ImportSettings settings, ImportRecords records, java.time.Clock clock) {
        this.records = records;
        this.clock = clock;
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.settings = settings;
    }

    @Override
    public int order() {
        return 90;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        UUID tenant = person.tenantId();
        String[] identities = person.identities().toArray(new String[0]);
        Map<String, Long> removed = new LinkedHashMap<>();
        removed.put("contact_import_problems", (long) jdbc.sql("""
                delete from contact_import_problems
                 where tenant_id = :tenant and (value = any(:identities) or regexp_replace(value, '[^0-9]', '', 'g') = any(:identities))
                """).param("tenant", tenant).param("identities", identities).update());
        record Sealed(UUID id, String format, String sealed) {
        }
        List<Sealed> files = jdbc.sql("""
                select f.import_id, i.file_format, f.sealed from contact_import_files f
                  join contact_imports i on i.tenant_id = f.tenant_id and i.id = f.import_id
                 where f.tenant_id = :tenant and i.status in ('draft', 'queued')
                 for update of i
                """).param("tenant", tenant)
                .query((rs, n) -> new Sealed(rs.getObject("import_id", UUID.class), rs.getString("file_format"), rs.getString("sealed"))).list();
        long deleted = 0;
        for (Sealed file : files) {
            if (names(file.format(), secrets.open(file.sealed()), Set.copyOf(person.identities()))) {
                records.finish(tenant, file.id(), "failed", "contacts.import.failed.person-erased", clock.instant());
                deleted++;
            }
        }
        removed.put("contact_import_files", deleted);
        return removed;
    }

    /** Whether a cell of the file holds one of the identities, as written or as its digits (a formatted number). */
    private boolean names(String format, byte[] bytes, Set<String> identities) {
        boolean[] found = {false};
        try {
            ImportFile.read(bytes, ImportFile.Format.of(format), settings.limits(), new ImportFile.Rows() {
                @Override
                public void header(int number, List<String> cells) {
                    row(number, cells);
                }

                @Override
                public void row(int number, List<String> cells) {
                    for (String cell : cells) {
                        if (cell != null && (identities.contains(cell.strip()) || identities.contains(cell.replaceAll("[^0-9]", "")))) {
                            found[0] = true;
                        }
                    }
                }
            });
        } catch (RuntimeException unreadable) {
            // A file the import could not read either names nobody it could find; it stays until its import expires.
            return found[0];
        }
        return found[0];
    }
}
