package hexa.whatsapp;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/templates}: the workspace's message templates (cursor paging), creating one at Meta after the same
 * checks as the form (errors {@code {"code","message","field"}}), and deleting one (Meta: by name, every language).
 */
@RestController
class TemplatesApiController {

    private static final int PAGE_DEFAULT = 50;
    private static final int PAGE_MAX = 200;

    private final TemplateManagement management;
    private final TemplateService templates;
    private final JsonMapper json = JsonMapper.builder().build();

    TemplatesApiController(TemplateManagement management, TemplateService templates) {
        this.management = management;
        this.templates = templates;
    }

    public record TemplateJson(UUID id, String wabaId, String metaId, String name, String language, String category, String status,
                               String rejectedReason, String rejectionDetail, String qualityRating, String previousCategory,
                               JsonNode components, Instant updatedAt) {
    }

    public record Items<T>(List<T> items, String nextCursor) {
    }

    /**
     * The new template: {@code wabaId} (optional with one account), {@code name}, {@code language}, {@code category}, and
     * either Meta's {@code components} or the form's fields ({@code header}, {@code body}, {@code examples},
     * {@code footer}, {@code buttons}).
     */
    public record CreateRequest(String wabaId, String name, String language, String category, JsonNode components, Header header, String body,
                                Map<String, String> examples, String footer, List<ButtonJson> buttons, Boolean addSecurityRecommendation,
                                Integer codeExpirationMinutes) {
    }

    public record Header(String format, String text, String example) {
    }

    public record ButtonJson(String type, String text, String url, String example, String phoneNumber) {
    }

    @Requires(Permission.VIEW_TEMPLATES)
    @GetMapping("/api/v1/templates")
    Items<TemplateJson> list(@RequestParam(defaultValue = "") String cursor, @RequestParam(defaultValue = "") String limit,
                             @RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "") String status,
                             @RequestParam(defaultValue = "") String wabaId) {
        int size = PAGE_DEFAULT;
        if (!limit.isBlank()) {
            try {
                size = Math.max(1, Math.min(PAGE_MAX, Integer.parseInt(limit.strip())));
            } catch (NumberFormatException e) {
                throw hexa.platform.web.UserError.invalid("error.bad-request");
            }
        }
        UUID after = cursor.isBlank() ? null : Ids.parseOrNotFound(cursor);
        List<Template> page = management.page(new TemplateManagement.Filter(q, status, wabaId), after, size + 1);
        boolean more = page.size() > size;
        List<Template> shown = more ? page.subList(0, size) : page;
        return new Items<>(shown.stream().map(this::json).toList(), more ? shown.get(shown.size() - 1).id().toString() : null);
    }

    @Requires(Permission.VIEW_TEMPLATES)
    @GetMapping("/api/v1/templates/{id}")
    TemplateJson get(@PathVariable String id) {
        return json(templates.byId(Ids.parseOrNotFound(id)));
    }

    @Requires(Permission.MANAGE_TEMPLATES)
    @PostMapping("/api/v1/templates")
    ResponseEntity<TemplateJson> create(@RequestBody CreateRequest request) {
        return ResponseEntity.status(201).body(json(management.create(request.wabaId(), draft(request))));
    }

    @Requires(Permission.MANAGE_TEMPLATES)
    @DeleteMapping("/api/v1/templates/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        management.delete(Ids.parseOrNotFound(id));
        return ResponseEntity.noContent().build();
    }

    /** A broken rule answers 400 with the field it is at, as {@code {"code","message","field"}}. */
    @ExceptionHandler(TemplateProblems.class)
    ResponseEntity<Map<String, Object>> problems(TemplateProblems problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", problems.code());
        body.put("message", problems.text());
        body.put("field", problems.field());
        return ResponseEntity.status(problems.status()).body(body);
    }

    private TemplateDraft draft(CreateRequest request) {
        if (request.components() != null && request.components().isArray()) {
            // Meta's own components: read the same way as a template synced from Meta, then checked alike.
            Template asMeta = new Template(null, request.wabaId(), null, request.name(), request.language(), request.category(), "PENDING", null,
                    request.components().toString(), null, null, null, null);
            return TemplateDraft.of(asMeta);
        }
        Header header = request.header() == null ? new Header("NONE", "", "") : request.header();
        List<TemplateDraft.Button> buttons = request.buttons() == null ? List.of() : request.buttons().stream()
                .map(b -> new TemplateDraft.Button(b.type(), b.text(), b.url(), b.example(), b.phoneNumber())).toList();
        return new TemplateDraft(request.name(), request.language(), request.category(), header.format(), header.text(), header.example(),
                request.body(), request.examples(), request.footer(), buttons,
                request.addSecurityRecommendation() == null || request.addSecurityRecommendation(), request.codeExpirationMinutes());
    }

    private TemplateJson json(Template t) {
        return new TemplateJson(t.id(), t.wabaId(), t.metaId(), t.name(), t.language(), t.category(), t.status(), t.rejectedReason(),
                t.rejectionDetail(), t.qualityRating(), t.previousCategory(), json.readTree(t.components() == null ? "[]" : t.components()),
                t.syncedAt());
    }
}
