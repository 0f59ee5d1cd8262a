package hexa.contacts.imports;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.identity.WorkspaceService;
import hexa.platform.Ids;
import hexa.platform.crypto.SecretBox;
import hexa.platform.database.AfterCommit;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.core.io.InputStreamSource;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Importing a file of contacts, as people and integrators do it: upload (the file is checked whole
 * and kept sealed), map its columns (guessed, remembered per workspace), look at a preview of the
 * first rows as they will be imported, start; the rest happens in the background ({@link ImportRunner}).
 */
@Service
public class ContactImports {

    static final int PREVIEW_ROWS = 10;
    private static final Pattern TAG_SEPARATORS = Pattern.compile("[,;]");

    private final ImportRecords records;
    private final ImportSettings settings;
    private final SecretBox secrets;
    private final WorkspaceService workspaces;
    private final AuditTrail audit;
    private final ImportRunner runner;
    private final JdbcClient jdbc;
    private final Clock clock;

    ContactImports(ImportRecords records, ImportSettings settings, SecretBox secrets, WorkspaceService workspaces, AuditTrail audit,
                   ImportRunner runner, JdbcClient jdbc, Clock clock) {
        this.records = records;
        this.settings = settings;
        this.secrets = secrets;
        this.workspaces = workspaces;
        this.audit = audit;
        this.runner = runner;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The options of a start: tags to add to every row, and where the consent the file records was given. */
    public record Options(List<String> tags, String consentDetail) {
        public static Options of(String tags, String consentDetail) {
            Set<String> list = new LinkedHashSet<>();
            if (tags != null) {
                for (String tag : TAG_SEPARATORS.split(tags)) {
                    String t = tag.strip();
                    if (t.length() > ImportRows.MAX_TAG) {
                        throw UserError.invalid("contacts.import.options.tag-too-long", t, ImportRows.MAX_TAG);
                    }
                    if (!t.isEmpty()) {
                        list.add(t);
                    }
                }
            }
            String detail = consentDetail == null || consentDetail.isBlank() ? null : consentDetail.strip();
            if (detail != null && detail.length() > 300) {
                throw UserError.invalid("contacts.import.options.consent-too-long", 300);
            }
            return new Options(List.copyOf(list), detail);
        }
    }

    /** One row of the preview: the row as it will be imported, whether it creates or updates, or its problem. */
    public record PreviewRow(int row, List<String> cells, String phone, String name, String email, String company, List<String> tags, String consent,
                             Map<String, Object> attributes, boolean known, String problem) {
    }

    /** What the mapping page shows. */
    public record Preview(List<String> headers, List<List<String>> cells, List<PreviewRow> rows, List<String> missingRequired) {
    }

    /** Checks the whole file and keeps it, sealed, as a draft whose columns are still to be mapped. */
    @Transactional
    public ContactImport upload(InputStreamSource file, long declaredSize, String filename) {
        byte[] bytes = readLimited(file, declaredSize);
        String name = safeName(filename);
        ImportFile.Format format = ImportFile.detect(bytes, name);
        int[] rows = {0};
        List<List<String>> headers = new ArrayList<>();
        ImportFile.read(bytes, format, settings.limits(), new ImportFile.Rows() {
            @Override
            public void header(int number, List<String> cells) {
                headers.add(cells);
            }

            @Override
            public void row(int number, List<String> cells) {
                rows[0]++;
            }
        });
        List<String> header = headers.get(0).stream().map(String::strip).toList();
        UUID id = Ids.newId();
        Actor actor = TenantContext.actor();
        records.insertDraft(id, name, format, bytes.length, header, rows[0], secrets.seal(bytes), actor.userId(), actor.name(), clock.instant());
        return records.find(id).orElseThrow();
    }

    /** Uploads and starts at once, as the API does; without a mapping the guessed one is used. */
    @Transactional
    public ContactImport uploadAndStart(InputStreamSource file, long declaredSize, String filename, String mappingJson, Options options) {
        ContactImport draft = upload(file, declaredSize, filename);
        Map<String, ImportRows.Attribute> attributes = records.attributes();
        ColumnMapping mapping = mappingJson == null || mappingJson.isBlank()
                ? suggestedMapping(draft).checked(draft.headers())
                : ColumnMapping.parse(mappingJson, draft.headers(), attributes);
        return start(draft.id(), mapping, options);
    }

    public ContactImport find(UUID id) {
        return records.find(id).orElseThrow(NotFoundException::new);
    }

    long maxMegabytes() {
        return settings.maxFileSize().toMegabytes();
    }

    public List<ContactImport> recent() {
        return records.recent(20);
    }

    /** A custom attribute as the mapping form offers it. */
    public record AttributeView(String key, String label, boolean required) {
    }

    List<AttributeView> attributes() {
        return records.attributes().values().stream().map(a -> new AttributeView(a.key(), a.label(), a.required())).toList();
    }

    /** The mapping to offer: the one chosen for this import, else the guess from its headings and the workspace's earlier choices. */
    ColumnMapping suggestedMapping(ContactImport contactImport) {
        if (!contactImport.draft()) {
            return contactImport.mapping();
        }
        return ColumnMapping.guess(contactImport.headers(), records.rememberedMappings(), records.attributes());
    }

    ColumnMapping mappingOfForm(ContactImport contactImport, Map<String, String> form) {
        return ColumnMapping.ofForm(form, contactImport.headers(), records.attributes());
    }

    /** The first rows of the file as this mapping would import them, each with its problem if it has one. */
    public Preview preview(ContactImport contactImport, ColumnMapping mapping) {
        byte[] bytes = secrets.open(records.sealedFile(TenantContext.tenantId(), contactImport.id()).orElseThrow(NotFoundException::new));
        Map<String, ImportRows.Attribute> attributes = records.attributes();
        String country = workspaces.current().defaultCountry();
        List<List<String>> cells = new ArrayList<>();
        List<ImportRows.Reading> readings = new ArrayList<>();
        try {
            ImportFile.read(bytes, ImportFile.Format.of(contactImport.format()), settings.limits(), new ImportFile.Rows() {
                @Override
                public void header(int number, List<String> row) {
                }

                @Override
                public void row(int number, List<String> row) {
                    cells.add(row);
                    readings.add(mapping.columnOf("phone") < 0
                            ? new ImportRows.Reading(null, ImportRows.Problem.rejected(number, "", "contacts.import.mapping.no-phone"))
                            : ImportRows.read(number, row, mapping, attributes, country));
                    if (readings.size() >= PREVIEW_ROWS) {
                        throw new Enough();
                    }
                }
            });
        } catch (Enough enough) {
            // the preview has its rows
        }
        Set<String> known = new java.util.HashSet<>(jdbc.sql("select phone_e164 from contacts where tenant_id = :tenant and phone_e164 = any(:phones)")
                .param("tenant", TenantContext.tenantId())
                .param("phones", readings.stream().filter(r -> r.candidate() != null).map(r -> r.candidate().phone).toArray(String[]::new))
                .query(String.class).list());
        List<PreviewRow> rows = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            ImportRows.Reading reading = readings.get(i);
            List<String> written = cells.get(i);
            ImportRows.Candidate c = reading.candidate();
            if (c == null) {
                ImportRows.Problem p = reading.problem();
                rows.add(new PreviewRow(p.row(), written, null, null, null, null, List.of(), null, Map.of(), false, reason(p)));
                continue;
            }
            String problem = null;
            ImportRows.Attribute missing = known.contains(c.phone) ? null : ImportRows.missingRequired(c, attributes);
            if (missing != null) {
                problem = Text.t("contacts.import.row.missing-required", missing.label());
            }
            rows.add(new PreviewRow(c.row, written, c.phone, c.name, c.email, c.company, List.copyOf(c.tags), c.consent, Map.copyOf(c.attributes),
                    known.contains(c.phone), problem));
        }
        List<String> missingRequired = attributes.values().stream()
                .filter(a -> a.required() && !mapping.attributeKeys().contains(a.key())).map(ImportRows.Attribute::label).toList();
        return new Preview(contactImport.headers(), cells, rows, missingRequired);
    }

    private static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }

    /** Starts a draft with its mapping: remembered for the workspace, queued for the background, audited. */
    @Transactional
    public ContactImport start(UUID id, ColumnMapping mapping, Options options) {
        ContactImport draft = records.lock(id).orElseThrow(NotFoundException::new);
        if (!draft.draft()) {
            throw UserError.conflict("contacts.import.already-started");
        }
        mapping.checked(draft.headers());
        records.remember(mapping.byHeading(draft.headers()), clock.instant());
        records.queue(id, mapping, options.tags(), options.consentDetail());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rows", draft.totalRows());
        details.put("format", draft.format());
        details.put("mapping", mapping.targets().values());
        details.put("tags", options.tags());
        audit.record(AuditEntry.of("contacts.import_started").target("contact_import", id, draft.fileName()).details(details));
        AfterCommit.run(runner::wake);
        return records.find(id).orElseThrow();
    }

    /** The report's rows: rejected rows with their reason, merged duplicates, kept opt-outs. */
    public List<ReportRow> report(UUID id) {
        find(id);
        return records.problems(id).stream().map(p -> new ReportRow(p.row(), p.kind(), p.value(), reason(p))).toList();
    }

    public record ReportRow(int row, String kind, String value, String reason) {
    }

    /** The report as a CSV to download; cells a spreadsheet would run as formulas are neutralised. */
    public String reportCsv(UUID id) {
        StringBuilder csv = new StringBuilder();
        csv.append(SpreadsheetCells.line(List.of(Text.t("contacts.import.report.row"), Text.t("contacts.import.report.outcome"),
                Text.t("contacts.import.report.value"), Text.t("contacts.import.report.reason"))));
        for (ReportRow row : report(id)) {
            csv.append(SpreadsheetCells.line(List.of(String.valueOf(row.row()), Text.t("contacts.import.outcome." + row.kind()),
                    row.value() == null ? "" : row.value(), row.reason())));
        }
        return csv.toString();
    }

    static String reason(ImportRows.Problem problem) {
        return Text.t(problem.key(), problem.args().toArray());
    }

    private byte[] readLimited(InputStreamSource file, long declaredSize) {
        long max = settings.maxFileSize().toBytes();
        if (declaredSize > max) {
            throw tooLarge(max);
        }
        try (InputStream in = file.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (bytes.length > max) {
                throw tooLarge(max);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the uploaded file", e);
        }
    }

    private UserError tooLarge(long max) {
        return new UserError(HttpStatus.PAYLOAD_TOO_LARGE, "too_large", "contacts.import.file.too-large",
                String.valueOf(max / (1024 * 1024)));
    }

    private static String safeName(String filename) {
        String name = filename == null ? "" : filename.replaceAll(".*[/\\\\]", "").replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty()) {
            name = "contacts.csv";
        }
        return name.length() > 200 ? name.substring(name.length() - 200) : name;
    }
}
