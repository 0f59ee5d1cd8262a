package hexa.contacts;

import hexa.platform.web.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What automation (rules, flows) changes on a contact: tags and attribute values, with the same checks, timeline
 * lines and events as a member's change; and what a customer answered a chatbot, saved on their contact: a value into
 * a custom attribute, a tag. Automation saves answers inside its own transaction, which must not fail for an answer
 * the field cannot hold: such an answer is checked first and left out (the answer says so), so nothing is half-written
 * and the rest of the flow goes on.
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

    // ---- A customer's answers to a chatbot ----------------------------------------------------------

    /** Sets the contact's attribute {@code key} to the answer; answers false (and changes nothing) when there is no such field or it cannot hold the value. */
    public boolean attribute(UUID contactId, String key, Object answer) {
        return attributes(contactId, Map.of(key, answer)).containsKey(key);
    }

    /**
     * Sets each answer whose name is one of the workspace's contact fields (a WhatsApp Flow form's fields) and that the
     * field can hold; answers those set, with the values stored.
     */
    public Map<String, Object> attributes(UUID contactId, Map<String, Object> answers) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> answer : answers.entrySet()) {
            Optional<AttributeDefinition> definition = answer.getKey() == null ? Optional.empty() : attributes.find(answer.getKey());
            if (definition.isEmpty() || answer.getValue() == null) {
                continue;
            }
            try {
                Object value = attributes.value(definition.get(), answer.getValue());
                if (value != null) {
                    values.put(definition.get().key(), value);
                }
            } catch (UserError cannotHold) {
                // left out: the customer's answer is kept on the run, not forced into the field
            }
        }
        if (values.isEmpty() || contacts.byId(contactId).isEmpty()) {
            return Map.of();
        }
        ContactChanges changes = new ContactChanges();
        values.forEach(changes::attribute);
        contacts.update(contactId, changes);
        return values;
    }

    /** Adds the tag to the contact; answers the tag as stored, or empty when it is no valid tag. */
    public Optional<String> tag(UUID contactId, String tag) {
        String value;
        try {
            value = ContactTags.normalise(tag);
        } catch (UserError invalid) {
            return Optional.empty();
        }
        if (contacts.byId(contactId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(tags.add(contactId, value));
    }
}
