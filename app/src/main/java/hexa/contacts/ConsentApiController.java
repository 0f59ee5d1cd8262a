package hexa.contacts;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/contacts/{id}/consent} (current marketing consent and its history; opt in or out) and
 * {@code /api/v1/contacts/{id}/block} (block with POST, unblock with DELETE).
 */
@RestController
class ConsentApiController {

    /** Sources an integration may name; keyword and import are the app's own. */
    private static final Set<ConsentService.Source> API_SOURCES = Set.of(ConsentService.Source.API, ConsentService.Source.AGENT,
            ConsentService.Source.FORM);

    private final ContactService contacts;
    private final ConsentService consent;
    private final Blocking blocking;

    ConsentApiController(ContactService contacts, ConsentService consent, Blocking blocking) {
        this.contacts = contacts;
        this.consent = consent;
        this.blocking = blocking;
    }

    public record EventJson(String status, String source, UUID actorId, String actorName, String detail, Instant at) {
        static EventJson of(ConsentService.Event e) {
            return new EventJson(e.status(), e.source(), e.actorId(), e.actorName(), e.detail(), e.at());
        }
    }

    /**
     * @param changed false when the contact already had the state asked for (nothing was written)
     */
    public record ConsentJson(UUID contactId, String marketing, String source, Instant at, Boolean changed, List<EventJson> history) {
    }

    public record BlockJson(UUID contactId, boolean blocked, Instant blockedAt, boolean changed) {
    }

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/api/v1/contacts/{id}/consent")
    ConsentJson get(@PathVariable String id) {
        UUID contactId = contact(id);
        return json(contactId, consent.current(contactId), null);
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/api/v1/contacts/{id}/consent")
    ConsentJson record(@PathVariable String id, @RequestBody(required = false) JsonNode request) {
        UUID contactId = contact(id);
        if (request == null || !request.isObject()) {
            throw UserError.invalid("contacts.consent.api.body");
        }
        String status = request.path("status").asString("");
        ConsentService.Status chosen = ConsentService.Status.parse(status)
                .orElseThrow(() -> UserError.invalid("contacts.consent.status-invalid", status));
        String source = request.has("source") && !request.get("source").isNull() ? request.path("source").asString("") : "api";
        ConsentService.Source how = ConsentService.Source.parse(source).filter(API_SOURCES::contains)
                .orElseThrow(() -> UserError.invalid("contacts.consent.api.source-invalid", source));
        JsonNode detail = request.get("detail");
        if (detail != null && !detail.isNull() && !detail.isString()) {
            throw UserError.invalid("contacts.consent.api.detail-text");
        }
        ConsentService.Change change = consent.record(contactId, chosen, how, detail == null || detail.isNull() ? null : detail.asString());
        return json(contactId, change.consent(), change.changed());
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/api/v1/contacts/{id}/block")
    BlockJson block(@PathVariable String id) {
        return json(blocking.block(contact(id)));
    }

    @Requires(Permission.USE_CONTACTS)
    @DeleteMapping("/api/v1/contacts/{id}/block")
    BlockJson unblock(@PathVariable String id) {
        return json(blocking.unblock(contact(id)));
    }

    private ConsentJson json(UUID contactId, Contact.Consent now, Boolean changed) {
        return new ConsentJson(contactId, now.marketing(), now.source(), now.at(), changed,
                consent.history(contactId).stream().map(EventJson::of).toList());
    }

    private static BlockJson json(Blocking.Change change) {
        Contact contact = change.contact();
        return new BlockJson(contact.id(), contact.blocked(), contact.blockedAt(), change.changed());
    }

    private UUID contact(String id) {
        return contacts.byId(Ids.parseOrNotFound(id)).orElseThrow(NotFoundException::new).id();
    }
}
