package hexa.privacy;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A person's export over the API: {@code POST /api/v1/contacts/{id}/export} starts it (202, the job in
 * {@code Location}); {@code GET /api/v1/privacy/exports/{id}} gives its status and progress and, when done, to the token
 * that asked for it, a {@code downloadUrl}; the download answers the ZIP to that token only (404 to any other).
 */
@RestController
class ExportsApiController {

    private final PersonExports exports;

    ExportsApiController(PersonExports exports) {
        this.exports = exports;
    }

    /** An export job as the API shows it; {@code downloadUrl} only when done and asked for by the caller, for 24 hours. */
    public record ExportJson(UUID id, UUID contactId, String status, int progress, Instant requestedAt, Instant finishedAt, Instant expiresAt,
                             String requestedBy, String downloadUrl) {
        static ExportJson of(PersonExports.Job job, boolean downloadable) {
            return new ExportJson(job.id(), job.contactId(), job.status(), job.percent(), job.requestedAt(), job.finishedAt(), job.expiresAt(),
                    job.requestedBy(), downloadable ? "/api/v1/privacy/exports/" + job.id() + "/download" : null);
        }
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @PostMapping("/api/v1/contacts/{id}/export")
    ResponseEntity<ExportJson> start(@PathVariable String id) {
        PersonExports.Job job = exports.start(Ids.parseOrNotFound(id));
        return ResponseEntity.accepted().location(URI.create("/api/v1/privacy/exports/" + job.id())).body(ExportJson.of(job, false));
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @GetMapping("/api/v1/privacy/exports/{id}")
    ExportJson job(@PathVariable String id) {
        UUID jobId = Ids.parseOrNotFound(id);
        PersonExports.Job job = exports.job(jobId).orElseThrow(NotFoundException::new);
        return ExportJson.of(job, exports.downloadable(jobId));
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @GetMapping("/api/v1/privacy/exports/{id}/download")
    ResponseEntity<InputStreamResource> download(@PathVariable String id) {
        UUID jobId = Ids.parseOrNotFound(id);
        PersonExports.Job job = exports.job(jobId).orElseThrow(NotFoundException::new);
        InputStream zip = exports.open(jobId).orElseThrow(NotFoundException::new);
        return ExportPageController.zip(job, zip);
    }
}
