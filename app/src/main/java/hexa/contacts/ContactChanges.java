package hexa.contacts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a person or an integrator asks to set on a contact, as written. For a change (PATCH), a field
 * that is absent is left alone and a field given as null or blank is cleared; for a new contact,
 * absent means empty. Attribute values are keyed by the attribute's key; null clears one. Tags, when
 * given, replace the contact's tags. {@link ContactService} checks and normalises everything.
 */
final class ContactChanges {

    public static final String NAME = "name";
    public static final String PHONE = "phone";
    public static final String WHATSAPP_USER_ID = "whatsappUserId";
    public static final String EMAIL = "email";
    public static final String COMPANY = "company";
    public static final String OWNER = "ownerId";
    public static final List<String> FIELDS = List.of(NAME, PHONE, WHATSAPP_USER_ID, EMAIL, COMPANY, OWNER);

    private final Map<String, String> fields = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private List<String> tags;

    public ContactChanges set(String field, String value) {
        if (!FIELDS.contains(field)) {
            throw new IllegalArgumentException("No contact field " + field);
        }
        fields.put(field, value);
        return this;
    }

    public ContactChanges attribute(String key, Object value) {
        attributes.put(key, value);
        return this;
    }

    public ContactChanges tags(List<String> tags) {
        this.tags = tags == null ? null : List.copyOf(tags);
        return this;
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** The value as written, stripped; null when absent, null or blank. */
    public String get(String field) {
        String value = fields.get(field);
        return value == null || value.isBlank() ? null : value.strip();
    }

    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /** The tags to set, or null to leave them. */
    public List<String> tags() {
        return tags;
    }
}
