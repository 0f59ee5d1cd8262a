package hexa.contacts.imports;

import hexa.platform.web.UserError;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which contact field each column of a file fills: {@code name}, {@code phone}, {@code whatsappUserId},
 * {@code email}, {@code company}, {@code tags}, {@code consent}, a custom attribute
 * ({@code attribute:<key>}), or nothing (the column is ignored). Each target takes one column at most,
 * and a phone column is required: contacts are matched and created by number.
 */
record ColumnMapping(Map<Integer, String> targets) {

    static final String ATTRIBUTE = "attribute:";
    static final List<String> FIELDS = List.of("name", "phone", "whatsappUserId", "email", "company", "tags", "consent");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Headings people give each field, compared after {@link #heading} (lower case, letters and digits only). */
    private static final Map<String, List<String>> SYNONYMS = Map.of(
            "phone", List.of("phone", "phonenumber", "mobile", "mobilenumber", "mobileno", "mobilephone", "cell", "cellphone", "tel",
                    "telephone", "number", "whatsapp", "whatsappnumber", "whatsappno", "wanumber", "contactnumber", "msisdn", "phoneno"),
            "name", List.of("name", "fullname", "contactname", "customername", "customer", "contact", "displayname", "person"),
            "email", List.of("email", "emailaddress", "mail", "emailid"),
            "company", List.of("company", "companyname", "organisation", "organization", "business", "employer", "firm"),
            "tags", List.of("tags", "tag", "labels", "label", "groups", "segments"),
            "consent", List.of("consent", "marketingconsent", "optin", "optedin", "whatsappoptin", "subscribed", "marketing",
                    "marketingoptin", "permission"),
            "whatsappUserId", List.of("whatsappuserid", "userid", "bsuid", "whatsappid"));

    ColumnMapping {
        targets = Collections.unmodifiableMap(new TreeMap<>(targets));
    }

    /** A heading as it is compared and remembered: lower case, letters and digits only ("E-mail " → "email"). */
    static String heading(String written) {
        String plain = Normalizer.normalize(written == null ? "" : written, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder();
        plain.codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
        return out.length() > 100 ? out.substring(0, 100) : out.toString();
    }

    /**
     * The mapping to offer for these headings: what the workspace chose before for the same heading,
     * else a custom attribute of that key or label, else a field whose usual headings match.
     */
    static ColumnMapping guess(List<String> headers, Map<String, String> remembered, Map<String, ImportRows.Attribute> attributes) {
        Map<Integer, String> targets = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        Map<String, String> byAttributeName = new LinkedHashMap<>();
        attributes.values().forEach(a -> {
            byAttributeName.putIfAbsent(heading(a.key()), ATTRIBUTE + a.key());
            byAttributeName.putIfAbsent(heading(a.label()), ATTRIBUTE + a.key());
        });
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < headers.size(); i++) {
                if (targets.containsKey(i)) {
                    continue;
                }
                String h = heading(headers.get(i));
                if (h.isEmpty()) {
                    continue;
                }
                String target = switch (pass) {
                    case 0 -> remembered.get(h);
                    case 1 -> byAttributeName.get(h);
                    default -> SYNONYMS.entrySet().stream().filter(e -> e.getValue().contains(h)).map(Map.Entry::getKey).findFirst().orElse(null);
                };
                if (target != null && !target.isEmpty() && valid(target, attributes) && taken.add(target)) {
                    targets.put(i, target);
                } else if (pass == 0 && "".equals(target)) {
                    targets.put(i, "");
                }
            }
        }
        targets.values().removeIf(String::isEmpty);
        return new ColumnMapping(targets);
    }

    /**
     * A mapping as an integrator or the mapping form gives it: a JSON object whose keys are column
     * positions (from 0) or headings, and whose values are targets ({@code ""} or {@code "ignore"}
     * for none); or a JSON array of targets, one per column in order.
     */
    static ColumnMapping parse(String json, List<String> headers, Map<String, ImportRows.Attribute> attributes) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            throw UserError.invalid("contacts.import.mapping.not-json");
        }
        Map<Integer, String> targets = new LinkedHashMap<>();
        if (node != null && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                put(targets, i, node.get(i), headers, attributes);
            }
        } else if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                put(targets, column(entry.getKey(), headers), entry.getValue(), headers, attributes);
            }
        } else {
            throw UserError.invalid("contacts.import.mapping.not-json");
        }
        return new ColumnMapping(targets).checked(headers);
    }

    /** The form's fields: {@code column0=phone}, {@code column1=name}, ... */
    static ColumnMapping ofForm(Map<String, String> form, List<String> headers, Map<String, ImportRows.Attribute> attributes) {
        Map<Integer, String> targets = new LinkedHashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            String target = form.get("column" + i);
            if (target != null && !target.isBlank() && !"ignore".equals(target)) {
                if (!valid(target, attributes)) {
                    throw UserError.invalid("contacts.import.mapping.unknown-target", target);
                }
                if (targets.containsValue(target)) {
                    throw UserError.invalid("contacts.import.mapping.twice", label(target, attributes));
                }
                targets.put(i, target);
            }
        }
        return new ColumnMapping(targets);
    }

    private static void put(Map<Integer, String> targets, int column, JsonNode value, List<String> headers,
                            Map<String, ImportRows.Attribute> attributes) {
        if (column < 0 || column >= headers.size()) {
            throw UserError.invalid("contacts.import.mapping.no-such-column", String.valueOf(column));
        }
        String target = value == null || value.isNull() ? "" : value.asString();
        if (target.isBlank() || "ignore".equals(target)) {
            return;
        }
        if (!valid(target, attributes)) {
            throw UserError.invalid("contacts.import.mapping.unknown-target", target);
        }
        if (targets.containsValue(target)) {
            throw UserError.invalid("contacts.import.mapping.twice", label(target, attributes));
        }
        targets.put(column, target);
    }

    private static int column(String key, List<String> headers) {
        if (key.matches("[0-9]{1,4}")) {
            return Integer.parseInt(key);
        }
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).strip().equals(key.strip())) {
                return i;
            }
        }
        String wanted = heading(key);
        for (int i = 0; i < headers.size(); i++) {
            if (heading(headers.get(i)).equals(wanted) && !wanted.isEmpty()) {
                return i;
            }
        }
        throw UserError.invalid("contacts.import.mapping.no-such-heading", key);
    }

    private static boolean valid(String target, Map<String, ImportRows.Attribute> attributes) {
        return FIELDS.contains(target) || (target.startsWith(ATTRIBUTE) && attributes.containsKey(target.substring(ATTRIBUTE.length())));
    }

    static String label(String target, Map<String, ImportRows.Attribute> attributes) {
        if (target.startsWith(ATTRIBUTE)) {
            ImportRows.Attribute attribute = attributes.get(target.substring(ATTRIBUTE.length()));
            return attribute == null ? target : attribute.label();
        }
        return hexa.platform.web.Text.t("contacts.import.field." + target);
    }

    /** Refuses a mapping that cannot import anything: without a phone column. */
    ColumnMapping checked(List<String> headers) {
        if (columnOf("phone") < 0) {
            throw UserError.invalid("contacts.import.mapping.no-phone");
        }
        return this;
    }

    int columnOf(String target) {
        for (Map.Entry<Integer, String> entry : targets.entrySet()) {
            if (entry.getValue().equals(target)) {
                return entry.getKey();
            }
        }
        return -1;
    }

    String targetOf(int column) {
        return targets.getOrDefault(column, "");
    }

    /** The attribute keys this mapping fills. */
    Set<String> attributeKeys() {
        Set<String> keys = new HashSet<>();
        targets.values().stream().filter(t -> t.startsWith(ATTRIBUTE)).forEach(t -> keys.add(t.substring(ATTRIBUTE.length())));
        return keys;
    }

    String json() {
        Map<String, String> byColumn = new LinkedHashMap<>();
        targets.forEach((column, target) -> byColumn.put(String.valueOf(column), target));
        return JSON.writeValueAsString(byColumn);
    }

    static ColumnMapping ofStoredJson(String json) {
        Map<Integer, String> targets = new LinkedHashMap<>();
        JsonNode node = JSON.readTree(json == null ? "{}" : json);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            targets.put(Integer.parseInt(entry.getKey()), entry.getValue().asString());
        }
        return new ColumnMapping(targets);
    }

    /** What to remember for the workspace: each heading with its target ("" for a column left out). */
    Map<String, String> byHeading(List<String> headers) {
        Map<String, String> remembered = new LinkedHashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            String h = heading(headers.get(i));
            if (!h.isEmpty()) {
                remembered.putIfAbsent(h, targetOf(i));
            }
        }
        return remembered;
    }

    List<Integer> columns() {
        return new ArrayList<>(targets.keySet());
    }
}
