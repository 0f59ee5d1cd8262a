package hexa.campaigns;

import hexa.contacts.ContactFilter;
import hexa.platform.web.UserError;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a person or an integrator asks a campaign to be, as written ({@code POST /api/v1/campaigns}, docs/api.md): its
 * name, template and variables, audience, numbers (their phone number ids; none: the workspace's only or first
 * number), when, and an optional A/B test. {@link #read} checks the shape and says clearly what is wrong;
 * {@link CampaignService} checks it against the workspace (the template, the numbers, the segment).
 */
public record CampaignDraft(String name, TemplateRef template, CampaignVariables.Spec variables, Audience audience, List<String> numbers,
                            Schedule schedule, AbTest ab, String upload) {

    static final int MAX_NAME = 200;
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** An approved template by name and language ({@code en_US}). */
    public record TemplateRef(String name, String language) {
    }

    /**
     * Who gets it: one of a saved segment, tags ({@code match} ANY or ALL), a filter (the contact list's), the recipients
     * of an earlier campaign in a state ({@code followUpOf} with {@code rule} NOT_READ or NOT_REPLIED), or an uploaded
     * file ({@code upload}: its name; its contacts were written when it was uploaded); less contacts with {@code excludeTags}.
     */
    public record Audience(UUID segmentId, List<String> tags, String match, ContactFilter filter, UUID followUpOf, String rule,
                           String upload, List<String> excludeTags) {
        public Audience {
            tags = tags == null ? null : List.copyOf(tags);
            excludeTags = excludeTags == null ? List.of() : List.copyOf(excludeTags);
        }

        public static Audience segment(UUID segmentId, List<String> excludeTags) {
            return new Audience(segmentId, null, null, null, null, null, null, excludeTags);
        }

        public static Audience tags(List<String> tags, String match, List<String> excludeTags) {
            return new Audience(null, tags, match == null ? "ANY" : match, null, null, null, null, excludeTags);
        }

        public static Audience filter(ContactFilter filter, List<String> excludeTags) {
            return new Audience(null, null, null, filter, null, null, null, excludeTags);
        }

        public static Audience followUp(UUID campaignId, String rule) {
            return new Audience(null, null, null, null, campaignId, rule, null, List.of());
        }

        /** As stored in {@code campaigns.audience} and shown by the API. */
        public ObjectNode json() {
            ObjectNode node = JSON.createObjectNode();
            if (segmentId != null) {
                node.put("segmentId", segmentId.toString());
            } else if (tags != null) {
                tags.forEach(node.putArray("tags")::add);
                node.put("match", match);
            } else if (filter != null) {
                node.set("filter", JSON.valueToTree(filter));
            } else if (followUpOf != null) {
                node.put("followUpOf", followUpOf.toString());
                node.put("rule", rule);
            } else if (upload != null) {
                node.put("upload", upload);
            }
            if (!excludeTags.isEmpty()) {
                excludeTags.forEach(node.putArray("excludeTags")::add);
            }
            return node;
        }

        static Audience fromJson(JsonNode node) {
            if (node == null || node.isNull() || node.isEmpty()) {
                return null;
            }
            List<String> exclude = strings(node.get("excludeTags"), "excludeTags");
            if (node.hasNonNull("segmentId")) {
                return segment(uuid(node.get("segmentId"), "audience.segmentId"), exclude);
            }
            if (node.has("tags")) {
                List<String> tags = strings(node.get("tags"), "audience.tags");
                if (tags.isEmpty()) {
                    throw UserError.invalid("campaigns.invalid.audience-tags-empty");
                }
                String match = text(node, "match");
                match = match == null ? "ANY" : match.toUpperCase(Locale.ROOT);
                if (!match.equals("ANY") && !match.equals("ALL")) {
                    throw UserError.invalid("campaigns.invalid.audience-match", match);
                }
                return tags(tags, match, exclude);
            }
            if (node.has("filter")) {
                try {
                    return filter(JSON.treeToValue(node.get("filter"), ContactFilter.class), exclude);
                } catch (RuntimeException e) {
                    Throwable cause = e;
                    while (cause != null && !(cause instanceof UserError)) {
                        cause = cause.getCause();
                    }
                    if (cause != null) {
                        throw (UserError) cause;
                    }
                    throw UserError.invalid("campaigns.invalid.audience-filter");
                }
            }
            if (node.hasNonNull("followUpOf")) {
                String rule = text(node, "rule");
                rule = rule == null ? "NOT_READ" : rule.toUpperCase(Locale.ROOT);
                if (!rule.equals("NOT_READ") && !rule.equals("NOT_REPLIED")) {
                    throw UserError.invalid("campaigns.invalid.follow-up-rule", rule);
                }
                return new Audience(null, null, null, null, uuid(node.get("followUpOf"), "audience.followUpOf"), rule, null, exclude);
            }
            if (node.hasNonNull("upload")) {
                return new Audience(null, null, null, null, null, null, node.get("upload").asString(), exclude);
            }
            throw UserError.invalid("campaigns.invalid.audience-kind");
        }
    }

    /**
     * When: at a local date and time in a time zone ({@code at}, {@code timeZone}), or on a date at an hour of each
     * recipient's own day ({@code localHour}, {@code date}); absent: now.
     */
    public record Schedule(LocalDateTime at, String timeZone, Integer localHour, LocalDate date) {

        public static Schedule at(LocalDateTime at, String timeZone) {
            return new Schedule(at, timeZone, null, null);
        }

        public static Schedule localHour(int hour, LocalDate date) {
            return new Schedule(null, null, hour, date);
        }

        static Schedule fromJson(JsonNode node) {
            if (node == null || node.isNull() || (node.isObject() && node.isEmpty())) {
                return null;
            }
            if (!node.isObject()) {
                throw UserError.invalid("campaigns.invalid.schedule");
            }
            if (node.has("localHour")) {
                JsonNode hour = node.get("localHour");
                if (!hour.isIntegralNumber() || hour.asInt() < 0 || hour.asInt() > 23) {
                    throw UserError.invalid("campaigns.invalid.local-hour", hour.toString());
                }
                String date = text(node, "date");
                if (date == null) {
                    throw UserError.invalid("campaigns.invalid.local-date-missing");
                }
                try {
                    return localHour(hour.asInt(), LocalDate.parse(date));
                } catch (DateTimeParseException e) {
                    throw UserError.invalid("campaigns.invalid.date", date);
                }
            }
            String at = text(node, "at");
            if (at == null) {
                throw UserError.invalid("campaigns.invalid.schedule");
            }
            String zone = text(node, "timeZone");
            if (zone == null) {
                throw UserError.invalid("campaigns.invalid.time-zone-missing");
            }
            try {
                ZoneId.of(zone);
            } catch (RuntimeException e) {
                throw UserError.invalid("campaigns.invalid.time-zone", zone);
            }
            try {
                return Schedule.at(LocalDateTime.parse(at), zone);
            } catch (DateTimeParseException e) {
                throw UserError.invalid("campaigns.invalid.at", at);
            }
        }
    }

    /**
     * A/B: variant B's template and variables; {@code samplePercent} of the recipients are the sample, half of them get A and
     * half B; the rest wait until the winner on {@code metric} (READ or REPLIED) is decided, {@code decideAfterMinutes}
     * after the start. Stored in {@code campaigns.ab} with these field names.
     */
    public record AbTest(String templateName, String templateLanguage, String templateCategory, CampaignVariables.Spec variables,
                         int samplePercent, String metric, int decideAfterMinutes) {

        AbTest withCategory(String category) {
            return new AbTest(templateName, templateLanguage, category, variables, samplePercent, metric, decideAfterMinutes);
        }

        static AbTest fromJson(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            TemplateRef template = template(node.get("template"), "ab.template");
            int sample = node.path("samplePercent").asInt(20);
            if (sample < 2 || sample > 100) {
                throw UserError.invalid("campaigns.invalid.ab-sample", node.path("samplePercent").toString());
            }
            String metric = text(node, "metric");
            metric = metric == null ? "READ" : metric.toUpperCase(Locale.ROOT);
            if (!metric.equals("READ") && !metric.equals("REPLIED")) {
                throw UserError.invalid("campaigns.invalid.ab-metric", metric);
            }
            int minutes = node.path("decideAfterMinutes").asInt(60);
            if (minutes < 1 || minutes > 7 * 24 * 60) {
                throw UserError.invalid("campaigns.invalid.ab-minutes", node.path("decideAfterMinutes").toString());
            }
            return new AbTest(template.name(), template.language(), null, CampaignVariables.Spec.fromJson(node.get("variables")), sample,
                    metric, minutes);
        }

        static AbTest fromStored(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            return new AbTest(text(node, "templateName"), text(node, "templateLanguage"), text(node, "templateCategory"),
                    CampaignVariables.Spec.fromJson(node.get("variables")), node.path("samplePercent").asInt(20),
                    node.path("metric").asString("READ"), node.path("decideAfterMinutes").asInt(60));
        }
    }

    /** Reads a request's body; anything malformed is refused with what is wrong. {@code schedule} is read by {@link #schedule}. */
    public static CampaignDraft read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw UserError.invalid("campaigns.invalid.body");
        }
        String name = text(body, "name");
        if (name == null || name.length() > MAX_NAME) {
            throw UserError.invalid("campaigns.invalid.name", MAX_NAME);
        }
        TemplateRef template = template(body.get("template"), "template");
        CampaignVariables.Spec variables = CampaignVariables.Spec.fromJson(body.get("variables"));
        JsonNode audienceNode = body.get("audience");
        if (audienceNode == null || !audienceNode.isObject()) {
            throw UserError.invalid("campaigns.invalid.audience-kind");
        }
        ObjectNode audienceJson = (ObjectNode) audienceNode.deepCopy();
        String upload = null;
        if (audienceJson.has("upload")) {
            // The file itself, inline (CSV text): its contacts are written when the campaign is saved; its name is kept.
            upload = audienceJson.path("upload").asString("");
            if (upload.isBlank()) {
                throw UserError.invalid("campaigns.invalid.upload-empty");
            }
            audienceJson.put("upload", text(body, "uploadName") == null ? "upload.csv" : text(body, "uploadName"));
        }
        if (body.has("excludeTags")) {
            audienceJson.set("excludeTags", body.get("excludeTags"));
        }
        Audience audience = Audience.fromJson(audienceJson);
        List<String> numbers = strings(body.get("numbers"), "numbers");
        return new CampaignDraft(name, template, variables, audience, numbers, Schedule.fromJson(body.get("schedule")),
                AbTest.fromJson(body.get("ab")), upload);
    }

    /** The {@code schedule} of a request to schedule (absent or empty: now). */
    public static Schedule schedule(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return null;
        }
        return Schedule.fromJson(body.has("schedule") ? body.get("schedule") : body);
    }

    private static TemplateRef template(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw UserError.invalid("campaigns.invalid.template", field);
        }
        String name = text(node, "name");
        String language = text(node, "language");
        if (name == null || language == null || name.length() > 512 || language.length() > 20) {
            throw UserError.invalid("campaigns.invalid.template", field);
        }
        return new TemplateRef(name, language);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.isString() ? value.asString().strip() : value.toString();
        return text.isEmpty() ? null : text;
    }

    static List<String> strings(JsonNode node, String field) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            throw UserError.invalid("campaigns.invalid.list", field);
        }
        for (JsonNode value : node) {
            if (!value.isString() || value.asString().isBlank()) {
                throw UserError.invalid("campaigns.invalid.list", field);
            }
            values.add(value.asString().strip());
        }
        return values;
    }

    static UUID uuid(JsonNode node, String field) {
        try {
            return UUID.fromString(node.asString().strip());
        } catch (RuntimeException e) {
            throw UserError.invalid("campaigns.invalid.id", field);
        }
    }
}
