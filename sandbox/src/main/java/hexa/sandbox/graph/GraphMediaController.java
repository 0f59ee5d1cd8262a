package hexa.sandbox.graph;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.SandboxStats;
import hexa.sandbox.SandboxSwitches;
import hexa.sandbox.media.MediaStore;
import hexa.sandbox.media.StoredMedia;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;

/**
 * Media upload ({@code POST /{version}/{phone-number-id}/media}, multipart) and the download URL the
 * media object points at. A download needs the owning number's bearer token and a URL younger than
 * five minutes; otherwise Meta answers 404.
 */
@RestController
public class GraphMediaController {

    private final GraphAuthentication authentication;
    private final MediaStore media;
    private final SandboxNumbers numbers;
    private final SandboxSwitches switches;
    private final SandboxStats stats;

    public GraphMediaController(GraphAuthentication authentication, MediaStore media, SandboxNumbers numbers, SandboxSwitches switches,
            SandboxStats stats) {
        this.authentication = authentication;
        this.media = media;
        this.numbers = numbers;
        this.switches = switches;
        this.stats = stats;
    }

    @PostMapping("${hexa.sandbox.graph-path:}/{version:v\\d+\\.0}/{phoneNumberId}/media")
    public ResponseEntity<String> upload(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String phoneNumberId,
            @RequestParam(value = "messaging_product", required = false) String messagingProduct,
            @RequestParam(value = "type", required = false) String type,
            @RequestParam(value = "file", required = false) MultipartFile file) throws IOException {
        BusinessNumber number = authentication.number(authorization, phoneNumberId, "post");
        if (messagingProduct == null) {
            throw GraphError.requiredParameter("messaging_product");
        }
        if (!"whatsapp".equals(messagingProduct)) {
            throw GraphError.invalidParameter("Param messaging_product must be one of {WHATSAPP} - got \"" + messagingProduct + "\".");
        }
        if (file == null) {
            throw GraphError.requiredParameter("file");
        }
        if (switches.takeMediaUploadFailure(number.phoneNumberId())) {
            throw GraphError.injected(switches.mediaUploadFailureCode);
        }
        String mimeType = file.getContentType();
        if (mimeType == null || mimeType.isBlank() || "application/octet-stream".equals(mimeType)) {
            mimeType = type;
        }
        StoredMedia stored = media.store(number.phoneNumberId(), mimeType, file.getOriginalFilename(), file.getBytes());
        stats.mediaUploaded(number.phoneNumberId());
        return GraphResponses.ok(SandboxJson.object().put("id", stored.id()));
    }

    @GetMapping("${hexa.sandbox.graph-path:}/whatsapp_business/attachments/")
    public ResponseEntity<byte[]> download(@RequestHeader(value = "Authorization", required = false) String authorization,
            @RequestParam(value = "mid", required = false) String mediaId,
            @RequestParam(value = "ext", required = false) String expires,
            @RequestParam(value = "hash", required = false) String hash) {
        String token = GraphAuthentication.bearer(authorization);
        return media.resolveDownload(mediaId, expires, hash)
                .filter(m -> numbers.find(m.phoneNumberId()).map(n -> n.accessToken().equals(token)).orElse(false))
                .map(m -> ResponseEntity.ok()
                        .header(HttpHeaders.CONTENT_TYPE, m.mimeType())
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + (m.filename() == null ? m.id() : m.filename().replace("\"", "")) + "\"")
                        .body(m.bytes()))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN).body(new byte[0]));
    }
}
