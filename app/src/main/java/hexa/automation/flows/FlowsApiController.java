package hexa.automation.flows;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.UserError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/automation/flows}: chatbot flows for integrations, for tokens that may manage automation (Owner, Admin). */
@RestController
class FlowsApiController {

    static final int PAGE = 50;
    static final int MAX_PAGE = 100;

    private final Flows flows;

    FlowsApiController(Flows flows) {
        this.flows = flows;
    }

    /** A flow as the API shows it: its draft and, once published, the definition new runs use. */
    public record FlowJson(UUID id, String name, List<String> keywords, boolean adEntry, FlowDefinition draft, Integer publishedVersion,
                           FlowDefinition published, Instant createdAt, Instant updatedAt) {
    }

    /** What a client sends to create a flow or replace its draft. */
    public record FlowRequest(String name, List<String> keywords, Boolean adEntry, FlowDefinition draft) {
    }

    public record Items<T>(List<T> items, String nextCursor) {
    }

    public record Published(UUID id, int version) {
    }

    /**
     * The workspace's flows by name, {@code limit} (1–100, 50 unless given) at a time; {@code nextCursor} continues after
     * the page's last flow, null on the last page.
     */
    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/api/v1/automation/flows")
    Items<FlowJson> list(@RequestParam(required = false) String cursor, @RequestParam(required = false) String limit) {
        int size = limit(limit);
        String afterName = null;
        UUID afterId = null;
        if (cursor != null && !cursor.isBlank()) {
            String[] after = decode(cursor.strip());
            afterName = after[0];
            afterId = UUID.fromString(after[1]);
        }
        List<Flow> page = flows.page(afterName, afterId, size + 1);
        boolean more = page.size() > size;
        List<Flow> shown = more ? page.subList(0, size) : page;
        Flow last = shown.isEmpty() ? null : shown.get(shown.size() - 1);
        return new Items<>(shown.stream().map(this::json).toList(), more ? encode(last) : null);
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return PAGE;
        }
        try {
            int size = Integer.parseInt(limit.strip());
            if (size >= 1 && size <= MAX_PAGE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw UserError.invalid("automation.flows.api.limit-invalid", MAX_PAGE);
    }

    /** The page's last flow, its name and id, as an opaque token. */
    private static String encode(Flow last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((last.id() + ":" + last.name()).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            UUID.fromString(text.substring(0, colon));
            return new String[] {text.substring(colon + 1), text.substring(0, colon)};
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw UserError.invalid("automation.flows.api.cursor-invalid");
        }
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/api/v1/automation/flows/{id}")
    FlowJson get(@PathVariable String id) {
        return json(flows.get(Ids.parseOrNotFound(id)));
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/api/v1/automation/flows")
    @ResponseStatus(HttpStatus.CREATED)
    FlowJson create(@RequestBody FlowRequest request) {
        FlowDefinition draft = request.draft() != null ? request.draft() : Flows.starterDraft(hexa.platform.web.Text.t("automation.flows.starter"));
        return json(flows.create(new Flows.Changes(request.name(), request.keywords(), Boolean.TRUE.equals(request.adEntry()), draft)));
    }

    /** Replaces the draft (and the name and entry, when given); the published version is left as it is. */
    @Requires(Permission.MANAGE_AUTOMATION)
    @PutMapping("/api/v1/automation/flows/{id}")
    FlowJson update(@PathVariable String id, @RequestBody FlowRequest request) {
        Flow flow = flows.get(Ids.parseOrNotFound(id));
        return json(flows.update(flow.id(), new Flows.Changes(request.name() != null ? request.name() : flow.name(),
                request.keywords() != null ? request.keywords() : flow.keywords(),
                request.adEntry() != null ? request.adEntry() : flow.adEntry(), request.draft() != null ? request.draft() : flow.draft())));
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/api/v1/automation/flows/{id}/publish")
    Published publish(@PathVariable String id) {
        UUID flow = flows.get(Ids.parseOrNotFound(id)).id();
        return new Published(flow, flows.publish(flow));
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @DeleteMapping("/api/v1/automation/flows/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        flows.delete(Ids.parseOrNotFound(id));
        return ResponseEntity.noContent().build();
    }

    /** A draft with problems: the usual error, and each problem as people read it. */
    @ExceptionHandler(FlowProblems.class)
    ResponseEntity<Map<String, Object>> problems(FlowProblems e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code());
        body.put("message", e.text());
        body.put("problems", e.texts());
        return ResponseEntity.status(e.status()).body(body);
    }

    private FlowJson json(Flow flow) {
        FlowDefinition published = flow.publishedVersion() == null ? null
                : flows.version(flow.id(), flow.publishedVersion()).map(Flow.Version::definition).orElse(null);
        return new FlowJson(flow.id(), flow.name(), flow.keywords(), flow.adEntry(), flow.draft(), flow.publishedVersion(), published,
                flow.createdAt(), flow.updatedAt());
    }
}
