package hexa.campaigns;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.whatsapp.ConnectionService;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/campaigns} (docs/api.md): create and change drafts, schedule or start, pause, resume, cancel; a campaign
 * with its funnel; the list; its recipients; a preview for a few real recipients. Supervisors and up
 * ({@code MANAGE_CAMPAIGNS}), and API tokens with that permission.
 */
@RestController
class CampaignsApiController {

    private final CampaignService campaigns;
    private final ConnectionService connections;

    private final CampaignRecipientList recipientList;
    private final CampaignFollowUps followUps;

    CampaignsApiController(CampaignService campaigns, ConnectionService connections, CampaignRecipientList recipientList, CampaignFollowUps followUps) {
        this.campaigns = campaigns;
        this.connections = connections;
        this.recipientList = recipientList;
        this.followUps = followUps;
    }

    public record TemplateJson(String name, String language, String category) {
    }

    public record ScheduleJson(LocalDateTime at, String timeZone, Integer localHour, LocalDate date) {
    }

    public record CampaignJson(UUID id, String name, String status, TemplateJson template, JsonNode variables, JsonNode audience,
                               List<String> numbers, ScheduleJson schedule, Instant sendAt, JsonNode ab, String abWinner, String failure,
                               Instant createdAt, Instant startedAt, Instant pausedAt, Instant finishedAt, Instant cancelledAt,
                               CampaignService.Funnel funnel) {
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/api/v1/campaigns")
    ResponseEntity<CampaignJson> create(@RequestBody(required = false) JsonNode body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(json(campaigns.create(CampaignDraft.read(body)), true));
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PutMapping("/api/v1/campaigns/{id}")
    CampaignJson update(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID campaign = campaigns.get(Ids.parseOrNotFound(id)).id();
        return json(campaigns.update(campaign, CampaignDraft.read(body)), true);
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/api/v1/campaigns/{id}")
    CampaignJson get(@PathVariable String id) {
        return json(campaigns.get(Ids.parseOrNotFound(id)), true);
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/api/v1/campaigns")
    CampaignService.Page<CampaignJson> list(@RequestParam(value = "cursor", required = false) String cursor,
                                            @RequestParam(value = "limit", required = false, defaultValue = "50") int limit) {
        CampaignService.Page<Campaign> page = campaigns.list(cursor, limit);
        return new CampaignService.Page<>(page.items().stream().map(c -> json(c, false)).toList(), page.nextCursor());
    }

    /** Body optional: {@code {"schedule": {...}}} or the schedule itself; absent: the draft's saved schedule, else now. */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/api/v1/campaigns/{id}/schedule")
    CampaignJson schedule(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        UUID campaign = campaigns.get(Ids.parseOrNotFound(id)).id();
        return json(campaigns.schedule(campaign, CampaignDraft.schedule(body)), true);
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/api/v1/campaigns/{id}/pause")
    CampaignJson pause(@PathVariable String id) {
        return json(campaigns.pause(Ids.parseOrNotFound(id)), true);
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/api/v1/campaigns/{id}/resume")
    CampaignJson resume(@PathVariable String id) {
        return json(campaigns.resume(Ids.parseOrNotFound(id)), true);
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/api/v1/campaigns/{id}/cancel")
    CampaignJson cancel(@PathVariable String id) {
        return json(campaigns.cancel(Ids.parseOrNotFound(id)), true);
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/api/v1/campaigns/{id}/recipients")
    CampaignService.Page<CampaignService.Recipient> recipients(@PathVariable String id,
                                                               @RequestParam(value = "state", required = false) String state,
                                                               @RequestParam(value = "q", required = false) String q,
                                                               @RequestParam(value = "cursor", required = false) String cursor,
                                                               @RequestParam(value = "limit", required = false, defaultValue = "100") int limit) {
        return campaigns.recipients(Ids.parseOrNotFound(id), state, q, cursor, limit);
    }

    /** The recipients as CSV (state and search as in the list), streamed; formulas in names are neutralised. */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/api/v1/campaigns/{id}/recipients.csv")
    void recipientsCsv(@PathVariable String id, @RequestParam(value = "state", required = false) String state,
                       @RequestParam(value = "q", required = false) String q, jakarta.servlet.http.HttpServletResponse response)
            throws java.io.IOException {
        UUID campaign = campaigns.get(Ids.parseOrNotFound(id)).id();
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"campaign-" + campaign + "-recipients.csv\"");
        response.setHeader("Cache-Control", "no-store");
        recipientList.exportCsv(campaign, state, q, response.getOutputStream());
    }

    /** {@code {"rule": "NOT_READ"|"NOT_REPLIED", "name": "…"}}: a new DRAFT to those who did not read (or reply). */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/api/v1/campaigns/{id}/follow-up")
    ResponseEntity<CampaignJson> followUp(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        Campaign original = campaigns.get(Ids.parseOrNotFound(id));
        String rule = body == null ? null : body.path("rule").asString(null);
        String name = body == null || !body.hasNonNull("name") ? original.name() + " (follow-up)" : body.path("name").asString();
        UUID created = followUps.create(original.id(), CampaignFollowUps.Rule.of(rule), name);
        return ResponseEntity.status(HttpStatus.CREATED).body(json(campaigns.get(created), true));
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/api/v1/campaigns/{id}/preview")
    Map<String, List<CampaignService.Preview>> preview(@PathVariable String id,
                                                       @RequestParam(value = "sample", required = false, defaultValue = "5") int sample) {
        return Map.of("items", campaigns.preview(Ids.parseOrNotFound(id), sample));
    }

    private CampaignJson json(Campaign c, boolean withFunnel) {
        Map<UUID, String> phoneNumberIds = new HashMap<>();
        connections.connections().forEach(v -> phoneNumberIds.put(v.id(), v.phoneNumberId()));
        ScheduleJson schedule = null;
        if (c.localHour() != null) {
            schedule = new ScheduleJson(null, null, c.localHour(), c.localDate());
        } else if (c.timeZone() != null && c.sendAt() != null) {
            schedule = new ScheduleJson(LocalDateTime.ofInstant(c.sendAt(), ZoneId.of(c.timeZone())), c.timeZone(), null, null);
        }
        return new CampaignJson(c.id(), c.name(), c.status().name(), new TemplateJson(c.templateName(), c.templateLanguage(), c.templateCategory()),
                c.variables().json(), c.audience().json(), c.connectionIds().stream().map(n -> phoneNumberIds.getOrDefault(n, n.toString())).toList(),
                schedule, c.sendAt(), c.ab() == null ? null : CampaignDraft.JSON.valueToTree(c.ab()), c.abWinner(), c.failure(), c.createdAt(),
                c.startedAt(), c.pausedAt(), c.finishedAt(), c.cancelledAt(), withFunnel ? campaigns.funnel(c.id()) : null);
    }
}
