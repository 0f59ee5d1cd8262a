package hexa.campaigns;

import hexa.platform.web.UserError;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The new-campaign form (and a draft's edit form) as typed: every field kept as text so that a refused form comes back
 * exactly as it was sent, with a message at each field that is wrong. {@link #draft} turns it into the {@link CampaignDraft}
 * the service checks; what the service refuses is put at its field by {@link #fieldOf}.
 *
 * <p>Parameter names: {@code name}; {@code audienceKind} (SEGMENT, TAGS, UPLOAD), {@code segmentId}, {@code tags} and
 * {@code excludeTags} (comma separated), {@code match} (ANY, ALL), the file {@code uploadFile} (kept as {@code uploadText} and
 * {@code uploadName}); {@code template} ({@code name|language}); each placeholder's value as
 * {@code A.body.0.source} (FIELD, ATTRIBUTE, TEXT) with {@code .field}, {@code .attribute} or {@code .text} and
 * {@code .fallback} ({@code header} likewise, {@code B.} for the A/B test's second template); {@code numbers} (repeated);
 * {@code scheduleKind} (NOW, AT, LOCAL) with {@code at} and {@code timeZone}, or {@code localDate} and {@code localHour};
 * {@code ab} (on), {@code abTemplate}, {@code abSample}, {@code abMetric}, {@code abMinutes}.
 */
public record CampaignForm(UUID id, String name, String audienceKind, String segmentId, String tags, String match, String excludeTags,
                           String uploadName, String uploadText, String template, Map<String, List<Value>> variables, List<String> numbers,
                           String scheduleKind, String at, String timeZone, String localDate, String localHour, boolean ab, String abTemplate,
                           String abSample, String abMetric, String abMinutes, Map<String, String> errors) {

    public static final List<String> AUDIENCE_KINDS = List.of("SEGMENT", "TAGS", "UPLOAD");
    public static final List<String> SCHEDULE_KINDS = List.of("NOW", "AT", "LOCAL");
    /** The parts of a template whose placeholders get values, per version: A's header and body, B's header and body. */
    public static final List<String> PARTS = List.of("A.header", "A.body", "B.header", "B.body");

    /** One placeholder's value as typed: where it comes from, the field, attribute or text, and the fallback. */
    public record Value(String source, String field, String attribute, String text, String fallback) {
        public static final Value EMPTY = new Value("FIELD", "firstName", "", "", "");

        public String key() {
            return switch (source) {
                case "ATTRIBUTE" -> attribute;
                case "TEXT" -> text;
                default -> field;
            };
        }
    }

    public CampaignForm {
        variables = variables == null ? Map.of() : variables;
        numbers = numbers == null ? List.of() : List.copyOf(numbers);
        errors = errors == null ? Map.of() : errors;
    }

    /** A blank form: to a segment, now, from every number the workspace has, A/B off. */
    public static CampaignForm blank(List<String> numbers, String timeZone) {
        return new CampaignForm(null, "", "SEGMENT", "", "", "ANY", "", "", "", "", Map.of(), numbers, "NOW", "", timeZone, "", "10", false,
                "", "20", "READ", "60", Map.of());
    }

    public boolean editing() {
        return id != null;
    }

    public String error(String field) {
        return errors.get(field);
    }

    public CampaignForm withErrors(Map<String, String> errors) {
        return new CampaignForm(id, name, audienceKind, segmentId, tags, match, excludeTags, uploadName, uploadText, template, variables, numbers,
                scheduleKind, at, timeZone, localDate, localHour, ab, abTemplate, abSample, abMetric, abMinutes, errors);
    }

    public CampaignForm withId(UUID id) {
        return new CampaignForm(id, name, audienceKind, segmentId, tags, match, excludeTags, uploadName, uploadText, template, variables, numbers,
                scheduleKind, at, timeZone, localDate, localHour, ab, abTemplate, abSample, abMetric, abMinutes, errors);
    }

    /** The values typed for a part ({@code A.body}…), at least {@code count} of them (blank ones added). */
    public List<Value> values(String part, int count) {
        List<Value> typed = new ArrayList<>(variables.getOrDefault(part, List.of()));
        while (typed.size() < count) {
            typed.add(Value.EMPTY);
        }
        return typed.subList(0, count);
    }

    /** The form as submitted; the file, when one was chosen, replaces the one carried over from an earlier submission. */
    public static CampaignForm read(Map<String, String[]> params, String fileName, String fileText) {
        Map<String, List<Value>> variables = new LinkedHashMap<>();
        for (String part : PARTS) {
            List<Value> values = new ArrayList<>();
            for (int i = 0; i < CampaignVariables.MAX_PARAMETERS; i++) {
                String prefix = part + "." + i + ".";
                if (!params.containsKey(prefix + "source")) {
                    break;
                }
                String source = one(params, prefix + "source").toUpperCase(Locale.ROOT);
                values.add(new Value(CampaignVariables.SOURCES.contains(source) ? source : "FIELD", one(params, prefix + "field"),
                        one(params, prefix + "attribute"), one(params, prefix + "text"), one(params, prefix + "fallback")));
            }
            variables.put(part, values);
        }
        String[] numbers = params.getOrDefault("numbers", new String[0]);
        boolean newFile = fileText != null && !fileText.isEmpty();
        return new CampaignForm(null, one(params, "name"), upper(one(params, "audienceKind"), "SEGMENT"), one(params, "segmentId"),
                one(params, "tags"), upper(one(params, "match"), "ANY"), one(params, "excludeTags"),
                newFile ? fileName : one(params, "uploadName"), newFile ? fileText : one(params, "uploadText"), one(params, "template"), variables,
                Arrays.stream(numbers).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList(), upper(one(params, "scheduleKind"), "NOW"),
                one(params, "at"), one(params, "timeZone"), one(params, "localDate"), one(params, "localHour"), "on".equals(one(params, "ab"))
                        || "true".equals(one(params, "ab")), one(params, "abTemplate"), one(params, "abSample"), upper(one(params, "abMetric"), "READ"),
                one(params, "abMinutes"), Map.of());
    }

    /** The form of a draft, to edit it. */
    public static CampaignForm of(Campaign c, String workspaceZone) {
        CampaignDraft.Audience a = c.audience();
        String kind = a.upload() != null ? "UPLOAD" : a.tags() != null ? "TAGS" : "SEGMENT";
        Map<String, List<Value>> variables = new LinkedHashMap<>();
        variables.put("A.header", values(c.variables().header()));
        variables.put("A.body", values(c.variables().body()));
        if (c.ab() != null) {
            variables.put("B.header", values(c.ab().variables().header()));
            variables.put("B.body", values(c.ab().variables().body()));
        }
        String scheduleKind = c.localHour() != null ? "LOCAL" : c.sendAt() != null && c.timeZone() != null ? "AT" : "NOW";
        String at = "AT".equals(scheduleKind) ? LocalDateTime.ofInstant(c.sendAt(), ZoneId.of(c.timeZone())).toString() : "";
        return new CampaignForm(c.id(), c.name(), kind, a.segmentId() == null ? "" : a.segmentId().toString(),
                a.tags() == null ? "" : String.join(", ", a.tags()), a.match() == null ? "ANY" : a.match(), String.join(", ", a.excludeTags()),
                a.upload() == null ? "" : a.upload(), "", c.templateName() == null ? "" : c.templateName() + "|" + c.templateLanguage(), variables,
                c.connectionIds().stream().map(UUID::toString).toList(), scheduleKind, at, c.timeZone() == null ? workspaceZone : c.timeZone(),
                c.localDate() == null ? "" : c.localDate().toString(), c.localHour() == null ? "10" : c.localHour().toString(), c.ab() != null,
                c.ab() == null ? "" : c.ab().templateName() + "|" + c.ab().templateLanguage(),
                c.ab() == null ? "20" : Integer.toString(c.ab().samplePercent()), c.ab() == null ? "READ" : c.ab().metric(),
                c.ab() == null ? "60" : Integer.toString(c.ab().decideAfterMinutes()), Map.of());
    }

    private static List<Value> values(List<CampaignVariables.Param> params) {
        return params.stream().map(p -> new Value(p.source(), p.source().equals("FIELD") ? p.key() : "firstName",
                p.source().equals("ATTRIBUTE") ? p.key() : "", p.source().equals("TEXT") ? p.key() : "", p.fallback() == null ? "" : p.fallback())).toList();
    }

    /**
     * The draft this form asks for; what cannot be read is collected by field (all at once, so that every wrong field
     * shows its message) and thrown as {@link Invalid}.
     */
    public CampaignDraft draft() {
        Map<String, String> problems = new LinkedHashMap<>();
        CampaignDraft.TemplateRef templateRef = templateRef(template);
        if (templateRef == null) {
            problems.put("template", hexa.platform.web.Text.t("campaigns.form.invalid.template"));
        }
        CampaignDraft.Audience audience = null;
        String upload = null;
        List<String> exclude = list(excludeTags);
        switch (audienceKind) {
            case "TAGS" -> {
                List<String> chosen = list(tags);
                if (chosen.isEmpty()) {
                    problems.put("tags", hexa.platform.web.Text.t("campaigns.invalid.audience-tags-empty"));
                } else {
                    audience = CampaignDraft.Audience.tags(chosen, "ALL".equals(match) ? "ALL" : "ANY", exclude);
                }
            }
            case "UPLOAD" -> {
                if (uploadText == null || uploadText.isBlank()) {
                    problems.put("upload", hexa.platform.web.Text.t("campaigns.form.invalid.upload"));
                } else {
                    upload = uploadText;
                    audience = new CampaignDraft.Audience(null, null, null, null, null, null,
                            uploadName == null || uploadName.isBlank() ? "upload.csv" : uploadName, exclude);
                }
            }
            default -> {
                try {
                    audience = CampaignDraft.Audience.segment(UUID.fromString(segmentId.strip()), exclude);
                } catch (RuntimeException e) {
                    problems.put("segmentId", hexa.platform.web.Text.t("campaigns.form.invalid.segment"));
                }
            }
        }
        CampaignVariables.Spec variablesA = spec("A", problems);
        CampaignDraft.Schedule schedule = schedule(problems);
        CampaignDraft.AbTest abTest = null;
        if (ab) {
            CampaignDraft.TemplateRef b = templateRef(abTemplate);
            Integer sample = number(abSample, 2, 100);
            Integer minutes = number(abMinutes, 1, 7 * 24 * 60);
            if (b == null) {
                problems.put("abTemplate", hexa.platform.web.Text.t("campaigns.form.invalid.template"));
            }
            if (sample == null) {
                problems.put("abSample", hexa.platform.web.Text.t("campaigns.invalid.ab-sample", abSample));
            }
            if (minutes == null) {
                problems.put("abMinutes", hexa.platform.web.Text.t("campaigns.invalid.ab-minutes", abMinutes));
            }
            CampaignVariables.Spec variablesB = spec("B", problems);
            if (b != null && sample != null && minutes != null) {
                abTest = new CampaignDraft.AbTest(b.name(), b.language(), null, variablesB, sample, "REPLIED".equals(abMetric) ? "REPLIED" : "READ",
                        minutes);
            }
        }
        if (numbers.isEmpty()) {
            problems.put("numbers", hexa.platform.web.Text.t("campaigns.form.invalid.numbers"));
        }
        if (name == null || name.isBlank() || name.strip().length() > CampaignDraft.MAX_NAME) {
            problems.put("name", hexa.platform.web.Text.t("campaigns.invalid.name", CampaignDraft.MAX_NAME));
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return new CampaignDraft(name.strip(), templateRef, variablesA, audience, numbers, schedule, abTest, upload);
    }

    private CampaignVariables.Spec spec(String version, Map<String, String> problems) {
        List<CampaignVariables.Param> header = params(version + ".header", problems);
        List<CampaignVariables.Param> body = params(version + ".body", problems);
        return new CampaignVariables.Spec(header, body, List.of());
    }

    private List<CampaignVariables.Param> params(String part, Map<String, String> problems) {
        List<CampaignVariables.Param> params = new ArrayList<>();
        List<Value> typed = variables.getOrDefault(part, List.of());
        for (int i = 0; i < typed.size(); i++) {
            Value v = typed.get(i);
            String key = v.key() == null ? "" : v.key().strip();
            String field = part + "." + i;
            if (key.isEmpty()) {
                problems.put(field, hexa.platform.web.Text.t("campaigns.form.invalid.value-" + v.source().toLowerCase(Locale.ROOT)));
            } else if (key.length() > CampaignVariables.MAX_TEXT || (v.fallback() != null && v.fallback().length() > CampaignVariables.MAX_TEXT)) {
                problems.put(field, hexa.platform.web.Text.t("campaigns.form.invalid.value-long", CampaignVariables.MAX_TEXT));
            } else if (v.source().equals("FIELD") && !CampaignVariables.FIELDS.contains(key)) {
                problems.put(field, hexa.platform.web.Text.t("campaigns.form.invalid.value-field"));
            }
            String fallback = v.fallback() == null || v.fallback().isBlank() ? null : v.fallback().strip();
            params.add(new CampaignVariables.Param(v.source(), key, fallback));
        }
        return params;
    }

    private CampaignDraft.Schedule schedule(Map<String, String> problems) {
        switch (scheduleKind) {
            case "AT" -> {
                ZoneId zone = null;
                try {
                    zone = ZoneId.of(timeZone.strip());
                } catch (RuntimeException e) {
                    problems.put("timeZone", hexa.platform.web.Text.t("campaigns.invalid.time-zone", timeZone));
                }
                try {
                    LocalDateTime when = LocalDateTime.parse(at.strip());
                    return zone == null ? null : CampaignDraft.Schedule.at(when, zone.getId());
                } catch (DateTimeParseException e) {
                    problems.put("at", hexa.platform.web.Text.t("campaigns.form.invalid.at"));
                    return null;
                }
            }
            case "LOCAL" -> {
                Integer hour = number(localHour, 0, 23);
                if (hour == null) {
                    problems.put("localHour", hexa.platform.web.Text.t("campaigns.invalid.local-hour", localHour));
                }
                try {
                    LocalDate date = LocalDate.parse(localDate.strip());
                    return hour == null ? null : CampaignDraft.Schedule.localHour(hour, date);
                } catch (DateTimeParseException e) {
                    problems.put("localDate", hexa.platform.web.Text.t("campaigns.form.invalid.date"));
                    return null;
                }
            }
            default -> {
                return null;
            }
        }
    }

    /** Where the form shows a message of the service: the field it is about, or the form as a whole. */
    public String fieldOf(UserError e) {
        String key = e.messageKey() == null ? "" : e.messageKey();
        if (key.equals("campaigns.invalid.name")) {
            return "name";
        }
        if (key.startsWith("campaigns.invalid.upload")) {
            return "upload";
        }
        if (key.equals("campaigns.invalid.segment-unknown")) {
            return "segmentId";
        }
        if (key.startsWith("campaigns.invalid.audience") || key.startsWith("contacts.")) {
            return "audience";
        }
        if (key.startsWith("campaigns.invalid.template") || key.endsWith("-variables") || key.startsWith("campaigns.invalid.variable")) {
            String about = e.args().length > 0 && e.args()[0] != null ? String.valueOf(e.args()[0]) : "";
            CampaignDraft.TemplateRef a = templateRef(template);
            CampaignDraft.TemplateRef b = templateRef(abTemplate);
            boolean aboutB = about.startsWith("ab.") || (ab && b != null && about.equals(b.name()) && (a == null || !a.name().equals(b.name())));
            return aboutB ? "abTemplate" : "template";
        }
        if (key.equals("campaigns.invalid.no-number") || key.equals("campaigns.invalid.number-unknown")) {
            return "numbers";
        }
        if (key.equals("campaigns.invalid.past")) {
            return "schedule";
        }
        if (key.startsWith("campaigns.invalid.ab-")) {
            return "abTemplate";
        }
        return "form";
    }

    /** The form's fields that cannot be read, each with its message. */
    public static final class Invalid extends RuntimeException {
        private final Map<String, String> problems;

        Invalid(Map<String, String> problems) {
            super(problems.toString(), null, false, false);
            this.problems = Map.copyOf(problems);
        }

        public Map<String, String> problems() {
            return problems;
        }
    }

    static CampaignDraft.TemplateRef templateRef(String value) {
        if (value == null || !value.contains("|")) {
            return null;
        }
        String[] parts = value.split("\\|", 2);
        return parts[0].isBlank() || parts[1].isBlank() ? null : new CampaignDraft.TemplateRef(parts[0].strip(), parts[1].strip());
    }

    private static List<String> list(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static Integer number(String text, int min, int max) {
        try {
            int n = Integer.parseInt(text == null ? "" : text.strip());
            return n < min || n > max ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String one(Map<String, String[]> params, String name) {
        String[] values = params.get(name);
        return values == null || values.length == 0 || values[0] == null ? "" : values[0];
    }

    private static String upper(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value.strip().toUpperCase(Locale.ROOT);
    }
}
