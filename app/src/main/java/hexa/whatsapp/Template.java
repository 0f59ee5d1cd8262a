package hexa.whatsapp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A message template of a WhatsApp Business Account: only APPROVED ones can be sent. */
public record Template(UUID id, String wabaId, String metaId, String name, String language, String category, String status,
                       String rejectedReason, String components, Instant syncedAt, String qualityRating, String rejectionDetail,
                       String previousCategory) {

    /** The badge colour of the review status in Settings → Templates. */
    public String statusBadge() {
        return switch (status == null ? "" : status) {
            case "APPROVED" -> "text-bg-success";
            case "REJECTED", "DISABLED" -> "text-bg-danger";
            case "PAUSED", "FLAGGED" -> "text-bg-warning";
            default -> "text-bg-secondary";
        };
    }

    /** The badge colour of Meta's quality rating. */
    public String qualityBadge() {
        return switch (qualityRating == null ? "" : qualityRating) {
            case "GREEN" -> "text-bg-success";
            case "YELLOW" -> "text-bg-warning";
            case "RED" -> "text-bg-danger";
            default -> "text-bg-light";
        };
    }

    /** Statuses in which Meta delivers the template: approved, or approved and flagged for low quality (it may be paused later). */
    public boolean sendable() {
        return "APPROVED".equals(status) || "FLAGGED".equals(status);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern PARAMETER = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    /**
     * What a template looks like on the customer's phone: a header (text, or a kind of media), the body,
     * the footer and the buttons. Texts are plain text with {{n}} placeholders, or filled in by {@link #filled}.
     */
    public record Layout(String header, String headerMedia, String headerFileName, String body, String footer, List<Button> buttons) {

        /** The customer's phone shows a button's text; what it does (reply, open a link, call, copy a code) is only an icon here. */
        public record Button(String type, String text) {
            public String icon() {
                switch (type) {
                    case "URL":
                        return "bi-box-arrow-up-right";
                    case "PHONE_NUMBER":
                        return "bi-telephone";
                    case "COPY_CODE":
                    case "OTP":
                        return "bi-copy";
                    default:
                        return "bi-reply";
                }
            }
        }
    }

    /** The text of the template's body, with its {{n}} placeholders. */
    public String bodyText() {
        JsonNode body = component("BODY");
        return body == null ? "" : body.path("text").asString("");
    }

    /** How many parameters ({{1}}, {{2}} …) the body takes. */
    public int bodyParameterCount() {
        return bodyParameters().size();
    }

    /** The body's placeholders in order of first appearance: "1", "2" … or names for named parameters. */
    public List<String> bodyParameters() {
        return placeholders(bodyText());
    }

    /** The placeholders of a text header (none for a media header or no header). */
    public List<String> headerParameters() {
        JsonNode header = component("HEADER");
        if (header == null || !isTextHeader(header)) {
            return List.of();
        }
        return placeholders(header.path("text").asString(""));
    }

    /** The header's format: TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION; null when the template has no header. */
    public String headerFormat() {
        JsonNode header = component("HEADER");
        if (header == null) {
            return null;
        }
        return isTextHeader(header) ? "TEXT" : header.path("format").asString("").toUpperCase(Locale.ROOT);
    }

    /** Whether the header shows a file the message must give (an image, a video or a document). */
    public boolean hasMediaHeader() {
        String format = headerFormat();
        return "IMAGE".equals(format) || "VIDEO".equals(format) || "DOCUMENT".equals(format);
    }

    /** The template as synced, placeholders unfilled: what the composer previews before values are typed. */
    public Layout layout() {
        return filled(null);
    }

    /**
     * The template as the customer saw it, filled with the parameters of a sent template message (Meta's
     * {@code template} object: {@code components[].parameters[]}). Missing values leave their placeholder.
     */
    public Layout filled(JsonNode sent) {
        String header = null;
        String headerMedia = null;
        String headerFileName = null;
        JsonNode headerComponent = component("HEADER");
        if (headerComponent != null) {
            if (isTextHeader(headerComponent)) {
                header = fill(headerComponent.path("text").asString(""), sentParameters(sent, "header"));
            } else {
                headerMedia = headerComponent.path("format").asString("").toLowerCase(Locale.ROOT);
                for (JsonNode p : sentParameters(sent, "header")) {
                    headerFileName = p.path("document").path("filename").asString(null);
                }
            }
        }
        String body = fill(bodyText(), sentParameters(sent, "body"));
        JsonNode footerComponent = component("FOOTER");
        String footer = footerComponent == null ? null : footerComponent.path("text").asString(null);
        List<Layout.Button> buttons = new ArrayList<>();
        JsonNode buttonsComponent = component("BUTTONS");
        if (buttonsComponent != null) {
            for (JsonNode button : buttonsComponent.path("buttons")) {
                String text = button.path("text").asString("");
                if (!text.isBlank()) {
                    buttons.add(new Layout.Button(button.path("type").asString("QUICK_REPLY").toUpperCase(Locale.ROOT), text));
                }
            }
        }
        return new Layout(blankToNull(header), headerMedia, headerFileName, body, blankToNull(footer), List.copyOf(buttons));
    }

    private JsonNode component(String type) {
        JsonNode all = components == null ? null : JSON.readTree(components);
        if (all != null) {
            for (JsonNode component : all) {
                if (type.equalsIgnoreCase(component.path("type").asString(""))) {
                    return component;
                }
            }
        }
        return null;
    }

    private static boolean isTextHeader(JsonNode header) {
        String format = header.path("format").asString("TEXT");
        return format.isEmpty() || "TEXT".equalsIgnoreCase(format);
    }

    private static List<String> placeholders(String text) {
        Set<String> seen = new LinkedHashSet<>();
        Matcher parameter = PARAMETER.matcher(text);
        while (parameter.find()) {
            seen.add(parameter.group(1));
        }
        return List.copyOf(seen);
    }

    private static List<JsonNode> sentParameters(JsonNode sent, String type) {
        List<JsonNode> out = new ArrayList<>();
        if (sent == null) {
            return out;
        }
        for (JsonNode component : sent.path("components")) {
            if (type.equalsIgnoreCase(component.path("type").asString(""))) {
                component.path("parameters").forEach(out::add);
            }
        }
        return out;
    }

    /** A parameter's text as the phone shows it: its text, or a currency's or date's fallback value. */
    private static String value(JsonNode parameter) {
        String type = parameter.path("type").asString("text");
        if ("currency".equals(type) || "date_time".equals(type)) {
            return parameter.path(type).path("fallback_value").asString("");
        }
        return parameter.path("text").asString("");
    }

    /** {{1}} takes the first parameter, {{name}} the parameter of that parameter_name (else the next in order). */
    private static String fill(String text, List<JsonNode> parameters) {
        if (parameters.isEmpty()) {
            return text;
        }
        Map<String, String> named = new HashMap<>();
        parameters.forEach(p -> {
            String name = p.path("parameter_name").asString("");
            if (!name.isEmpty()) {
                named.put(name, value(p));
            }
        });
        List<String> keys = placeholders(text);
        Matcher m = PARAMETER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String replacement = m.group();
            if (key.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(key) - 1;
                if (index >= 0 && index < parameters.size()) {
                    replacement = value(parameters.get(index));
                }
            } else if (named.containsKey(key)) {
                replacement = named.get(key);
            } else {
                int index = keys.indexOf(key);
                if (index >= 0 && index < parameters.size()) {
                    replacement = value(parameters.get(index));
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
