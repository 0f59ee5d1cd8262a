package hexa.whatsapp.media;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code /api/v1/media}: upload a file to send (multipart field {@code file}); its id then goes into
 * a message ({@code {"type":"image","image":{"id":"…"}}}) or a list of attachments.
 */
@RestController
class MediaUploadsApiController {

    private final MediaUploads uploads;

    MediaUploadsApiController(MediaUploads uploads) {
        this.uploads = uploads;
    }

    public record UploadJson(UUID id, String kind, String mimeType, long size, String fileName, String sha256, Instant createdAt) {
        static UploadJson of(MediaUpload upload) {
            return new UploadJson(upload.id(), upload.kind().messageType(), upload.mimeType(), upload.sizeBytes(), upload.filename(),
                    upload.sha256(), upload.createdAt());
        }
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/api/v1/media")
    ResponseEntity<UploadJson> upload(@RequestParam(value = "file", required = false) MultipartFile file) {
        if (file == null) {
            throw UserError.invalid("whatsapp.media.upload.missing-file");
        }
        MediaUpload upload = uploads.upload(file, file.getSize(), file.getContentType(), file.getOriginalFilename());
        return ResponseEntity.status(201).body(UploadJson.of(upload));
    }

    @Requires(Permission.USE_INBOX)
    @GetMapping("/api/v1/media/{id}")
    UploadJson get(@PathVariable String id) {
        return UploadJson.of(uploads.find(Ids.parseOrNotFound(id)).orElseThrow(NotFoundException::new));
    }
}
