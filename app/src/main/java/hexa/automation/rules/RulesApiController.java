package hexa.automation.rules;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/automation/rules}: the workspace's rules for integrations, with the same checks, order and audit as
 * the pages (Owners and Admins); each rule's log a page at a time; the test panel's dry run; the hourly limit of
 * automatic replies. The JSON shape is {@link Rule}'s (docs/api.md).
 */
@RestController
class RulesApiController {

    private final RuleBook book;
    private final RuleLog ruleLog;
    private final RuleTrials trials;
    private final RuleSettings settings;

    RulesApiController(RuleBook book, RuleLog ruleLog, RuleTrials trials, RuleSettings settings) {
        this.book = book;
        this.ruleLog = ruleLog;
        this.trials = trials;
        this.settings = settings;
    }

    public record Items<T>(List<T> items, String nextCursor) {
    }

    public record SettingsJson(int repliesPerHour) {
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/api/v1/automation/rules")
    Items<Rule> list() {
        return new Items<>(book.list(), null);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/api/v1/automation/rules")
    ResponseEntity<Rule> create(@RequestBody(required = false) JsonNode body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(book.create(RuleJson.read(body)));
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/api/v1/automation/rules/{id}")
    Rule get(@PathVariable String id) {
        return rule(id);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PutMapping("/api/v1/automation/rules/{id}")
    Rule update(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID rule = rule(id).id();
        return book.update(rule, RuleJson.read(body));
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @DeleteMapping("/api/v1/automation/rules/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        if (!book.delete(Ids.parseOrNotFound(id))) {
            throw new NotFoundException();
        }
        return ResponseEntity.noContent().build();
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/api/v1/automation/rules/{id}/enable")
    Rule enable(@PathVariable String id) {
        UUID rule = rule(id).id();
        book.enable(rule, true);
        return rule(id);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/api/v1/automation/rules/{id}/disable")
    Rule disable(@PathVariable String id) {
        UUID rule = rule(id).id();
        book.enable(rule, false);
        return rule(id);
    }

    /** {@code {"by": -1}} one place up, {@code {"by": 1}} one down. */
    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/api/v1/automation/rules/{id}/move")
    Items<Rule> move(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID rule = rule(id).id();
        int by = body == null ? 0 : body.path("by").asInt(0);
        if (by == 0) {
            throw UserError.invalid("automation.rules.invalid.move");
        }
        book.move(rule, by);
        return new Items<>(book.list(), null);
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/api/v1/automation/rules/{id}/copy")
    ResponseEntity<Rule> copy(@PathVariable String id) {
        return ResponseEntity.status(HttpStatus.CREATED).body(book.copy(rule(id).id()));
    }

    /** The rule's log, newest first; {@code nextCursor} is the time of the page's last entry. */
    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/api/v1/automation/rules/{id}/log")
    Items<RuleLog.Entry> log(@PathVariable String id, @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
        UUID rule = rule(id).id();
        Instant before;
        try {
            before = cursor == null || cursor.isBlank() ? null : Instant.parse(cursor.strip());
        } catch (DateTimeParseException e) {
            throw UserError.invalid("automation.rules.invalid.cursor");
        }
        int size = Math.max(1, Math.min(limit, 200));
        List<RuleLog.Entry> page = ruleLog.of(rule, before, size + 1);
        String next = page.size() > size ? page.get(size - 1).at().toString() : null;
        return new Items<>(page.size() > size ? page.subList(0, size) : page, next);
    }

    /** The saved rule against a conversation, nothing sent: {@code {"conversationId": "…"}}. */
    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/api/v1/automation/rules/{id}/trial")
    RuleTrials.Trial trialSaved(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        return trials.trial(rule(id), conversation(body));
    }

    /** A rule as being edited against a conversation: {@code {"rule": {…}, "conversationId": "…"}}. */
    @Requires(Permission.MANAGE_AUTOMATION)
    @PostMapping("/api/v1/automation/rules/trial")
    RuleTrials.Trial trialDraft(@RequestBody(required = false) JsonNode body) {
        return trials.trial(RuleJson.read(body == null ? null : body.get("rule")), conversation(body));
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @GetMapping("/api/v1/automation/settings")
    SettingsJson settings() {
        return new SettingsJson(settings.repliesPerHour());
    }

    @Requires(Permission.MANAGE_AUTOMATION)
    @PutMapping("/api/v1/automation/settings")
    SettingsJson changeSettings(@RequestBody(required = false) JsonNode body) {
        JsonNode replies = body == null ? null : body.get("repliesPerHour");
        if (replies == null || !replies.isIntegralNumber()) {
            throw UserError.invalid("automation.rules.invalid.replies-per-hour", RuleSettings.MAX_REPLIES_PER_HOUR);
        }
        settings.setRepliesPerHour(replies.asInt());
        return settings();
    }

    private Rule rule(String id) {
        return book.find(Ids.parseOrNotFound(id)).orElseThrow(NotFoundException::new);
    }

    private static UUID conversation(JsonNode body) {
        String id = body == null ? "" : body.path("conversationId").asString("");
        if (id.isBlank()) {
            throw UserError.invalid("automation.rules.invalid.trial-conversation");
        }
        return Ids.parseOrNotFound(id);
    }
}
