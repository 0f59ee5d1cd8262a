package hexa.contacts;

import java.util.List;

/**
 * A custom contact field the workspace defines (Settings → Contact fields). Its key names the values in
 * {@code contacts.attributes} and never changes; the label may. {@code type} is {@code text},
 * {@code number}, {@code date}, {@code list} (one of {@code options}) or {@code checkbox}.
 */
public record AttributeDefinition(String key, String label, String type, List<String> options, boolean required, int position) {

    public static final List<String> TYPES = List.of("text", "number", "date", "list", "checkbox");

    public AttributeDefinition {
        options = options == null ? List.of() : List.copyOf(options);
    }

    public boolean isList() {
        return "list".equals(type);
    }

    public boolean isCheckbox() {
        return "checkbox".equals(type);
    }

    /** A stored value as a form or a page shows it (numbers without exponent). */
    public static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof java.math.BigDecimal) {
            return ((java.math.BigDecimal) value).toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            return new java.math.BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }
}
