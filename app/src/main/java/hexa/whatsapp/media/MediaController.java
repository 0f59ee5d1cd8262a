package hexa.whatsapp.media;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /media/{message id}}: a customer's file, to the members of the workspace who use the inbox.
 * The answer can never act as a page of the CRM: {@link MediaPresentation} chooses type and
 * disposition, {@code nosniff} stops browsers guessing, and {@code Content-Security-Policy: sandbox}
 * takes scripts, forms and the origin away from anything opened directly.
 */
@RestController
class MediaController {

    static final String SANDBOX_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";

    private final MediaLibrary library;
    private final hexa.whatsapp.MessageHistory messages;

    MediaController(MediaLibrary library, hexa.whatsapp.MessageHistory messages) {
        this.library = library;
        this.messages = messages;
    }

    /**
     * A message's file is the member's to see only if its conversation is (else: not found, as for another
     * workspace). An id that is no message is an upload waiting to be sent, which the workspace's members see.
     */
    private UUID visibleMessage(String messageId) {
        UUID id = Ids.parseOrNotFound(messageId);
        if (messages.byId(id).isPresent() && messages.visible(id).isEmpty()) {
            throw new NotFoundException();
        }
        return id;
    }

    /** The decrypted file; byte ranges work (Spring answers 206 for a Range request), so video can seek. */
    @Requires(Permission.USE_INBOX)
    @GetMapping("/media/{messageId}")
    ResponseEntity<Resource> file(@PathVariable String messageId) {
        MediaLibrary.Content content = library.content(visibleMessage(messageId));
        MediaFile file = content.file();
        MediaPresentation presentation = MediaPresentation.of(file.kind(), file.mimeType(), file.filename());
        return ResponseEntity.ok()
                .contentType(presentation.contentType())
                .header(HttpHeaders.CONTENT_DISPOSITION, presentation.contentDisposition())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", SANDBOX_POLICY)
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePrivate())
                .body(new ByteArrayResource(content.bytes()));
    }

    /** "Fetch again": puts a waiting or failed download back in line at once. */
    @Requires(Permission.USE_INBOX)
    @PostMapping("/media/{messageId}/retry")
    ResponseEntity<Map<String, String>> retry(@PathVariable String messageId) {
        UUID id = visibleMessage(messageId);
        if (!library.retry(id)) {
            throw new NotFoundException();
        }
        MediaFile file = library.of(id).orElseThrow(NotFoundException::new);
        return ResponseEntity.accepted().body(Map.of("messageId", id.toString(), "state", file.state().name().toLowerCase(Locale.ROOT)));
    }
}
