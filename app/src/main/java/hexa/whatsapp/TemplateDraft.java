package hexa.whatsapp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A message template as a person writes it in Settings → Templates or the API, before Meta has it: what
 * {@link TemplateChecks} checks, what {@link #toMeta()} turns into Meta's {@code message_templates} request, and what
 * {@link #layout()} shows as the phone would.
 *
 * @param headerFormat  NONE, TEXT, IMAGE, VIDEO or DOCUMENT
 * @param headerExample the example of a text header's one variable, or an example file's handle or URL (media)
 * @param examples      an example per variable of the body ("1", "2" … or names); the header numbers its own variable
 */
public record TemplateDraft(String name, String language, String category, String headerFormat, String headerText, String headerExample,
                            String body, Map<String, String> examples, String footer, List<Button> buttons,
                            boolean securityRecommendation, Integer codeExpirationMinutes) {

    public static final List<String> CATEGORIES = List.of("MARKETING", "UTILITY", "AUTHENTICATION");
    public static final List<String> HEADER_FORMATS = List.of("NONE", "TEXT", "IMAGE", "VIDEO", "DOCUMENT");
    public static final List<String> BUTTON_TYPES = List.of("QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP");
    static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A button: QUICK_REPLY (text), URL (text, url with at most one variable at its end, example: the full URL),
     * PHONE_NUMBER (text, phoneNumber), COPY_CODE (example: the code) or OTP (authentication's copy-code button).
     */
    public record Button(String type, String text, String url, String example, String phoneNumber) {
        public Button {
            type = upper(type);
            text = strip(text);
            url = strip(url);
            example = strip(example);
            phoneNumber = strip(phoneNumber);
        }

        boolean blank() {
            return text.isEmpty() && url.isEmpty() && example.isEmpty() && phoneNumber.isEmpty();
        }
    }

    public TemplateDraft {
        name = strip(name);
        language = strip(language);
        category = upper(category);
        headerFormat = upper(headerFormat).isEmpty() ? "NONE" : upper(headerFormat);
        headerText = strip(headerText);
        headerExample = strip(headerExample);
        body = body == null ? "" : body.strip().replace("\r\n", "\n");
        examples = examples == null ? Map.of() : Map.copyOf(examples);
        footer = strip(footer);
        buttons = buttons == null ? List.of() : buttons.stream().filter(b -> !b.type().isEmpty() && (!b.blank() || "COPY_CODE".equals(b.type()) || "OTP".equals(b.type()))).toList();
    }

    public boolean authentication() {
        return "AUTHENTICATION".equals(category);
    }

    /** The variables of the header text, in order of first appearance. */
    public List<String> headerVariables() {
        return "TEXT".equals(headerFormat) ? variables(headerText) : List.of();
    }

    /** The variables of the body, in order of first appearance. */
    public List<String> bodyVariables() {
        return authentication() ? List.of() : variables(body);
    }

    /** The body's variables, each once: the examples the form asks for (a text header's one variable has its own field). */
    public List<String> allVariables() {
        return bodyVariables();
    }

    /** Named ({{first_name}}) rather than positional ({{1}}) variables, in the header or the body. */
    public boolean namedVariables() {
        Set<String> all = new LinkedHashSet<>(headerVariables());
        all.addAll(bodyVariables());
        return all.stream().anyMatch(v -> !v.chars().allMatch(Character::isDigit));
    }

    public String example(String variable) {
        return examples.getOrDefault(variable, "");
    }

    static List<String> variables(String text) {
        Set<String> seen = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text == null ? "" : text);
        while (m.find()) {
            seen.add(m.group(1));
        }
        return List.copyOf(seen);
    }

    /** Meta's {@code message_templates} request: name, language, category, parameter_format, components. */
    public ObjectNode toMeta() {
        ObjectNode template = JSON.createObjectNode();
        template.put("name", name);
        template.put("language", language);
        template.put("category", category);
        if (namedVariables()) {
            template.put("parameter_format", "NAMED");
        }
        template.set("components", components());
        return template;
    }

    /** The components alone: what an edit sends and what the workspace's copy keeps. */
    public ArrayNode components() {
        ArrayNode components = JSON.createArrayNode();
        boolean named = namedVariables();
        if (authentication()) {
            ObjectNode bodyComponent = components.addObject().put("type", "BODY");
            bodyComponent.put("add_security_recommendation", securityRecommendation);
            if (codeExpirationMinutes != null) {
                components.addObject().put("type", "FOOTER").put("code_expiration_minutes", codeExpirationMinutes);
            }
            ArrayNode buttonList = components.addObject().put("type", "BUTTONS").putArray("buttons");
            for (Button button : buttons) {
                buttonList.addObject().put("type", "OTP").put("otp_type", "COPY_CODE").put("text", button.text().isEmpty() ? "Copy code" : button.text());
            }
            return components;
        }
        if ("TEXT".equals(headerFormat)) {
            ObjectNode header = components.addObject().put("type", "HEADER").put("format", "TEXT").put("text", headerText);
            List<String> variables = headerVariables();
            if (!variables.isEmpty()) {
                ObjectNode example = header.putObject("example");
                if (named) {
                    variables.forEach(v -> example.withArray("header_text_named_params").addObject().put("param_name", v).put("example", headerExample));
                } else {
                    variables.forEach(v -> example.withArray("header_text").add(headerExample));
                }
            }
        } else if (!"NONE".equals(headerFormat)) {
            ObjectNode header = components.addObject().put("type", "HEADER").put("format", headerFormat);
            header.putObject("example").putArray("header_handle").add(headerExample);
        }
        ObjectNode bodyComponent = components.addObject().put("type", "BODY").put("text", body);
        List<String> variables = bodyVariables();
        if (!variables.isEmpty()) {
            ObjectNode example = bodyComponent.putObject("example");
            if (named) {
                variables.forEach(v -> example.withArray("body_text_named_params").addObject().put("param_name", v).put("example", example(v)));
            } else {
                ArrayNode row = example.putArray("body_text").addArray();
                variables.forEach(v -> row.add(example(v)));
            }
        }
        if (!footer.isEmpty()) {
            components.addObject().put("type", "FOOTER").put("text", footer);
        }
        if (!buttons.isEmpty()) {
            ArrayNode buttonList = components.addObject().put("type", "BUTTONS").putArray("buttons");
            for (Button button : buttons) {
                ObjectNode b = buttonList.addObject().put("type", button.type());
                switch (button.type()) {
                    case "URL" -> {
                        b.put("text", button.text()).put("url", button.url());
                        if (!variables(button.url()).isEmpty()) {
                            b.putArray("example").add(button.example());
                        }
                    }
                    case "PHONE_NUMBER" -> b.put("text", button.text()).put("phone_number", button.phoneNumber());
                    case "COPY_CODE" -> b.put("example", button.example());
                    default -> b.put("text", button.text());
                }
            }
        }
        return components;
    }

    /** The draft of a template the workspace has (to edit it): read back from Meta's components. */
    public static TemplateDraft of(Template template) {
        JsonNode components = JSON.readTree(template.components() == null ? "[]" : template.components());
        String headerFormat = "NONE";
        String headerText = "";
        String headerExample = "";
        String body = "";
        String footer = "";
        boolean security = false;
        Integer expiration = null;
        Map<String, String> examples = new LinkedHashMap<>();
        List<Button> buttons = new ArrayList<>();
        for (JsonNode c : components) {
            switch (c.path("type").asString("").toUpperCase(Locale.ROOT)) {
                case "HEADER" -> {
                    headerFormat = c.path("format").asString("TEXT").toUpperCase(Locale.ROOT);
                    headerText = c.path("text").asString("");
                    JsonNode example = c.path("example");
                    if ("TEXT".equals(headerFormat)) {
                        headerExample = example.path("header_text").path(0).asString(example.path("header_text_named_params").path(0).path("example").asString(""));
                    } else {
                        headerExample = example.path("header_handle").path(0).asString("");
                    }
                }
                case "BODY" -> {
                    body = c.path("text").asString("");
                    security = c.path("add_security_recommendation").asBoolean(false);
                    List<String> vars = variables(body);
                    JsonNode row = c.path("example").path("body_text").path(0);
                    for (int i = 0; i < vars.size(); i++) {
                        examples.put(vars.get(i), row.path(i).asString(""));
                    }
                    c.path("example").path("body_text_named_params").forEach(p -> examples.put(p.path("param_name").asString(""), p.path("example").asString("")));
                }
                case "FOOTER" -> {
                    footer = c.path("text").asString("");
                    if (c.has("code_expiration_minutes")) {
                        expiration = c.path("code_expiration_minutes").asInt();
                    }
                }
                case "BUTTONS" -> c.path("buttons").forEach(b -> buttons.add(new Button(b.path("type").asString(""), b.path("text").asString(""),
                        b.path("url").asString(""), b.has("example") ? (b.path("example").isArray() ? b.path("example").path(0).asString("") : b.path("example").asString("")) : "",
                        b.path("phone_number").asString(""))));
                default -> {
                }
            }
        }
        return new TemplateDraft(template.name(), template.language(), template.category(), headerFormat, headerText, headerExample, body,
                examples, footer, buttons, security, expiration);
    }

    /** The draft as a phone shows it, variables filled with their examples (a variable without one stays as typed). */
    public Template.Layout layout() {
        if (authentication()) {
            String text = "123456 is your verification code." + (securityRecommendation ? " For your security, do not share this code." : "");
            String expires = codeExpirationMinutes == null ? null : "This code expires in " + codeExpirationMinutes + " minutes.";
            List<Template.Layout.Button> shown = buttons.stream()
                    .map(b -> new Template.Layout.Button("OTP", b.text().isEmpty() ? "Copy code" : b.text())).toList();
            return new Template.Layout(null, null, null, text, expires, shown);
        }
        String header = "TEXT".equals(headerFormat) && !headerText.isEmpty() ? fillHeader() : null;
        String media = "NONE".equals(headerFormat) || "TEXT".equals(headerFormat) ? null : headerFormat.toLowerCase(Locale.ROOT);
        List<Template.Layout.Button> shown = new ArrayList<>();
        for (Button button : buttons) {
            String text = "COPY_CODE".equals(button.type()) ? "Copy offer code" : button.text();
            if (!text.isEmpty()) {
                shown.add(new Template.Layout.Button(button.type(), text));
            }
        }
        return new Template.Layout(header, media, null, fill(body), footer.isEmpty() ? null : footer, List.copyOf(shown));
    }

    private String fillHeader() {
        return headerExample.isEmpty() ? headerText : VARIABLE.matcher(headerText).replaceAll(Matcher.quoteReplacement(headerExample));
    }

    private String fill(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String example = example(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(example.isEmpty() ? m.group() : example));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }

    private static String upper(String s) {
        return strip(s).toUpperCase(Locale.ROOT);
    }
}
