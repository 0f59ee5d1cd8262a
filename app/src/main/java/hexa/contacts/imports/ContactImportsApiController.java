package hexa.contacts.imports;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code /api/v1/contacts/imports}: start an import (multipart {@code file}, optional {@code mapping}
 * JSON, {@code tags}, {@code consentSource}), follow its progress, download its report of rejected rows.
 */
@RestController
class ContactImportsApiController {

    private final ContactImports imports;

    ContactImportsApiController(ContactImports imports) {
        this.imports = imports;
    }

    public record Counts(int created, int updated, int merged, int rejected) {
    }

    public record ImportJson(UUID id, String status, String fileName, String format, long fileSize, int totalRows, int processedRows,
                             int progress, Counts counts, Map<String, String> mapping, List<String> tags, String consentSource,
                             String failure, Instant createdAt, Instant startedAt, Instant finishedAt, String rejectedUrl) {
        static ImportJson of(ContactImport i) {
            Map<String, String> mapping = new LinkedHashMap<>();
            i.mapping().targets().forEach((column, target) -> mapping.put(column < i.headers().size() ? i.headers().get(column) : "#" + column, target));
            return new ImportJson(i.id(), i.status(), i.fileName(), i.format(), i.fileSize(), i.totalRows(), i.processedRows(), i.percent(),
                    new Counts(i.created(), i.updated(), i.merged(), i.rejected()), mapping, i.tags(), i.consentDetail(),
                    i.failure() == null ? null : Text.t(i.failure()), i.createdAt(), i.startedAt(), i.finishedAt(),
                    "/api/v1/contacts/imports/" + i.id() + "/rejected");
        }
    }

    @Requires(Permission.MANAGE_CONTACTS)
    @PostMapping("/api/v1/contacts/imports")
    ResponseEntity<ImportJson> start(@RequestParam(value = "file", required = false) MultipartFile file,
                                     @RequestParam(value = "mapping", required = false) String mapping,
                                     @RequestParam(value = "tags", required = false) String tags,
                                     @RequestParam(value = "consentSource", required = false) String consentSource) {
        if (file == null) {
            throw UserError.invalid("contacts.import.file.missing");
        }
        ContactImports.Options options = ContactImports.Options.of(tags, consentSource);
        ContactImport started = imports.uploadAndStart(file, file.getSize(), file.getOriginalFilename(), mapping, options);
        return ResponseEntity.accepted().location(URI.create("/api/v1/contacts/imports/" + started.id())).body(ImportJson.of(started));
    }

    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/api/v1/contacts/imports/{id}")
    ImportJson get(@PathVariable String id) {
        return ImportJson.of(imports.find(Ids.parseOrNotFound(id)));
    }

    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/api/v1/contacts/imports/{id}/rejected")
    ResponseEntity<String> rejected(@PathVariable String id) {
        UUID importId = Ids.parseOrNotFound(id);
        String csv = imports.reportCsv(importId);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"import-" + importId + "-report.csv\"")
                .body(csv);
    }
}
