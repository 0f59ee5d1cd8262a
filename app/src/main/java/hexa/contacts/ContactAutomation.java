package hexa.contacts;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What automation (rules, flows) changes on a contact: tags and attribute values, with the same checks, timeline
 * lines and events as a member's change.
 */
@Service
public class ContactAutomation {

    private final ContactService contacts;
    private final ContactTags tags;
    private final ContactAttributes attributes;

    ContactAutomation(ContactService contacts, ContactTags tags, ContactAttributes attributes) {
        this.contacts = contacts;
        this.tags = tags;
        this.attributes = attributes;
    }

    /** Adds the tag (nothing when the contact has it); answers whether it was added. */
    @Transactional
    public boolean addTag(UUID contactId, String tag) {
        contacts.get(contactId);
        String value = ContactTags.normalise(tag);
        if (tagsOf(contactId).contains(value)) {
            return false;
        }
        tags.add(contactId, value);
        return true;
    }

    /** Removes the tag; answers whether the contact had it. */
    @Transactional
    public boolean removeTag(UUID contactId, String tag) {
        contacts.get(contactId);
        return tags.remove(contactId, tag);
    }

    /** Sets an attribute's value (checked against its field; blank clears it). */
    @Transactional
    public Contact setAttribute(UUID contactId, String key, String value) {
        return contacts.update(contactId, new ContactChanges().attribute(key, value == null || value.isBlank() ? null : value.strip()));
    }

    /** The contact's tags. */
    public List<String> tagsOf(UUID contactId) {
        return contacts.tagsOf(List.of(contactId)).getOrDefault(contactId, List.of());
    }

    /** Whether the workspace has an attribute with this key. */
    public boolean hasAttribute(String key) {
        return attributes.find(key).isPresent();
    }

    /** The workspace's attribute keys and labels. */
    public Map<String, String> attributeLabels() {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        attributes.definitions().forEach(d -> labels.put(d.key(), d.label()));
        return labels;
    }
}
