package hexa.sandbox.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.SandboxProperties;
import hexa.sandbox.SandboxScheduler;
import hexa.sandbox.SandboxSwitches;
import hexa.sandbox.WhatsAppIds;
import hexa.sandbox.graph.GraphError;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.sandbox.numbers.WebhookTarget;
import hexa.sandbox.webhooks.WebhookDeliveries;
import hexa.sandbox.webhooks.WebhookEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Message templates per WABA. A submitted template is PENDING; after the review delay it becomes
 * APPROVED or REJECTED and the WABA's app hears about it through a
 * {@code message_template_status_update} webhook.
 */
@Component
public class Templates {

    private static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,512}");
    private static final Pattern ADJACENT_PARAMETERS = Pattern.compile("\\}\\}\\s*\\{\\{");

    private final Map<String, List<Template>> byWaba = new ConcurrentHashMap<>();
    private final WhatsAppIds ids;
    private final SandboxScheduler scheduler;
    private final SandboxSwitches switches;
    private final SandboxProperties properties;
    private final SandboxNumbers numbers;
    private final WebhookDeliveries deliveries;

    public Templates(WhatsAppIds ids, SandboxScheduler scheduler, SandboxSwitches switches, SandboxProperties properties,
            SandboxNumbers numbers, WebhookDeliveries deliveries) {
        this.ids = ids;
        this.scheduler = scheduler;
        this.switches = switches;
        this.properties = properties;
        this.numbers = numbers;
        this.deliveries = deliveries;
    }

    public List<Template> of(String wabaId) {
        return byWaba.computeIfAbsent(wabaId, this::withStarterTemplates);
    }

    public Optional<Template> find(String wabaId, String name, String language) {
        return of(wabaId).stream().filter(t -> t.name().equals(name) && t.language().equals(language)).findFirst();
    }

    public Optional<Template> byId(String templateId) {
        return byWaba.values().stream().flatMap(List::stream).filter(t -> t.id().equals(templateId)).findFirst();
    }

    /** Submits a template for review; Meta's validation errors come back as 100. */
    public Template submit(String wabaId, JsonNode request) {
        String name = SandboxJson.text(request, "name");
        String language = SandboxJson.text(request, "language");
        String category = SandboxJson.text(request, "category");
        JsonNode components = request.get("components");
        if (name == null) {
            throw GraphError.requiredParameter("name");
        }
        if (language == null) {
            throw GraphError.requiredParameter("language");
        }
        if (category == null) {
            throw GraphError.requiredParameter("category");
        }
        if (components == null || !components.isArray() || components.isEmpty()) {
            throw GraphError.requiredParameter("components");
        }
        if (!NAME.matcher(name).matches()) {
            throw GraphError.invalidParameter("Template name may contain only lowercase letters, digits and underscores.");
        }
        if (!CATEGORIES.contains(category.toUpperCase(java.util.Locale.ROOT))) {
            throw GraphError.invalidParameter("Param category must be one of {MARKETING, UTILITY, AUTHENTICATION}.");
        }
        boolean hasBody = false;
        for (JsonNode component : components) {
            hasBody |= "BODY".equalsIgnoreCase(SandboxJson.text(component, "type"));
        }
        if (!hasBody) {
            throw GraphError.invalidParameter("A template needs a BODY component.");
        }
        List<Template> templates = of(wabaId);
        synchronized (templates) {
            if (find(wabaId, name, language).isPresent()) {
                throw new GraphError(400, 100, 2388024, "OAuthException", "(#100) Invalid parameter",
                        "Content in this language already exists: " + name + " (" + language + ")");
            }
            Template template = new Template(ids.objectId(), wabaId, name, language,
                    category.toUpperCase(java.util.Locale.ROOT), (ArrayNode) components.deepCopy(), "PENDING");
            templates.add(template);
            scheduler.later(properties.getTemplateReviewDelay().toMillis(), () -> review(template));
            return template;
        }
    }

    /** Meta deletes a template by name: every language of it goes. */
    public boolean delete(String wabaId, String name) {
        return of(wabaId).removeIf(t -> t.name().equals(name));
    }

    /**
     * {@code POST /{TEMPLATE_ID}}: an edit of the components (and the category while it is not approved). Meta allows
     * editing an approved, rejected or paused template; the template goes back to review.
     */
    public Template edit(Template template, JsonNode request) {
        JsonNode components = request.get("components");
        String category = SandboxJson.text(request, "category");
        if ((components == null || !components.isArray() || components.isEmpty()) && category == null) {
            throw GraphError.requiredParameter("components");
        }
        if (category != null && !CATEGORIES.contains(category.toUpperCase(java.util.Locale.ROOT))) {
            throw GraphError.invalidParameter("Param category must be one of {MARKETING, UTILITY, AUTHENTICATION}.");
        }
        if ("PENDING".equals(template.status()) || "DISABLED".equals(template.status())) {
            throw GraphError.invalidParameter("A template that is " + template.status() + " cannot be edited.");
        }
        template.edit(category == null ? null : category.toUpperCase(java.util.Locale.ROOT),
                components == null || components.isEmpty() ? null : (ArrayNode) components.deepCopy());
        scheduler.later(properties.getTemplateReviewDelay().toMillis(), () -> review(template));
        return template;
    }

    /** Decides a pending template's review at once (the control API's "decide now"); null decision: by the rules. */
    public void reviewNow(Template template, String decision, String reason) {
        if (!"PENDING".equals(template.status())) {
            return;
        }
        if ("approve".equalsIgnoreCase(decision)) {
            decide(template, null, null);
        } else if ("reject".equalsIgnoreCase(decision)) {
            decide(template, reason == null || reason.isBlank() ? "PROMOTIONAL" : reason, null);
        } else {
            review(template);
        }
    }

    /** Meta's later word on an approved template: PAUSED, DISABLED, FLAGGED, REINSTATED … as a status webhook. */
    public void changeStatus(Template template, String event, String reason) {
        String status = "REINSTATED".equals(event) || "UNFLAGGED".equals(event) ? "APPROVED" : event;
        template.changeStatus("FLAGGED".equals(event) ? template.status() : status);
        ObjectNode value = statusValue(template, event, reason == null || reason.isBlank() ? "NONE" : reason);
        if ("PAUSED".equals(event)) {
            value.putObject("other_info").put("title", "FIRST_PAUSE")
                    .put("description", "Your WhatsApp message template has been paused for 3 hours until "
                            + java.time.Instant.now().plusSeconds(3 * 3600) + " due to low quality so it can no longer be sent to your customers.");
        }
        announce(template.wabaId(), WebhookEvent.templateStatus(template.wabaId(), value));
    }

    /** A new quality score (GREEN, YELLOW, RED, UNKNOWN) as a {@code message_template_quality_update} webhook. */
    public void changeQuality(Template template, String score) {
        ObjectNode value = SandboxJson.object();
        value.put("previous_quality_score", template.quality());
        value.put("new_quality_score", score);
        value.put("message_template_id", Long.parseLong(template.id()));
        value.put("message_template_name", template.name());
        value.put("message_template_language", template.language());
        template.changeQuality(score);
        announce(template.wabaId(), WebhookEvent.templateQuality(template.wabaId(), value));
    }

    /** Meta moves the template to another category: {@code template_category_update} (previous and new category). */
    public void changeCategory(Template template, String category) {
        ObjectNode value = SandboxJson.object();
        value.put("message_template_id", Long.parseLong(template.id()));
        value.put("message_template_name", template.name());
        value.put("message_template_language", template.language());
        value.put("previous_category", template.category());
        value.put("new_category", category);
        template.changeCategory(category);
        announce(template.wabaId(), WebhookEvent.templateCategory(template.wabaId(), value));
    }

    private void review(Template template) {
        if (!"PENDING".equals(template.status()) || byId(template.id()).isEmpty()) {
            return;
        }
        String[] rejection = rejectionReason(template);
        decide(template, rejection == null ? null : rejection[0], rejection == null ? null : rejection[1]);
    }

    private synchronized void decide(Template template, String reason, String why) {
        if (!"PENDING".equals(template.status())) {
            return;
        }
        ObjectNode value = statusValue(template, reason == null ? "APPROVED" : "REJECTED", reason == null ? "NONE" : reason);
        if (why != null) {
            ObjectNode info = value.putObject("rejection_info");
            info.put("reason", why);
            info.put("recommendation", "Change the template as the reason says and submit it again.");
        }
        template.changeStatus(reason == null ? "APPROVED" : "REJECTED");
        announce(template.wabaId(), WebhookEvent.templateStatus(template.wabaId(), value));
    }

    private static ObjectNode statusValue(Template template, String event, String reason) {
        ObjectNode value = SandboxJson.object();
        value.put("event", event);
        value.put("message_template_id", Long.parseLong(template.id()));
        value.put("message_template_name", template.name());
        value.put("message_template_language", template.language());
        value.put("reason", reason);
        value.put("message_template_category", template.category());
        return value;
    }

    /** The reason (Meta's code) and the words of a rejection, or null when the sandbox's review approves. */
    private String[] rejectionReason(Template template) {
        String decision = switches.templateDecision;
        if ("approve".equalsIgnoreCase(decision)) {
            return null;
        }
        if ("reject".equalsIgnoreCase(decision)) {
            return new String[] {"PROMOTIONAL", null};
        }
        for (JsonNode component : template.components()) {
            String text = SandboxJson.text(component, "text");
            if (text == null) {
                continue;
            }
            if (ADJACENT_PARAMETERS.matcher(text).find()) {
                return new String[] {"INVALID_FORMAT", "Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them."};
            }
            if ("BODY".equalsIgnoreCase(SandboxJson.text(component, "type"))) {
                String body = text.strip();
                // Meta writes authentication templates' body itself ("{{1}} is your verification code."): the rule is not theirs.
                if (!"AUTHENTICATION".equalsIgnoreCase(template.category()) && (body.startsWith("{{") || body.endsWith("}}"))) {
                    return new String[] {"INVALID_FORMAT", "Your template has a parameter at the start or the end of its body."};
                }
                if (body.length() > 1024) {
                    return new String[] {"INVALID_FORMAT", "Your template's body is longer than 1024 characters."};
                }
            }
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            for (String word : switches.templateForbiddenWords.split(",")) {
                if (!word.isBlank() && lower.contains(word.strip().toLowerCase(java.util.Locale.ROOT))) {
                    return new String[] {"ABUSIVE_CONTENT", null};
                }
            }
        }
        return null;
    }

    private void announce(String wabaId, WebhookEvent event) {
        // One notification per app subscribed to the WABA, even when several of its numbers share it.
        Set<WebhookTarget> told = new java.util.HashSet<>();
        for (BusinessNumber number : numbers.ofWaba(wabaId)) {
            if (told.add(number.webhookTarget())) {
                deliveries.publish(number, event);
            }
        }
    }

    private List<Template> withStarterTemplates(String wabaId) {
        // Every new WABA starts with Meta's hello_world, as a real one does.
        List<Template> templates = new CopyOnWriteArrayList<>();
        ArrayNode components = SandboxJson.MAPPER.createArrayNode();
        ObjectNode header = components.addObject();
        header.put("format", "TEXT");
        header.put("text", "Hello World");
        header.put("type", "HEADER");
        ObjectNode body = components.addObject();
        body.put("text", "Welcome and congratulations!! This message demonstrates your ability to send a message notification from WhatsApp Business Platform\u2019s Cloud API. Thank you for taking the time to test with us.");
        body.put("type", "BODY");
        ObjectNode footer = components.addObject();
        footer.put("text", "WhatsApp Business API Team");
        footer.put("type", "FOOTER");
        templates.add(new Template(ids.objectId(), wabaId, "hello_world", "en_US", "MARKETING", components, "APPROVED"));
        return templates;
    }

    /** Used by tests and the control API to list templates regardless of WABA. */
    public List<Template> all() {
        List<Template> out = new ArrayList<>();
        byWaba.values().forEach(out::addAll);
        return out;
    }
}
