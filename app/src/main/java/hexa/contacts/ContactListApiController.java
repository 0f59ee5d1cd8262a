package hexa.contacts;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletResponse;
import hexa.platform.web.Text;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contact list for integrations: {@code GET /api/v1/contacts} (search and filters, keyset pages), saved
 * segments ({@code /api/v1/contacts/segments}), bulk actions ({@code POST /api/v1/contacts/bulk}) and the CSV
 * export ({@code GET /api/v1/contacts/export}). Filters are the same request parameters as the list page's.
 */
@RestController
class ContactListApiController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern PREFER_WAIT = Pattern.compile("(?i)(?:^|[,;\\s])wait\\s*=\\s*(\\d{1,6})");
    static final int DEFAULT_LIMIT = 50;

    private final ContactSearch search;
    private final ContactSegments segments;
    private final ContactBulk bulk;
    private final ContactExport export;
    private final Clock clock;

    private final ContactSources sources;

    ContactListApiController(ContactSearch search, ContactSegments segments, ContactBulk bulk, ContactExport export, Clock clock,
                             ContactSources sources) {
        this.sources = sources;
        this.search = search;
        this.segments = segments;
        this.bulk = bulk;
        this.export = export;
        this.clock = clock;
    }

    public record Items<T>(List<T> items, String nextCursor, String previousCursor) {
    }

    public record SegmentJson(UUID id, String name, ContactFilter filter, String query, UUID createdBy, Instant createdAt, Instant updatedAt) {
        static SegmentJson of(ContactSegments.Segment s) {
            return new SegmentJson(s.id(), s.name(), s.filter(), s.filter().toQuery(), s.createdBy(), s.createdAt(), s.updatedAt());
        }
    }

    /** A bulk job: {@code status} queued, running, done or failed; {@code processed} of {@code matched} so far. */
    public record BulkJobJson(UUID id, String action, String tag, UUID ownerId, Map<String, Object> target, String status, long matched,
                              long processed, int progress, long changed, long kept, boolean withConversations, String outcome, String failure, String startedBy,
                              Instant createdAt, Instant startedAt, Instant finishedAt) {
        static BulkJobJson of(BulkJob job) {
            Map<String, Object> target = new java.util.LinkedHashMap<>();
            if (job.selected() != null) {
                target.put("selected", job.selected());
            } else {
                target.put("filter", job.filter());
            }
            return new BulkJobJson(job.id(), job.action(), job.tag(), job.ownerId(), target, job.status(), job.matched(), job.processed(),
                    job.percent(), job.changed(), job.kept(), job.withConversations(), job.done() ? Text.t(job.outcomeKey(), job.outcomeArguments()) : null,
                    job.failure() == null ? null : Text.t(job.failure()), job.startedByName(), job.createdAt(), job.startedAt(), job.finishedAt());
        }
    }

    /**
     * {@code ?query=&tag=&tagMatch=&attr=key:op:value&owner=&activeWithin=&activeSince=&activeBefore=&consent=&blocked=&source=ad|none&ad=}
     * (or {@code segment=<id>}), {@code sort=activity|name|created}, {@code limit} (1–200), {@code cursor} (a page's
     * {@code nextCursor}) or {@code before} (a page's {@code previousCursor}).
     */
    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/api/v1/contacts")
    Items<ContactJson> list(@RequestParam MultiValueMap<String, String> params) {
        ContactSearch.Sort sort = ContactSearch.Sort.of(params.getFirst("sort"));
        ContactSearch.Page page = search.page(filter(params), sort, params.getFirst("cursor"), params.getFirst("before"), limit(params.getFirst("limit")));
        Map<UUID, ContactSources.Referral> firsts = sources.firstOf(page.contacts().stream().map(Contact::id).toList());
        return new Items<>(page.contacts().stream().map(c -> ContactJson.of(c, page.tagsOf(c.id()), firsts.get(c.id()))).toList(), page.nextCursor(),
                page.previousCursor());
    }

    /** The same filters as the list; answers {@code text/csv} (UTF-8 with a byte order mark), streamed. */
    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/api/v1/contacts/export")
    void export(@RequestParam MultiValueMap<String, String> params, HttpServletResponse response) throws IOException {
        ContactFilter filter = filter(params);
        ContactSearch.Sort sort = ContactSearch.Sort.of(params.getFirst("sort"));
        search.check(filter);
        csv(response, clock.instant());
        export.write(ContactBulk.Target.matching(filter), sort, response.getOutputStream());
    }

    /**
     * {@code {"action": "tag"|"untag"|"owner"|"delete", "tag": "…", "ownerId": "…"|null, "withConversations": true|false, "ids": […]}} or with
     * {@code "filter": {…}} (a segment's filter object, or its query string) instead of ids. With
     * {@code "expectedCount": n} the action is refused (409) unless the target holds exactly n contacts now. Starts a
     * background job and answers 202 with it and its {@code Location}; with {@code Prefer: wait=n} (seconds, at most
     * 60) the answer waits that long for the job to end and is 200 with the outcome if it did.
     */
    @Requires(Permission.MANAGE_CONTACTS)
    @PostMapping("/api/v1/contacts/bulk")
    ResponseEntity<BulkJobJson> bulk(@RequestBody(required = false) JsonNode body, @RequestHeader(value = "Prefer", required = false) String prefer) {
        JsonNode request = object(body);
        String action = request.path("action").asString("").toLowerCase(Locale.ROOT);
        if (!List.of("tag", "untag", "owner", "delete").contains(action)) {
            throw UserError.invalid("contacts.bulk.action-invalid", action);
        }
        ContactBulk.Target target = target(request);
        Long expected = null;
        if (request.has("expectedCount")) {
            expected = request.get("expectedCount").asLong(-1);
        }
        BulkJob job;
        switch (action) {
            case "tag":
                job = bulk.tag(target, request.path("tag").asString(""), expected);
                break;
            case "untag":
                job = bulk.untag(target, request.path("tag").asString(""), expected);
                break;
            case "owner":
                if (!request.has("ownerId")) {
                    throw UserError.invalid("contacts.bulk.owner-missing");
                }
                JsonNode owner = request.get("ownerId");
                job = bulk.setOwner(target, owner.isNull() ? null : id(owner.asString("")), expected);
                break;
            default:
                JsonNode withConversations = request.path("withConversations");
                if (!withConversations.isMissingNode() && !withConversations.isNull() && !withConversations.isBoolean()) {
                    throw UserError.invalid("contacts.bulk.with-conversations-invalid");
                }
                job = bulk.delete(target, expected, withConversations.asBoolean(false));
        }
        URI location = URI.create("/api/v1/contacts/bulk/" + job.id());
        Duration wait = waitOf(prefer);
        if (!wait.isZero()) {
            job = bulk.await(job.id(), wait);
            if (job.finished()) {
                return ResponseEntity.ok().location(location).header("Preference-Applied", "wait=" + wait.toSeconds()).body(BulkJobJson.of(job));
            }
        }
        return ResponseEntity.accepted().location(location).body(BulkJobJson.of(job));
    }

    /** A bulk action's progress ({@code processed} of {@code matched}) and, once {@code done}, its outcome. */
    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/api/v1/contacts/bulk/{id}")
    BulkJobJson bulkJob(@PathVariable String id) {
        return BulkJobJson.of(bulk.job(Ids.parseOrNotFound(id)));
    }

    /** {@code Prefer: wait=n} (RFC 7240), at most a minute; none when absent or unreadable. */
    static Duration waitOf(String prefer) {
        if (prefer == null) {
            return Duration.ZERO;
        }
        Matcher m = PREFER_WAIT.matcher(prefer);
        if (!m.find()) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(Math.min(60, Long.parseLong(m.group(1))));
    }

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/api/v1/contacts/segments")
    Items<SegmentJson> segments() {
        return new Items<>(segments.all().stream().map(SegmentJson::of).toList(), null, null);
    }

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/api/v1/contacts/segments/{id}")
    SegmentJson segment(@PathVariable String id) {
        return SegmentJson.of(segments.get(Ids.parseOrNotFound(id)));
    }

    /** {@code {"name": "…", "filter": {…} | "tag=vip&consent=opted_in"}}. */
    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/api/v1/contacts/segments")
    ResponseEntity<SegmentJson> createSegment(@RequestBody(required = false) JsonNode body) {
        JsonNode request = object(body);
        if (!request.has("filter")) {
            throw UserError.invalid("contacts.segments.filter-missing");
        }
        ContactSegments.Segment created = segments.create(request.path("name").asString(""), filter(request.get("filter")));
        return ResponseEntity.status(HttpStatus.CREATED).body(SegmentJson.of(created));
    }

    /** {@code {"name": "…"}} and/or {@code {"filter": …}}; what is left out stays. */
    @Requires(Permission.USE_CONTACTS)
    @PatchMapping("/api/v1/contacts/segments/{id}")
    SegmentJson updateSegment(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID segment = segments.get(Ids.parseOrNotFound(id)).id();
        JsonNode request = object(body);
        if (!request.has("name") && !request.has("filter")) {
            throw UserError.invalid("contacts.segments.nothing-to-change");
        }
        String name = request.has("name") ? request.get("name").asString("") : null;
        ContactFilter filter = request.has("filter") ? filter(request.get("filter")) : null;
        return SegmentJson.of(segments.update(segment, name, filter));
    }

    @Requires(Permission.USE_CONTACTS)
    @DeleteMapping("/api/v1/contacts/segments/{id}")
    ResponseEntity<Void> deleteSegment(@PathVariable String id) {
        segments.delete(segments.get(Ids.parseOrNotFound(id)).id());
        return ResponseEntity.noContent().build();
    }

    /** The filter of a request: a saved segment's ({@code segment=<id>}) or the parameters'. */
    private ContactFilter filter(MultiValueMap<String, String> params) {
        String segment = params.getFirst("segment");
        if (segment != null && !segment.isBlank()) {
            UUID id;
            try {
                id = UUID.fromString(segment.strip());
            } catch (IllegalArgumentException e) {
                throw UserError.invalid("contacts.segments.unknown");
            }
            return segments.find(id).orElseThrow(() -> UserError.invalid("contacts.segments.unknown")).filter();
        }
        return ContactFilter.fromParams(params);
    }

    private ContactBulk.Target target(JsonNode request) {
        boolean hasIds = request.has("ids");
        boolean hasFilter = request.has("filter");
        if (hasIds == hasFilter) {
            throw UserError.invalid("contacts.bulk.target-missing");
        }
        if (hasFilter) {
            return ContactBulk.Target.matching(filter(request.get("filter")));
        }
        JsonNode ids = request.get("ids");
        if (!ids.isArray()) {
            throw UserError.invalid("contacts.bulk.target-missing");
        }
        List<UUID> selection = new ArrayList<>();
        ids.forEach(node -> selection.add(id(node.asString(""))));
        return ContactBulk.Target.selection(selection);
    }

    /** A filter given as a JSON object (a segment's {@code filter}) or as its query string. */
    static ContactFilter filter(JsonNode node) {
        if (node == null || node.isNull()) {
            return ContactFilter.EVERYONE;
        }
        if (node.isString()) {
            return ContactFilter.fromQuery(node.asString());
        }
        if (!node.isObject()) {
            throw UserError.invalid("contacts.list.filter.unreadable");
        }
        try {
            return JSON.treeToValue(node, ContactFilter.class);
        } catch (JacksonException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof UserError error) {
                    throw error;
                }
            }
            throw UserError.invalid("contacts.list.filter.unreadable");
        }
    }

    static void csv(HttpServletResponse response, Instant now) {
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + ContactExport.fileName(now) + "\"");
        response.setHeader("Cache-Control", "no-store");
    }

    private static UUID id(String value) {
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw UserError.invalid("contacts.bulk.id-invalid", value);
        }
    }

    static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw UserError.invalid("contacts.list.limit-invalid", ContactSearch.MAX_PAGE);
        }
    }

    private static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw UserError.invalid("contacts.api.body-not-object");
        }
        return body;
    }
}
