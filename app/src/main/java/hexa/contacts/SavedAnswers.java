package hexa.contacts;

import hexa.platform.web.UserError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What a customer answered a chatbot saved on their contact: a value into a custom attribute, a tag. Automation calls it
 * inside its own transaction, which must not fail for an answer the field cannot hold: such an answer is checked first
 * and left out (the answer says so), so nothing is half-written and the rest of the flow goes on.
 */
@Service
public class SavedAnswers {

    private final ContactService contacts;
    private final ContactAttributes attributes;
    private final ContactTags tags;

    SavedAnswers(ContactService contacts, ContactAttributes attributes, ContactTags tags) {
        this.contacts = contacts;
        this.attributes = attributes;
        this.tags = tags;
    }

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
