package hexa.contacts.imports;

import hexa.platform.database.JsonRows;
import hexa.platform.database.LeasedJobs;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The import tables: imports, their sealed files, their report rows, and the mappings a workspace chose. */
@Repository
class ImportRecords {

    private final JdbcClient jdbc;

    ImportRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertDraft(UUID id, String fileName, ImportFile.Format format, long size, List<String> headers, int totalRows, String sealed,
                     UUID createdBy, String createdByName, Instant now) {
        UUID tenant = TenantContext.tenantId();
        jdbc.sql("""
                insert into contact_imports (tenant_id, id, status, file_name, file_format, file_size, headers, total_rows,
                                             created_by, created_by_name, created_at)
                values (:tenant, :id, 'draft', :name, :format, :size, :headers, :rows, :by, :byName, :now)
                """)
                .param("tenant", tenant).param("id", id).param("name", fileName).param("format", format.code()).param("size", size)
                .param("headers", headers.toArray(new String[0])).param("rows", totalRows).param("by", createdBy)
                .param("byName", createdByName).param("now", Sql.ts(now))
                .update();
        jdbc.sql("insert into contact_import_files (tenant_id, import_id, sealed) values (:tenant, :id, :sealed)")
                .param("tenant", tenant).param("id", id).param("sealed", sealed)
                .update();
    }

    Optional<ContactImport> find(UUID id) {
        return jdbc.sql("select * from contact_imports where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(ImportRecords::map).optional();
    }

    /** Locks the import for a change of state (starting it). */
    Optional<ContactImport> lock(UUID id) {
        return jdbc.sql("select * from contact_imports where tenant_id = :tenant and id = :id for update")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(ImportRecords::map).optional();
    }

    List<ContactImport> recent(int limit) {
        return jdbc.sql("select * from contact_imports where tenant_id = :tenant order by created_at desc limit :limit")
                .param("tenant", TenantContext.tenantId()).param("limit", limit).query(ImportRecords::map).list();
    }

    Optional<String> sealedFile(UUID tenant, UUID id) {
        return jdbc.sql("select sealed from contact_import_files where tenant_id = :tenant and import_id = :id")
                .param("tenant", tenant).param("id", id).query(String.class).optional();
    }

    void queue(UUID id, ColumnMapping mapping, List<String> tags, String consentDetail) {
        jdbc.sql("""
                update contact_imports set status = 'queued', mapping = cast(:mapping as jsonb), tags = :tags, consent_detail = :detail
                 where tenant_id = :tenant and id = :id and status = 'draft'
                """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("mapping", mapping.json())
                .param("tags", tags.toArray(new String[0])).param("detail", consentDetail)
                .update();
    }

    /** A queued import, or a running one whose node stopped renewing its lease (a crash, a restart): taken and leased. */
    Optional<ContactImport> claimNext(Instant now, Instant leaseUntil, int maxAttempts) {
        return jdbc.sql(LeasedJobs.claimNext("contact_imports", "contacts.import.failed.attempts"))
                .param("now", Sql.ts(now)).param("lease", Sql.ts(leaseUntil)).param("maxAttempts", maxAttempts)
                .query(ImportRecords::map).optional();
    }

    /** The progress of one written chunk, in the chunk's transaction; false when the import is no longer ours to run. */
    boolean progress(UUID tenant, UUID id, int rows, int lastRow, int created, int updated, int merged, int rejected, Instant leaseUntil) {
        return jdbc.sql("""
                update contact_imports
                   set processed_rows = processed_rows + :rows, last_row = :lastRow, created_count = created_count + :created,
                       updated_count = updated_count + :updated, merged_count = merged_count + :merged,
                       rejected_count = rejected_count + :rejected, lease_until = :lease
                 where tenant_id = :tenant and id = :id and status = 'running' and last_row < :lastRow
                """)
                .param("tenant", tenant).param("id", id).param("rows", rows).param("lastRow", lastRow).param("created", created)
                .param("updated", updated).param("merged", merged).param("rejected", rejected).param("lease", Sql.ts(leaseUntil))
                .update() == 1;
    }

    /** Ends an import, done or failed, and forgets its file. */
    void finish(UUID tenant, UUID id, String status, String failure, Instant now) {
        jdbc.sql("""
                update contact_imports set status = :status, failure = :failure, finished_at = :now, lease_until = null
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", tenant).param("id", id).param("status", status).param("failure", failure).param("now", Sql.ts(now))
                .update();
        jdbc.sql("delete from contact_import_files where tenant_id = :tenant and import_id = :id")
                .param("tenant", tenant).param("id", id).update();
    }

    /** Uploads never started: removed with their files after a while. */
    int deleteOldDrafts(Instant before) {
        return jdbc.sql("delete from contact_imports where status = 'draft' and created_at < :before")
                .param("before", Sql.ts(before)).update();
    }

    void addProblems(UUID tenant, UUID id, List<ImportRows.Problem> problems) {
        if (problems.isEmpty()) {
            return;
        }
        JsonRows rows = new JsonRows();
        for (ImportRows.Problem p : problems) {
            String value = p.value() == null ? null : p.value().length() > 500 ? p.value().substring(0, 500) + "…" : p.value();
            rows.add().put("row_number", p.row()).put("kind", p.kind()).put("value", value).put("reason_key", p.key())
                    .put("reason_args", String.join("\u001F", p.args()));
        }
        jdbc.sql("""
                insert into contact_import_problems (tenant_id, import_id, row_number, kind, value, reason_key, reason_args)
                select :tenant, :id, r.row_number, r.kind, r.value, r.reason_key,
                       case when r.reason_args = '' then '{}' else string_to_array(r.reason_args, chr(31)) end
                  from json_to_recordset(cast(:rows as json)) as r(row_number integer, kind text, value text, reason_key text, reason_args text)
                on conflict do nothing
                """)
                .param("tenant", tenant).param("id", id).param("rows", rows.json())
                .update();
    }

    List<ImportRows.Problem> problems(UUID id) {
        return jdbc.sql("""
                select row_number, kind, value, reason_key, reason_args from contact_import_problems
                 where tenant_id = :tenant and import_id = :id order by row_number, kind
                """)
                .param("tenant", TenantContext.tenantId()).param("id", id)
                .query((rs, n) -> new ImportRows.Problem(rs.getInt("row_number"), rs.getString("kind"), rs.getString("value"),
                        rs.getString("reason_key"), strings(rs.getArray("reason_args"))))
                .list();
    }

    Map<String, String> rememberedMappings() {
        Map<String, String> remembered = new LinkedHashMap<>();
        jdbc.sql("select heading, target from contact_import_mappings where tenant_id = :tenant")
                .param("tenant", TenantContext.tenantId())
                .query((rs, n) -> remembered.put(rs.getString("heading"), rs.getString("target"))).list();
        return remembered;
    }

    void remember(Map<String, String> byHeading, Instant now) {
        if (byHeading.isEmpty()) {
            return;
        }
        JsonRows rows = new JsonRows();
        byHeading.forEach((heading, target) -> rows.add().put("heading", heading).put("target", target));
        jdbc.sql("""
                insert into contact_import_mappings (tenant_id, heading, target, updated_at)
                select :tenant, r.heading, r.target, :now from json_to_recordset(cast(:rows as json)) as r(heading text, target text)
                on conflict (tenant_id, heading) do update set target = excluded.target, updated_at = excluded.updated_at
                """)
                .param("tenant", TenantContext.tenantId()).param("rows", rows.json()).param("now", Sql.ts(now))
                .update();
    }

    /** The workspace's custom attributes, in their order. */
    Map<String, ImportRows.Attribute> attributes() {
        Map<String, ImportRows.Attribute> attributes = new LinkedHashMap<>();
        jdbc.sql("select key, label, type, options, required from contact_attributes where tenant_id = :tenant order by position, key")
                .param("tenant", TenantContext.tenantId())
                .query((rs, n) -> attributes.put(rs.getString("key"), new ImportRows.Attribute(rs.getString("key"), rs.getString("label"),
                        rs.getString("type"), strings(rs.getArray("options")), rs.getBoolean("required"))))
                .list();
        return attributes;
    }

    private static ContactImport map(ResultSet rs, int row) throws SQLException {
        return new ContactImport(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), rs.getString("status"), rs.getString("file_name"), rs.getString("file_format"),
                rs.getLong("file_size"), strings(rs.getArray("headers")), rs.getInt("total_rows"), rs.getString("mapping"),
                strings(rs.getArray("tags")), rs.getString("consent_detail"), rs.getInt("processed_rows"), rs.getInt("last_row"),
                rs.getInt("created_count"), rs.getInt("updated_count"), rs.getInt("merged_count"), rs.getInt("rejected_count"),
                rs.getString("failure"), Sql.uuid(rs, "created_by"), rs.getString("created_by_name"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "started_at"), Sql.instant(rs, "finished_at"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
