package hexa.contacts;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.UserError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/contacts}: one contact at a time (create, read, change, delete), its tags and notes,
 * merging two, and its timeline. Listing and search are the contact list's ({@code GET /api/v1/contacts}).
 */
@RestController
class ContactsApiController {

    /** Fields of {@link ContactJson} that are shown but not set through these endpoints; a client may send them back. */
    private static final Set<String> READ_ONLY = Set.of("id", "profileName", "consent", "blocked", "createdAt", "lastActivityAt");

    private final ContactService contacts;
    private final ContactDeletion deletion;
    private final ContactTags tags;
    private final ContactNotes notes;
    private final ContactMerge merge;
    private final ContactTimeline timeline;

    private final ContactSources sources;
    private final ContactViews views;

    ContactsApiController(ContactService contacts, ContactTags tags, ContactNotes notes, ContactMerge merge, ContactTimeline timeline,
                          ContactDeletion deletion, ContactSources sources, ContactViews views) {
        this.views = views;
        this.sources = sources;
        this.deletion = deletion;
        this.contacts = contacts;
        this.tags = tags;
        this.notes = notes;
        this.merge = merge;
        this.timeline = timeline;
    }

    public record NoteJson(UUID id, UUID contactId, UUID authorId, String authorName, String body, Instant createdAt, Instant updatedAt) {
        static NoteJson of(ContactNote n) {
            return new NoteJson(n.id(), n.contactId(), n.authorId(), n.authorName(), n.body(), n.createdAt(), n.updatedAt());
        }
    }

    public record Items<T>(List<T> items, String nextCursor) {
    }

    public record DeletedJson(UUID id, int conversationsDeleted, int messagesDeleted) {
    }

    public record MergedJson(ContactJson contact, UUID mergedContactId, int conversations, int messages, int notes, int tagsAdded,
                             List<String> attributesTaken, boolean whatsappIdentityMoved) {
    }

    public record TimelineJson(String kind, UUID id, Instant at, String actorName, Map<String, Object> details) {
    }

    /** A 409 names the contact that already has the number: {@code {"code": "conflict", "message", "existingContactId"}}. */
    public record ConflictJson(String code, String message, UUID existingContactId) {
    }

    @ExceptionHandler(DuplicateContactError.class)
    ResponseEntity<ConflictJson> duplicate(DuplicateContactError error) {
        return ResponseEntity.status(409).contentType(MediaType.APPLICATION_JSON)
                .body(new ConflictJson(error.code(), error.text(), error.existingContactId()));
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/api/v1/contacts")
    ResponseEntity<ContactJson> create(@RequestBody(required = false) JsonNode body) {
        Contact created = contacts.create(changes(body));
        return ResponseEntity.status(201).body(json(created));
    }

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/api/v1/contacts/{id}")
    ContactJson get(@PathVariable String id) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        views.viewed(contact);
        return json(contact);
    }

    /** Fields given are changed, null clears one, absent ones stay; {@code attributes} likewise per key; {@code tags} replaces the tags. */
    @Requires(Permission.USE_CONTACTS)
    @PatchMapping("/api/v1/contacts/{id}")
    ContactJson update(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID contact = contacts.get(Ids.parseOrNotFound(id)).id();
        return json(contacts.update(contact, changes(body)));
    }

    /** Deletes the contact with all their conversations and messages; answers how many went. */
    @Requires(Permission.MANAGE_CONTACTS)
    @DeleteMapping("/api/v1/contacts/{id}")
    DeletedJson delete(@PathVariable String id) {
        UUID contact = contacts.get(Ids.parseOrNotFound(id)).id();
        ConversationsOfContacts.Counts deleted = deletion.delete(contact);
        return new DeletedJson(contact, deleted.conversations(), deleted.messages());
    }

    @Requires(Permission.USE_CONTACTS)
    @PutMapping("/api/v1/contacts/{id}/tags/{tag}")
    ContactJson tag(@PathVariable String id, @PathVariable String tag) {
        UUID contact = contacts.get(Ids.parseOrNotFound(id)).id();
        tags.add(contact, tag);
        return json(contacts.get(contact));
    }

    @Requires(Permission.USE_CONTACTS)
    @DeleteMapping("/api/v1/contacts/{id}/tags/{tag}")
    ContactJson untag(@PathVariable String id, @PathVariable String tag) {
        UUID contact = contacts.get(Ids.parseOrNotFound(id)).id();
        tags.remove(contact, tag);
        return json(contacts.get(contact));
    }

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/api/v1/contacts/{id}/notes")
    Items<NoteJson> notes(@PathVariable String id) {
        UUID contact = contacts.get(Ids.parseOrNotFound(id)).id();
        return new Items<>(notes.of(contact).stream().map(NoteJson::of).toList(), null);
    }

    /** {@code {"body": "…"}}; the note's author is the token's (only it may change the note). */
    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/api/v1/contacts/{id}/notes")
    ResponseEntity<NoteJson> addNote(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID contact = contacts.get(Ids.parseOrNotFound(id)).id();
        return ResponseEntity.status(201).body(NoteJson.of(notes.add(contact, object(body).path("body").asString(""))));
    }

    @Requires(Permission.USE_CONTACTS)
    @PatchMapping("/api/v1/contacts/{id}/notes/{noteId}")
    NoteJson editNote(@PathVariable String id, @PathVariable String noteId, @RequestBody(required = false) JsonNode body) {
        UUID contact = contacts.get(Ids.parseOrNotFound(id)).id();
        UUID note = notes.get(contact, Ids.parseOrNotFound(noteId)).id();
        return NoteJson.of(notes.edit(contact, note, object(body).path("body").asString("")));
    }

    @Requires(Permission.USE_CONTACTS)
    @DeleteMapping("/api/v1/contacts/{id}/notes/{noteId}")
    ResponseEntity<Void> deleteNote(@PathVariable String id, @PathVariable String noteId) {
        UUID contact = contacts.get(Ids.parseOrNotFound(id)).id();
        notes.delete(contact, notes.get(contact, Ids.parseOrNotFound(noteId)).id());
        return ResponseEntity.noContent().build();
    }

    /** {@code {"otherContactId": "…"}}: the other contact is merged into this one and deleted. */
    @Requires(Permission.MANAGE_CONTACTS)
    @PostMapping("/api/v1/contacts/{id}/merge")
    MergedJson merge(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID kept = contacts.get(Ids.parseOrNotFound(id)).id();
        JsonNode other = object(body).path("otherContactId");
        UUID otherId;
        try {
            otherId = UUID.fromString(other.asString(""));
        } catch (IllegalArgumentException e) {
            throw UserError.invalid("contacts.core.merge-other-missing");
        }
        ContactMerge.Outcome outcome = merge.merge(kept, contacts.get(otherId).id());
        return new MergedJson(json(outcome.kept()), outcome.mergedContactId(), outcome.conversations(), outcome.messages(), outcome.notes(),
                outcome.tagsAdded(), outcome.attributesTaken(), outcome.whatsappIdentityMoved());
    }

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/api/v1/contacts/{id}/timeline")
    Items<TimelineJson> timeline(@PathVariable String id, @RequestParam(required = false) String cursor,
                                 @RequestParam(required = false) String limit) {
        UUID contact = contacts.get(Ids.parseOrNotFound(id)).id();
        int size = ContactTimeline.PAGE;
        if (limit != null && !limit.isBlank()) {
            try {
                size = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                throw UserError.invalid("contacts.core.limit-invalid");
            }
        }
        ContactTimeline.Page page = timeline.of(contact, cursor, size);
        return new Items<>(page.entries().stream().map(e -> new TimelineJson(e.kind(), e.id(), e.at(), e.actorName(), e.details())).toList(),
                page.nextCursor());
    }

    // ---------------------------------------------------------------------------------------------

    private ContactJson json(Contact contact) {
        return ContactJson.of(contact, contacts.tagsOf(List.of(contact.id())).getOrDefault(contact.id(), List.of()),
                sources.firstOf(List.of(contact.id())).get(contact.id()));
    }

    /** The JSON of a create or a change, as {@link ContactChanges}; a field of the wrong kind or unknown is refused. */
    static ContactChanges changes(JsonNode body) {
        ContactChanges changes = new ContactChanges();
        for (Map.Entry<String, JsonNode> property : object(body).properties()) {
            String name = property.getKey();
            JsonNode value = property.getValue();
            if (ContactChanges.FIELDS.contains(name)) {
                if (value.isNull()) {
                    changes.set(name, null);
                } else if (value.isString() || value.isNumber()) {
                    changes.set(name, value.isString() ? value.asString() : value.toString());
                } else {
                    throw UserError.invalid("contacts.core.field-not-text", name);
                }
            } else if (name.equals("attributes")) {
                if (!value.isObject()) {
                    throw UserError.invalid("contacts.core.attributes-not-object");
                }
                for (Map.Entry<String, JsonNode> attribute : value.properties()) {
                    changes.attribute(attribute.getKey(), scalar(attribute.getKey(), attribute.getValue()));
                }
            } else if (name.equals("tags")) {
                if (!value.isArray()) {
                    throw UserError.invalid("contacts.core.tags-not-list");
                }
                List<String> given = new ArrayList<>();
                for (JsonNode tag : value) {
                    if (!tag.isString()) {
                        throw UserError.invalid("contacts.core.tags-not-list");
                    }
                    given.add(tag.asString());
                }
                changes.tags(given);
            } else if (!READ_ONLY.contains(name)) {
                throw UserError.invalid("contacts.core.field-unknown", name);
            }
        }
        return changes;
    }

    private static Object scalar(String key, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isString()) {
            return value.asString();
        }
        throw UserError.invalid("contacts.core.attribute-not-single", key);
    }

    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw UserError.invalid("error.bad-request");
        }
        return body;
    }
}
