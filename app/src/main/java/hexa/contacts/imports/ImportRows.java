package hexa.contacts.imports;

import hexa.contacts.PhoneNumbers;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One row of a file read as the contact it describes, or the reason it cannot be one. Values are
 * kept as written (trimmed): a cell holding a formula or markup is stored as that text, never run.
 * A blank cell never erases what a contact already has.
 */
final class ImportRows {

    /** A custom attribute as the workspace defined it (Settings → Contact fields). */
    record Attribute(String key, String label, String type, List<String> options, boolean required) {
    }

    /** Why a row was not imported as written: a message key and its arguments, with the value concerned. */
    record Problem(int row, String kind, String value, String key, List<String> args) {
        static Problem rejected(int row, String value, String key, String... args) {
            return new Problem(row, "rejected", value, key, List.of(args));
        }
    }

    /** A row as the contact it becomes; later rows with the same number are merged into it. */
    static final class Candidate {
        final int row;
        final String phone;
        final String written;
        String name;
        String email;
        String company;
        String userId;
        String consent;
        final Set<String> tags = new LinkedHashSet<>();
        final Map<String, Object> attributes = new LinkedHashMap<>();

        Candidate(int row, String phone, String written) {
            this.row = row;
            this.phone = phone;
            this.written = written;
        }

        /** A later row with the same number: its values win where it has them, its tags add up. */
        void absorb(Candidate later) {
            name = later.name != null ? later.name : name;
            email = later.email != null ? later.email : email;
            company = later.company != null ? later.company : company;
            userId = later.userId != null ? later.userId : userId;
            consent = later.consent != null ? later.consent : consent;
            tags.addAll(later.tags);
            attributes.putAll(later.attributes);
        }
    }

    /** Either the candidate or the problem. */
    record Reading(Candidate candidate, Problem problem) {
    }

    static final int MAX_TEXT = 500;
    static final int MAX_TAG = 64;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\",;]+@[^@\\s<>\",;]+\\.[^@\\s<>\",;.]{2,}");
    private static final Pattern TAG_SEPARATORS = Pattern.compile("[,;|]");
    private static final Set<String> YES = Set.of("yes", "y", "true", "1", "x", "opted in", "opted-in", "opted_in", "optedin", "opt in",
            "opt-in", "subscribed", "consented", "agreed", "✓", "✔");
    private static final Set<String> NO = Set.of("no", "n", "false", "0", "opted out", "opted-out", "opted_out", "optedout", "opt out",
            "opt-out", "unsubscribed", "declined", "refused");
    private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ISO_LOCAL_DATE,
            DateTimeFormatter.ofPattern("d/M/uuuu"), DateTimeFormatter.ofPattern("d.M.uuuu"), DateTimeFormatter.ofPattern("d-M-uuuu"));

    private ImportRows() {
    }

    static Reading read(int row, List<String> cells, ColumnMapping mapping, Map<String, Attribute> attributes, String country) {
        String written = cell(cells, mapping.columnOf("phone"));
        PhoneNumbers.Reading number = PhoneNumbers.read(written, country);
        if (!number.valid()) {
            return problem(row, written, number.problemKey(), written);
        }
        Candidate candidate = new Candidate(row, number.e164(), written);
        for (int column : mapping.columns()) {
            String target = mapping.targetOf(column);
            String value = cell(cells, column);
            if (value.isEmpty() || target.equals("phone")) {
                continue;
            }
            switch (target) {
                case "name", "company", "whatsappUserId" -> {
                    if (value.length() > MAX_TEXT) {
                        return problem(row, value, "contacts.import.row.too-long", ColumnMapping.label(target, attributes),
                                String.valueOf(MAX_TEXT));
                    }
                    if (target.equals("name")) {
                        candidate.name = value;
                    } else if (target.equals("company")) {
                        candidate.company = value;
                    } else {
                        candidate.userId = value;
                    }
                }
                case "email" -> {
                    if (value.length() > 254 || !EMAIL.matcher(value).matches()) {
                        return problem(row, value, "contacts.import.row.bad-email", value);
                    }
                    candidate.email = value;
                }
                case "tags" -> {
                    for (String tag : TAG_SEPARATORS.split(value)) {
                        String t = tag.strip();
                        if (t.length() > MAX_TAG) {
                            return problem(row, value, "contacts.import.row.tag-too-long", t, String.valueOf(MAX_TAG));
                        }
                        if (!t.isEmpty()) {
                            candidate.tags.add(t);
                        }
                    }
                }
                case "consent" -> {
                    String said = value.toLowerCase(Locale.ROOT);
                    if (YES.contains(said)) {
                        candidate.consent = "opted_in";
                    } else if (NO.contains(said)) {
                        candidate.consent = "opted_out";
                    } else {
                        return problem(row, value, "contacts.import.row.bad-consent", value);
                    }
                }
                default -> {
                    Attribute attribute = attributes.get(target.substring(ColumnMapping.ATTRIBUTE.length()));
                    Object parsed = attributeValue(attribute, value);
                    if (parsed == null) {
                        return problem(row, value, "contacts.import.row.bad-attribute-" + attribute.type(), attribute.label(), value,
                                String.join(", ", attribute.options()));
                    }
                    candidate.attributes.put(attribute.key(), parsed);
                }
            }
        }
        return new Reading(candidate, null);
    }

    /**
     * The first required attribute a new contact made of this candidate would lack, or null. (An
     * existing contact keeps its value when the cell is blank, so this is asked of new contacts only.)
     */
    static Attribute missingRequired(Candidate candidate, Map<String, Attribute> attributes) {
        for (Attribute attribute : attributes.values()) {
            if (attribute.required() && !candidate.attributes.containsKey(attribute.key())) {
                return attribute;
            }
        }
        return null;
    }

    /** The value to store for an attribute of its type, or null when the cell is not one. */
    static Object attributeValue(Attribute attribute, String value) {
        switch (attribute.type()) {
            case "number": {
                try {
                    BigDecimal number = new BigDecimal(value.replace(" ", "").replace(",", ""));
                    return number.scale() <= 0 ? (Object) number.toBigIntegerExact() : number;
                } catch (NumberFormatException | ArithmeticException e) {
                    return null;
                }
            }
            case "date": {
                for (DateTimeFormatter format : DATES) {
                    try {
                        return LocalDate.parse(value, format).toString();
                    } catch (DateTimeParseException e) {
                        // try the next way of writing a date
                    }
                }
                return null;
            }
            case "list": {
                for (String option : attribute.options()) {
                    if (option.equalsIgnoreCase(value)) {
                        return option;
                    }
                }
                return null;
            }
            case "checkbox": {
                String said = value.toLowerCase(Locale.ROOT);
                return YES.contains(said) ? Boolean.TRUE : NO.contains(said) ? Boolean.FALSE : null;
            }
            default:
                return value.length() > MAX_TEXT * 4 ? null : value;
        }
    }

    private static Reading problem(int row, String value, String key, String... args) {
        return new Reading(null, Problem.rejected(row, value, key, args));
    }

    static String cell(List<String> cells, int column) {
        if (column < 0 || column >= cells.size()) {
            return "";
        }
        String value = cells.get(column);
        return value == null ? "" : value.strip();
    }

    static List<String> args(List<String> args) {
        return new ArrayList<>(args);
    }
}
