package hexa.sandbox.templates;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import hexa.sandbox.SandboxJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A message template of a WABA, with the review status Meta gives it. */
public class Template {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*\\}\\}");

    private final String id;
    private final String wabaId;
    private final String name;
    private final String language;
    private volatile String category;
    private volatile ArrayNode components;
    private volatile String status;
    private volatile String quality = "UNKNOWN";

    public Template(String id, String wabaId, String name, String language, String category, ArrayNode components, String status) {
        this.id = id;
        this.wabaId = wabaId;
        this.name = name;
        this.language = language;
        this.category = category;
        this.components = components;
        this.status = status;
    }

    public String id() {
        return id;
    }

    public String wabaId() {
        return wabaId;
    }

    public String name() {
        return name;
    }

    public String language() {
        return language;
    }

    public String category() {
        return category;
    }

    public ArrayNode components() {
        return components;
    }

    public String status() {
        return status;
    }

    void changeStatus(String status) {
        this.status = status;
    }

    /** Meta's quality score: GREEN, YELLOW, RED or UNKNOWN (new templates). */
    public String quality() {
        return quality;
    }

    void changeQuality(String quality) {
        this.quality = quality;
    }

    /** An edit replaces the components (and the category, when given) and sends the template back to review. */
    void changeCategory(String category) {
        this.category = category;
    }

    void edit(String category, ArrayNode components) {
        if (category != null) {
            this.category = category;
        }
        if (components != null) {
            this.components = components;
        }
        this.status = "PENDING";
    }

    public boolean isApproved() {
        return "APPROVED".equals(status);
    }

    /** The component of a type (HEADER, BODY, FOOTER, BUTTONS), or null. */
    public JsonNode component(String type) {
        for (JsonNode component : components) {
            if (type.equalsIgnoreCase(SandboxJson.text(component, "type"))) {
                return component;
            }
        }
        return null;
    }

    /** How many parameters a send must give for a component: distinct placeholders, or 1 for a media header. */
    public int expectedParameters(String type) {
        JsonNode component = component(type);
        if (component == null) {
            return 0;
        }
        String format = SandboxJson.text(component, "format");
        if ("HEADER".equalsIgnoreCase(type) && format != null && !"TEXT".equalsIgnoreCase(format)) {
            return 1;
        }
        return placeholders(SandboxJson.text(component, "text"));
    }

    static int placeholders(String text) {
        if (text == null) {
            return 0;
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names.size();
    }

    static String fill(String text, java.util.List<String> values) {
        if (text == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        int position = 0;
        while (m.find()) {
            String key = m.group(1);
            String value = m.group();
            try {
                int index = Integer.parseInt(key) - 1;
                if (index >= 0 && index < values.size()) {
                    value = values.get(index);
                }
            } catch (NumberFormatException named) {
                if (position < values.size()) {
                    value = values.get(position);
                }
            }
            position++;
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public ObjectNode toJson() {
        ObjectNode node = SandboxJson.object();
        node.put("name", name);
        node.set("components", components);
        node.put("language", language);
        node.put("status", status);
        node.put("category", category);
        node.put("id", id);
        node.putObject("quality_score").put("score", quality);
        return node;
    }
}
