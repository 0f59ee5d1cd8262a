package hexa.contacts;

import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.identity.WorkspaceService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The contact page ({@code /contacts/{id}}: details and their edit form, tags, custom fields, notes,
 * owner, consent, timeline, delete and merge) and the new-contact form. The list at {@code /contacts}
 * is another page's.
 */
@Controller
class ContactPageController {

    private final ContactService contacts;
    private final ContactDeletion deletion;
    private final ContactAttributes attributes;
    private final ContactTags tags;
    private final ContactNotes notes;
    private final ContactMerge merge;
    private final ContactTimeline timeline;
    private final MemberService members;
    private final WorkspaceService workspaces;
    private final ConsentService consent;
    private final ContactSources sources;
    private final ContactViews views;

    ContactPageController(ContactService contacts, ContactAttributes attributes, ContactTags tags, ContactNotes notes, ContactMerge merge,
                          ContactTimeline timeline, MemberService members, WorkspaceService workspaces, ConsentService consent,
                          ContactDeletion deletion, ContactSources sources, ContactViews views) {
        this.views = views;
        this.sources = sources;
        this.deletion = deletion;
        this.consent = consent;
        this.contacts = contacts;
        this.attributes = attributes;
        this.tags = tags;
        this.notes = notes;
        this.merge = merge;
        this.timeline = timeline;
        this.members = members;
        this.workspaces = workspaces;
    }

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/contacts/new")
    String newContact(Model model) {
        return form(model, Map.of(), null, null);
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/new")
    String create(@RequestParam Map<String, String> form, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        try {
            ContactChanges changes = changes(form, null, attributes.definitions());
            String written = form.getOrDefault("tags", "");
            changes.tags(Arrays.stream(written.split(",")).filter(t -> !t.isBlank()).toList());
            Contact created = contacts.create(changes);
            Notices.success(redirect, "contacts.core.created", created.displayName());
            return "redirect:/contacts/" + created.id();
        } catch (DuplicateContactError e) {
            response.setStatus(409);
            return form(model, form, e.text(), e.existingContactId());
        } catch (UserError e) {
            if (e.status().value() != 400) {
                throw e;
            }
            response.setStatus(400);
            return form(model, form, e.text(), null);
        }
    }

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/contacts/{id}")
    String page(@PathVariable String id, @RequestParam(required = false) String merge, @RequestParam(required = false) String cursor,
                Model model) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        views.viewed(contact);
        Actor actor = TenantContext.actor();
        List<ContactNote> written = notes.of(contact.id());
        List<Member> people = members.members();
        model.addAttribute("contact", contact);
        model.addAttribute("tags", contacts.tagsOf(List.of(contact.id())).getOrDefault(contact.id(), List.of()));
        model.addAttribute("definitions", attributes.definitions());
        model.addAttribute("owners", people.stream().filter(Member::active).toList());
        model.addAttribute("notes", written);
        model.addAttribute("mine", written.stream().filter(n -> n.writtenBy(actor)).map(ContactNote::id).collect(Collectors.toSet()));
        Map<String, String> names = people.stream().collect(Collectors.toMap(m -> m.userId().toString(), Member::name));
        ContactTimeline.Page history = timeline.of(contact.id(), cursor, ContactTimeline.PAGE);
        model.addAttribute("timeline", history);
        model.addAttribute("lines", history.entries().stream().map(e -> TimelineLine.of(e, names)).toList());
        model.addAttribute("canManage", actor.can(Permission.MANAGE_CONTACTS));
        // The person's data (export, erasure) and legal holds are the privacy module's pages, under the contact's address.
        model.addAttribute("canHandlePersonalData", actor.can(Permission.HANDLE_PERSONAL_DATA));
        model.addAttribute("canManagePrivacy", actor.can(Permission.MANAGE_PRIVACY));
        model.addAttribute("consentPanel", new ConsentPanel(contact, consent.history(contact.id()), "/contacts/" + contact.id(),
                workspaces.current().timeZone()));
        model.addAttribute("sourcePanel", new ContactSources.Panel(sources.of(contact.id()).orElse(null), workspaces.current().timeZone()));
        model.addAttribute("mergeQuery", merge);
        model.addAttribute("candidates", merge == null || !actor.can(Permission.MANAGE_CONTACTS) ? List.of() : contacts.search(merge, contact.id(), 10));
        model.addAttribute("country", workspaces.current().defaultCountry());
        return "contacts/contact";
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/{id}")
    String update(@PathVariable String id, @RequestParam Map<String, String> form, RedirectAttributes redirect) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        return attempt(contact, redirect, () -> contacts.update(contact.id(), changes(form, contact, attributes.definitions())), "contacts.core.saved");
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/{id}/tags")
    String tag(@PathVariable String id, @RequestParam(defaultValue = "") String tag, RedirectAttributes redirect) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        return attempt(contact, redirect, () -> tags.add(contact.id(), tag), null);
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/{id}/tags/remove")
    String untag(@PathVariable String id, @RequestParam(defaultValue = "") String tag, RedirectAttributes redirect) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        return attempt(contact, redirect, () -> tags.remove(contact.id(), tag), null);
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/{id}/notes")
    String addNote(@PathVariable String id, @RequestParam(defaultValue = "") String body, RedirectAttributes redirect) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        return attempt(contact, redirect, () -> notes.add(contact.id(), body), "contacts.core.note-added");
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/{id}/notes/{noteId}")
    String editNote(@PathVariable String id, @PathVariable String noteId, @RequestParam(defaultValue = "") String body,
                    RedirectAttributes redirect) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        UUID note = notes.get(contact.id(), Ids.parseOrNotFound(noteId)).id();
        return attempt(contact, redirect, () -> notes.edit(contact.id(), note, body), "contacts.core.note-saved");
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/{id}/notes/{noteId}/delete")
    String deleteNote(@PathVariable String id, @PathVariable String noteId, RedirectAttributes redirect) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        UUID note = notes.get(contact.id(), Ids.parseOrNotFound(noteId)).id();
        return attempt(contact, redirect, () -> notes.delete(contact.id(), note), "contacts.core.note-deleted");
    }

    /** The confirmation, saying what goes with the contact. */
    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/contacts/{id}/delete")
    String confirmDelete(@PathVariable String id, Model model) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        model.addAttribute("contact", contact);
        model.addAttribute("counts", deletion.deletionOf(contact.id()));
        return "contacts/delete";
    }

    @Requires(Permission.MANAGE_CONTACTS)
    @PostMapping("/contacts/{id}/delete")
    String delete(@PathVariable String id, RedirectAttributes redirect) {
        Contact contact = contacts.get(Ids.parseOrNotFound(id));
        ConversationsOfContacts.Counts deleted = deletion.delete(contact.id());
        Notices.success(redirect, "contacts.core.deleted", contact.displayName(), deleted.conversations(), deleted.messages());
        return "redirect:/contacts";
    }

    /** The confirmation of merging {@code other} into this contact, saying what moves and what is lost. */
    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/contacts/{id}/merge")
    String confirmMerge(@PathVariable String id, @RequestParam(required = false) String other, Model model) {
        Contact kept = contacts.get(Ids.parseOrNotFound(id));
        Contact merged = contacts.get(Ids.parseOrNotFound(other));
        if (kept.id().equals(merged.id())) {
            throw UserError.invalid("contacts.core.merge-same");
        }
        model.addAttribute("kept", kept);
        model.addAttribute("other", merged);
        model.addAttribute("counts", deletion.deletionOf(merged.id()));
        model.addAttribute("notes", notes.of(merged.id()).size());
        return "contacts/merge";
    }

    @Requires(Permission.MANAGE_CONTACTS)
    @PostMapping("/contacts/{id}/merge")
    String merge(@PathVariable String id, @RequestParam(required = false) String otherContactId, RedirectAttributes redirect) {
        Contact kept = contacts.get(Ids.parseOrNotFound(id));
        Contact other = contacts.get(Ids.parseOrNotFound(otherContactId));
        return attempt(kept, redirect, () -> {
            ContactMerge.Outcome outcome = merge.merge(kept.id(), other.id());
            Notices.success(redirect, "contacts.core.merged", other.displayName(), outcome.conversations(), outcome.notes());
        }, null);
    }

    // ---------------------------------------------------------------------------------------------

    private String form(Model model, Map<String, String> values, String error, UUID existing) {
        model.addAttribute("values", values);
        model.addAttribute("definitions", attributes.definitions());
        model.addAttribute("owners", members.members().stream().filter(Member::active).toList());
        model.addAttribute("error", error);
        model.addAttribute("existing", existing);
        model.addAttribute("country", workspaces.current().defaultCountry());
        return "contacts/new";
    }

    /** Does it and comes back to the contact page, saying what happened or what was wrong. */
    private String attempt(Contact contact, RedirectAttributes redirect, Runnable change, String doneKey) {
        try {
            change.run();
            if (doneKey != null) {
                Notices.success(redirect, doneKey);
            }
        } catch (UserError e) {
            if (e.status().value() == 404) {
                throw e;
            }
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/contacts/" + contact.id();
    }

    /**
     * A form's fields as changes. Every field of the form is sent, so a custom field left empty is a
     * change only when the contact had a value (emptying it); an unticked checkbox likewise.
     */
    static ContactChanges changes(Map<String, String> form, Contact before, List<AttributeDefinition> definitions) {
        ContactChanges changes = new ContactChanges();
        for (String field : ContactChanges.FIELDS) {
            if (form.containsKey(field)) {
                changes.set(field, form.get(field));
            }
        }
        for (AttributeDefinition definition : definitions) {
            String name = "attr." + definition.key();
            boolean had = before != null && before.attributes().containsKey(definition.key());
            String value = form.get(name);
            if (definition.isCheckbox()) {
                if (value != null) {
                    changes.attribute(definition.key(), "true");
                } else if (had || definition.required()) {
                    changes.attribute(definition.key(), "false");
                }
            } else if (value != null && !value.isBlank()) {
                changes.attribute(definition.key(), value);
            } else if (had) {
                changes.attribute(definition.key(), null);
            }
        }
        return changes;
    }
}
