package hexa.sandbox.graph;

import java.util.Optional;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.SandboxProperties;
import hexa.sandbox.media.MediaStore;
import hexa.sandbox.media.StoredMedia;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.sandbox.templates.Template;
import hexa.sandbox.templates.Templates;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET} and {@code DELETE /{version}/{object-id}}: like the Graph API, one path serves any
 * object the token may see: a phone number, a media file, a template or a WABA.
 */
@RestController
@RequestMapping("${hexa.sandbox.graph-path:}/{version:v\\d+\\.0}")
public class GraphObjectsController {

    private final GraphAuthentication authentication;
    private final SandboxNumbers numbers;
    private final MediaStore media;
    private final Templates templates;
    private final SandboxProperties properties;

    public GraphObjectsController(GraphAuthentication authentication, SandboxNumbers numbers, MediaStore media,
            Templates templates, SandboxProperties properties) {
        this.authentication = authentication;
        this.numbers = numbers;
        this.media = media;
        this.templates = templates;
        this.properties = properties;
    }

    /** {@code POST /{TEMPLATE_ID}}: edits a template (components, category); it goes back to review. */
    @org.springframework.web.bind.annotation.PostMapping("/{objectId:\\d+}")
    public ResponseEntity<String> editTemplate(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String objectId, @org.springframework.web.bind.annotation.RequestBody(required = false) byte[] request) {
        BusinessNumber caller = authentication.caller(authorization);
        Template template = templates.byId(objectId).filter(t -> wabaOf(caller, t.wabaId()))
                .orElseThrow(() -> GraphError.invalidParameter("Unsupported post request. Object with ID '" + objectId + "' does not exist."));
        templates.edit(template, GraphResponses.parse(request));
        return GraphResponses.success();
    }

    @GetMapping("/{objectId}")
    public ResponseEntity<String> get(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String objectId,
            @RequestParam(value = "phone_number_id", required = false) String phoneNumberId) {
        BusinessNumber caller = authentication.caller(authorization);
        Optional<BusinessNumber> number = numbers.find(objectId).filter(n -> sameToken(n, caller));
        if (number.isPresent()) {
            return GraphResponses.ok(PhoneNumberViews.of(number.get()));
        }
        Optional<StoredMedia> stored = ownedMedia(objectId, caller, phoneNumberId);
        if (stored.isPresent()) {
            StoredMedia m = stored.get();
            ObjectNode body = SandboxJson.object();
            body.put("messaging_product", "whatsapp");
            body.put("url", baseUrl() + properties.getGraphPath() + "/whatsapp_business/attachments/?" + media.downloadQuery(m));
            body.put("mime_type", m.mimeType());
            body.put("sha256", m.sha256Hex());
            body.put("file_size", Long.toString(m.size()));
            body.put("id", m.id());
            return GraphResponses.ok(body);
        }
        Optional<Template> template = templates.byId(objectId).filter(t -> wabaOf(caller, t.wabaId()));
        if (template.isPresent()) {
            return GraphResponses.ok(template.get().toJson());
        }
        if (wabaOf(caller, objectId)) {
            ObjectNode waba = SandboxJson.object();
            waba.put("id", objectId);
            waba.put("name", "Hexa Sandbox WABA");
            waba.put("currency", "USD");
            waba.put("timezone_id", "1");
            waba.put("message_template_namespace", "sandbox_" + objectId);
            return GraphResponses.ok(waba);
        }
        throw GraphError.unknownObject(objectId, "get");
    }

    @DeleteMapping("/{objectId}")
    public ResponseEntity<String> delete(@RequestHeader(value = "Authorization", required = false) String authorization,
            @PathVariable String objectId,
            @RequestParam(value = "phone_number_id", required = false) String phoneNumberId) {
        BusinessNumber caller = authentication.caller(authorization);
        if (ownedMedia(objectId, caller, phoneNumberId).isPresent() && media.delete(objectId)) {
            return GraphResponses.success();
        }
        throw GraphError.unknownObject(objectId, "delete");
    }

    private Optional<StoredMedia> ownedMedia(String mediaId, BusinessNumber caller, String phoneNumberId) {
        return media.find(mediaId)
                .filter(m -> phoneNumberId == null || m.phoneNumberId().equals(phoneNumberId))
                .filter(m -> numbers.find(m.phoneNumberId()).map(owner -> sameToken(owner, caller)).orElse(false));
    }

    private boolean wabaOf(BusinessNumber caller, String wabaId) {
        return numbers.ofWaba(wabaId).stream().anyMatch(n -> sameToken(n, caller));
    }

    private static boolean sameToken(BusinessNumber a, BusinessNumber b) {
        return a.accessToken().equals(b.accessToken());
    }

    private String baseUrl() {
        if (!properties.getPublicUrl().isBlank()) {
            return properties.getPublicUrl().replaceAll("/+$", "");
        }
        return ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
    }
}
