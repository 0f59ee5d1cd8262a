package hexa.contacts;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.math.BigDecimal;
import java.sql.Array;
import java.text.Normalizer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The workspace's custom contact fields (Settings → Contact fields) and the check of a value against
 * its field: a number must be a number, a date an ISO date, a list value one of the options, a
 * checkbox yes or no. Renaming a field keeps its values (they are stored by key); deleting it removes
 * them from every contact.
 */
@Service
class ContactAttributes {

    static final int MAX_LABEL = 80;
    static final int MAX_OPTIONS = 100;
    static final int MAX_OPTION = 100;
    static final int MAX_TEXT = 1000;
    static final int MAX_FIELDS = 200;
    private static final String KEY = "[a-z][a-z0-9_]{0,39}";

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final Clock clock;

    ContactAttributes(JdbcClient jdbc, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    public List<AttributeDefinition> definitions() {
        return jdbc.sql("select * from contact_attributes where tenant_id = :tenant order by position, label, key")
                .param("tenant", TenantContext.tenantId()).query(ContactAttributes::definition).list();
    }

    /** The definitions by key, in their order. */
    public Map<String, AttributeDefinition> byKey() {
        Map<String, AttributeDefinition> byKey = new LinkedHashMap<>();
        definitions().forEach(d -> byKey.put(d.key(), d));
        return byKey;
    }

    public Optional<AttributeDefinition> find(String key) {
        if (key == null || !key.matches(KEY)) {
            return Optional.empty();
        }
        return jdbc.sql("select * from contact_attributes where tenant_id = :tenant and key = :key")
                .param("tenant", TenantContext.tenantId()).param("key", key).query(ContactAttributes::definition).optional();
    }

    /** The definition of this key, or "not found". */
    public AttributeDefinition get(String key) {
        return find(key).orElseThrow(NotFoundException::new);
    }

    /** A new field; without a key, one is made from the label. */
    @Transactional
    public AttributeDefinition create(String label, String key, String type, List<String> options, boolean required) {
        UUID tenant = TenantContext.tenantId();
        String name = label(label);
        String kind = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
        if (!AttributeDefinition.TYPES.contains(kind)) {
            throw UserError.invalid("contacts.fields.type-invalid", String.join(", ", AttributeDefinition.TYPES));
        }
        List<String> choices = "list".equals(kind) ? options(options) : List.of();
        int count = jdbc.sql("select count(*) from contact_attributes where tenant_id = :tenant").param("tenant", tenant).query(Integer.class).single();
        if (count >= MAX_FIELDS) {
            throw UserError.invalid("contacts.fields.too-many", MAX_FIELDS);
        }
        String chosen;
        if (key == null || key.isBlank()) {
            chosen = freeKey(slug(name));
        } else {
            chosen = key.strip();
            if (!chosen.matches(KEY)) {
                throw UserError.invalid("contacts.fields.key-invalid", chosen);
            }
            if (find(chosen).isPresent()) {
                throw UserError.conflict("contacts.fields.key-taken", chosen);
            }
        }
        jdbc.sql("""
                insert into contact_attributes (tenant_id, key, label, type, options, required, position, created_at)
                values (:tenant, :key, :label, :type, :options, :required,
                        (select coalesce(max(position), 0) + 1 from contact_attributes where tenant_id = :tenant), :now)
                """)
                .param("tenant", tenant).param("key", chosen).param("label", name).param("type", kind)
                .param("options", choices.toArray(new String[0])).param("required", required).param("now", Sql.ts(clock.instant()))
                .update();
        AttributeDefinition created = get(chosen);
        audit.record(AuditEntry.of("contact_field.created").target("contact_field", chosen, name)
                .details(Map.of("type", kind, "required", required)));
        return created;
    }

    /**
     * Changes what is given (null: leave it): the label (values stay, they are stored by key), the list's
     * options (an option some contact has cannot be taken away), whether it is required, its position.
     * The type cannot change: the values were checked against it.
     */
    @Transactional
    public AttributeDefinition update(String key, String label, String type, List<String> options, Boolean required, Integer position) {
        AttributeDefinition before = get(key);
        if (type != null && !type.strip().equalsIgnoreCase(before.type())) {
            throw UserError.invalid("contacts.fields.type-fixed", before.label());
        }
        String name = label == null ? before.label() : label(label);
        List<String> choices = before.options();
        if (options != null && before.isList()) {
            choices = options(options);
            List<String> removed = new ArrayList<>(before.options());
            removed.removeAll(choices);
            if (!removed.isEmpty()) {
                int using = jdbc.sql("select count(*) from contacts where tenant_id = :tenant and attributes ->> :key = any(:removed)")
                        .param("tenant", TenantContext.tenantId()).param("key", key).param("removed", removed.toArray(new String[0]))
                        .query(Integer.class).single();
                if (using > 0) {
                    throw UserError.invalid("contacts.fields.option-in-use", String.join(", ", removed), using);
                }
            }
        }
        boolean mandatory = required == null ? before.required() : required;
        int order = position == null ? before.position() : position;
        jdbc.sql("""
                update contact_attributes set label = :label, options = :options, required = :required, position = :position
                 where tenant_id = :tenant and key = :key
                """)
                .param("label", name).param("options", choices.toArray(new String[0])).param("required", mandatory).param("position", order)
                .param("tenant", TenantContext.tenantId()).param("key", key).update();
        AttributeDefinition after = get(key);
        if (!after.equals(before)) {
            Map<String, Object> changes = new LinkedHashMap<>();
            if (!before.label().equals(after.label())) {
                changes.put("label", Map.of("from", before.label(), "to", after.label()));
            }
            if (!before.options().equals(after.options())) {
                changes.put("options", Map.of("from", before.options(), "to", after.options()));
            }
            if (before.required() != after.required()) {
                changes.put("required", after.required());
            }
            audit.record(AuditEntry.of("contact_field.changed").target("contact_field", key, after.label()).details(changes));
        }
        return after;
    }

    /** How many contacts have a value for this field. */
    public int valuesCount(String key) {
        return jdbc.sql("select count(*) from contacts where tenant_id = :tenant and jsonb_exists(attributes, :key)")
                .param("tenant", TenantContext.tenantId()).param("key", key).query(Integer.class).single();
    }

    /** Deletes the field and its value on every contact; answers how many contacts had one. */
    @Transactional
    public int delete(String key) {
        AttributeDefinition definition = get(key);
        UUID tenant = TenantContext.tenantId();
        int removed = jdbc.sql("update contacts set attributes = attributes - :key, updated_at = :now where tenant_id = :tenant and jsonb_exists(attributes, :key)")
                .param("tenant", tenant).param("key", key).param("now", Sql.ts(clock.instant())).update();
        jdbc.sql("delete from contact_attributes where tenant_id = :tenant and key = :key").param("tenant", tenant).param("key", key).update();
        audit.record(AuditEntry.of("contact_field.deleted").target("contact_field", key, definition.label())
                .details(Map.of("type", definition.type(), "valuesRemoved", removed)));
        return removed;
    }

    /**
     * The value to store for this field, from what was written or sent: a string for text, list and date
     * ({@code yyyy-MM-dd}), a number, or true/false; null when the value is empty (the field is cleared).
     * A value the field cannot hold is refused, saying why.
     */
    public Object value(AttributeDefinition definition, Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof java.util.Collection<?> || raw instanceof Map<?, ?>) {
            throw UserError.invalid("contacts.fields.value-not-single", definition.label());
        }
        String text = raw.toString().strip();
        switch (definition.type()) {
            case "checkbox":
                if (raw instanceof Boolean) {
                    return raw;
                }
                switch (text.toLowerCase(Locale.ROOT)) {
                    case "":
                        return null;
                    case "true": case "yes": case "on": case "1":
                        return Boolean.TRUE;
                    case "false": case "no": case "off": case "0":
                        return Boolean.FALSE;
                    default:
                        throw UserError.invalid("contacts.fields.value-not-checkbox", definition.label(), text);
                }
            case "number":
                if (text.isEmpty()) {
                    return null;
                }
                if (raw instanceof Boolean) {
                    throw UserError.invalid("contacts.fields.value-not-number", definition.label(), text);
                }
                try {
                    BigDecimal number = new BigDecimal(text).stripTrailingZeros();
                    if (number.scale() <= 0 && number.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
                        return number.longValueExact();
                    }
                    if (number.precision() > 30) {
                        throw UserError.invalid("contacts.fields.value-not-number", definition.label(), text);
                    }
                    return number;
                } catch (NumberFormatException | ArithmeticException e) {
                    throw UserError.invalid("contacts.fields.value-not-number", definition.label(), text);
                }
            case "date":
                if (text.isEmpty()) {
                    return null;
                }
                try {
                    return LocalDate.parse(text).toString();
                } catch (DateTimeParseException e) {
                    throw UserError.invalid("contacts.fields.value-not-date", definition.label(), text);
                }
            case "list":
                if (text.isEmpty()) {
                    return null;
                }
                return definition.options().stream().filter(o -> o.equalsIgnoreCase(text)).findFirst()
                        .orElseThrow(() -> UserError.invalid("contacts.fields.value-not-option", definition.label(), text,
                                String.join(", ", definition.options())));
            default:
                if (text.isEmpty()) {
                    return null;
                }
                if (text.length() > MAX_TEXT) {
                    throw UserError.invalid("contacts.fields.value-too-long", definition.label(), MAX_TEXT);
                }
                return text;
        }
    }

    /** A key made from a label: "Date of birth" → {@code date_of_birth}. */
    static String slug(String label) {
        String plain = Normalizer.normalize(label, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        String slug = plain.replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (slug.isEmpty() || !Character.isLetter(slug.charAt(0))) {
            slug = "field_" + slug;
        }
        slug = slug.length() > 36 ? slug.substring(0, 36) : slug;
        return slug.replaceAll("_+$", "");
    }

    private String freeKey(String base) {
        String candidate = base;
        for (int n = 2; find(candidate).isPresent(); n++) {
            candidate = base + "_" + n;
        }
        return candidate;
    }

    private static String label(String label) {
        String name = label == null ? "" : label.strip();
        if (name.isEmpty() || name.length() > MAX_LABEL) {
            throw UserError.invalid("contacts.fields.label-invalid", MAX_LABEL);
        }
        return name;
    }

    private static List<String> options(List<String> options) {
        Set<String> distinct = new LinkedHashSet<>();
        if (options != null) {
            for (String option : options) {
                String value = option == null ? "" : option.strip();
                if (value.isEmpty()) {
                    continue;
                }
                if (value.length() > MAX_OPTION) {
                    throw UserError.invalid("contacts.fields.option-too-long", MAX_OPTION);
                }
                if (distinct.stream().noneMatch(value::equalsIgnoreCase)) {
                    distinct.add(value);
                }
            }
        }
        if (distinct.isEmpty()) {
            throw UserError.invalid("contacts.fields.options-needed");
        }
        if (distinct.size() > MAX_OPTIONS) {
            throw UserError.invalid("contacts.fields.too-many-options", MAX_OPTIONS);
        }
        return List.copyOf(distinct);
    }

    private static AttributeDefinition definition(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Array options = rs.getArray("options");
        return new AttributeDefinition(rs.getString("key"), rs.getString("label"), rs.getString("type"),
                options == null ? List.of() : Arrays.asList((String[]) options.getArray()), rs.getBoolean("required"), rs.getInt("position"));
    }
}
