package hexa.contacts;

import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.UserError;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/contact-attributes}: the workspace's custom contact fields. Everyone who uses contacts
 * reads them (to fill them in); defining them is for Owners and Admins, as in Settings → Contact fields.
 */
@RestController
class ContactAttributesApiController {

    private final ContactAttributes attributes;

    ContactAttributesApiController(ContactAttributes attributes) {
        this.attributes = attributes;
    }

    public record AttributeJson(String key, String label, String type, List<String> options, boolean required, int position) {
        static AttributeJson of(AttributeDefinition d) {
            return new AttributeJson(d.key(), d.label(), d.type(), d.options(), d.required(), d.position());
        }
    }

    public record Items<T>(List<T> items, String nextCursor) {
    }

    public record DeletedJson(String key, int valuesRemoved) {
    }

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/api/v1/contact-attributes")
    Items<AttributeJson> list() {
        return new Items<>(attributes.definitions().stream().map(AttributeJson::of).toList(), null);
    }

    /** {@code {"label", "type", "key"?, "options"? (list), "required"?}}. */
    @Requires(Permission.MANAGE_WORKSPACE)
    @PostMapping("/api/v1/contact-attributes")
    ResponseEntity<AttributeJson> create(@RequestBody(required = false) JsonNode body) {
        JsonNode request = ContactsApiController.object(body);
        AttributeDefinition created = attributes.create(text(request, "label"), text(request, "key"), text(request, "type"),
                options(request), request.path("required").asBoolean(false));
        return ResponseEntity.status(201).body(AttributeJson.of(created));
    }

    /** Label, options, required and position may change; the key and the type stay. */
    @Requires(Permission.MANAGE_WORKSPACE)
    @PatchMapping("/api/v1/contact-attributes/{key}")
    AttributeJson update(@PathVariable String key, @RequestBody(required = false) JsonNode body) {
        String existing = attributes.get(key).key();
        JsonNode request = ContactsApiController.object(body);
        Boolean required = null;
        if (request.has("required")) {
            if (!request.get("required").isBoolean()) {
                throw UserError.invalid("contacts.fields.required-not-boolean");
            }
            required = request.get("required").booleanValue();
        }
        Integer position = null;
        if (request.has("position")) {
            if (!request.get("position").isInt()) {
                throw UserError.invalid("contacts.fields.position-invalid");
            }
            position = request.get("position").intValue();
        }
        return AttributeJson.of(attributes.update(existing, request.has("label") ? text(request, "label") : null, text(request, "type"),
                options(request), required, position));
    }

    /** Deletes the field and removes its value from every contact. */
    @Requires(Permission.MANAGE_WORKSPACE)
    @DeleteMapping("/api/v1/contact-attributes/{key}")
    DeletedJson delete(@PathVariable String key) {
        String existing = attributes.get(key).key();
        return new DeletedJson(existing, attributes.delete(existing));
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw UserError.invalid("contacts.core.field-not-text", field);
        }
        return value.asString();
    }

    private static List<String> options(JsonNode request) {
        JsonNode value = request.get("options");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw UserError.invalid("contacts.fields.options-not-list");
        }
        List<String> options = new ArrayList<>();
        for (JsonNode option : value) {
            if (!option.isString()) {
                throw UserError.invalid("contacts.fields.options-not-list");
            }
            options.add(option.asString());
        }
        return options;
    }
}
