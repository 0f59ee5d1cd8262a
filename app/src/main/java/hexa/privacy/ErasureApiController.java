package hexa.privacy;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/contacts/{id}/erasure}: erases the person now and answers the certificate;
 * {@code GET /api/v1/privacy/erasures/{id}}: a certificate again. Owner and Admin tokens.
 */
@RestController
class ErasureApiController {

    /** The reason a certificate gives when the request names none. */
    static final String API_REASON = "requested through the API";

    private final PersonErasures erasures;

    ErasureApiController(PersonErasures erasures) {
        this.erasures = erasures;
    }

    /** Body (optional): {@code {"reason": "…"}}. 409 when the contact is on legal hold. */
    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @PostMapping("/api/v1/contacts/{id}/erasure")
    PersonErasures.Certificate erase(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        JsonNode reason = body == null ? null : body.get("reason");
        String why = reason == null || reason.isNull() ? API_REASON : reason.asString();
        return erasures.erase(Ids.parseOrNotFound(id), why);
    }

    @Requires(Permission.HANDLE_PERSONAL_DATA)
    @GetMapping("/api/v1/privacy/erasures/{id}")
    PersonErasures.Certificate certificate(@PathVariable String id) {
        return erasures.certificate(Ids.parseOrNotFound(id)).orElseThrow(NotFoundException::new);
    }
}
