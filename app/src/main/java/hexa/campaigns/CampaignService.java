package hexa.campaigns;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.contacts.Contact;
import hexa.contacts.ContactAudiences;
import hexa.contacts.ContactSegments;
import hexa.contacts.ContactService;
import hexa.platform.Ids;
import hexa.platform.database.AfterCommit;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.MessageToSend;
import hexa.whatsapp.OutboundQueue;
import hexa.whatsapp.SendService;
import hexa.whatsapp.Template;
import hexa.whatsapp.TemplateService;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Campaigns as their pages and the API use them: a DRAFT is created and changed; it is started now or scheduled (at a
 * time in a zone, or on a date at an hour of each recipient's own day); a sending one is paused and resumed; any that has
 * not ended is cancelled. A change asked in the wrong state is refused (409) saying why. Preparing the audience and
 * sending happen in the background ({@link CampaignDispatcher}). Everything within the current workspace: another
 * workspace's campaign is not found.
 */
@Service
public class CampaignService {

    public static final int MAX_PAGE = 100;
    private static final Duration PAST_TOLERANCE = Duration.ofMinutes(1);

    private final CampaignRows rows;
    private final CampaignAudience audience;
    private final CampaignUploads uploads;
    private final CampaignDispatcher dispatcher;
    private final ConnectionService connections;
    private final TemplateService templates;
    private final ContactSegments segments;
    private final ContactAudiences audiences;
    private final ContactService contacts;
    private final OutboundQueue outbound;
    private final AuditTrail audit;
    private final Clock clock;
    private final CampaignFunnel funnelCounts;
    private final SendService send;

    CampaignService(CampaignFunnel funnelCounts, CampaignRows rows, CampaignAudience audience, CampaignUploads uploads, CampaignDispatcher dispatcher,
                    ConnectionService connections, TemplateService templates, ContactSegments segments, ContactAudiences audiences,
                    ContactService contacts, OutboundQueue outbound, AuditTrail audit, SendService send, Clock clock) {
        this.funnelCounts = funnelCounts;
        this.send = send;
        this.rows = rows;
        this.audience = audience;
        this.uploads = uploads;
        this.dispatcher = dispatcher;
        this.connections = connections;
        this.templates = templates;
        this.segments = segments;
        this.audiences = audiences;
        this.contacts = contacts;
        this.outbound = outbound;
        this.audit = audit;
        this.clock = clock;
    }

    // ---- drafts

    /** A new DRAFT, checked against the workspace: its numbers, template(s) and variables, audience. */
    @Transactional
    public Campaign create(CampaignDraft draft) {
        Instant now = clock.instant();
        Campaign campaign = checked(Ids.newId(), draft, now);
        rows.insert(campaign);
        saveSchedule(campaign.id(), draft.schedule(), now);
        if (draft.upload() != null) {
            rows.writeChosen(campaign.id(), uploads.read(draft.upload(), campaign.audience().upload()).contactIds());
        }
        audit.record(AuditEntry.of("campaign.created").target("campaign", campaign.id(), campaign.name()));
        return get(campaign.id());
    }

    /** Changes a DRAFT (everything given replaces what it had); 409 once it has been scheduled or started. */
    @Transactional
    public Campaign update(UUID id, CampaignDraft draft) {
        Campaign before = rows.lock(id).orElseThrow(NotFoundException::new);
        requireState(before, "update", Campaign.Status.DRAFT);
        Instant now = clock.instant();
        Campaign campaign = checked(id, draft, now);
        rows.updateDraft(campaign, now);
        saveSchedule(id, draft.schedule(), now);
        if (draft.upload() != null || before.audience().upload() != null) {
            rows.forgetChosen(id);
        }
        if (draft.upload() != null) {
            rows.writeChosen(id, uploads.read(draft.upload(), campaign.audience().upload()).contactIds());
        }
        audit.record(AuditEntry.of("campaign.updated").target("campaign", id, campaign.name()));
        return get(id);
    }

    // ---- starting and stopping

    /**
     * Starts the campaign now ({@code schedule} null and none saved on the draft: PREPARING, then SENDING once its audience is
     * written, within seconds) or schedules it (SCHEDULED). A scheduled campaign may be scheduled again to move it. A time
     * already past is refused.
     */
    @Transactional
    public Campaign schedule(UUID id, CampaignDraft.Schedule schedule) {
        Campaign campaign = rows.lock(id).orElseThrow(NotFoundException::new);
        requireState(campaign, "schedule", Campaign.Status.DRAFT, Campaign.Status.SCHEDULED);
        if (campaign.connectionIds().isEmpty()) {
            throw UserError.invalid("campaigns.invalid.no-number");
        }
        Instant now = clock.instant();
        if (schedule == null && campaign.status() == Campaign.Status.DRAFT) {
            schedule = savedSchedule(campaign);
        }
        Map<String, Object> set = new HashMap<>();
        AuditEntry entry;
        Map<String, Object> details = new LinkedHashMap<>();
        if (schedule == null) {
            set.put("status", Campaign.Status.PREPARING);
            set.put("send_at", now);
            set.put("started_at", now);
            set.put("time_zone", null);
            set.put("local_hour", null);
            set.put("local_date", null);
            entry = AuditEntry.of("campaign.started");
        } else {
            Instant sendAt = when(schedule, now);
            set.put("status", Campaign.Status.SCHEDULED);
            set.put("send_at", sendAt);
            set.put("time_zone", schedule.timeZone());
            set.put("local_hour", schedule.localHour() == null ? null : schedule.localHour().shortValue());
            set.put("local_date", schedule.date());
            entry = AuditEntry.of("campaign.scheduled");
            details.put("sendAt", sendAt.toString());
            if (schedule.timeZone() != null) {
                details.put("timeZone", schedule.timeZone());
            }
            if (schedule.localHour() != null) {
                details.put("localHour", schedule.localHour());
                details.put("date", schedule.date().toString());
            }
        }
        rows.move(id, List.of(campaign.status()), now, set);
        audit.record(entry.target("campaign", id, campaign.name()).details(details));
        AfterCommit.run(dispatcher::wake);
        return get(id);
    }

    /** Pauses a campaign being prepared or sent: nothing more is handed to the send queue (what is there leaves within seconds). */
    @Transactional
    public Campaign pause(UUID id) {
        Campaign campaign = rows.lock(id).orElseThrow(NotFoundException::new);
        requireState(campaign, "pause", Campaign.Status.PREPARING, Campaign.Status.SENDING);
        Instant now = clock.instant();
        rows.move(id, List.of(campaign.status()), now, Map.of("status", Campaign.Status.PAUSED, "paused_at", now));
        audit.record(AuditEntry.of("campaign.paused").target("campaign", id, campaign.name()));
        return get(id);
    }

    /** Resumes a paused campaign where it stopped (also one paused because something was wrong, once it is put right). */
    @Transactional
    public Campaign resume(UUID id) {
        Campaign campaign = rows.lock(id).orElseThrow(NotFoundException::new);
        requireState(campaign, "resume", Campaign.Status.PAUSED);
        Instant now = clock.instant();
        Map<String, Object> set = new HashMap<>();
        set.put("status", campaign.preparedAt() == null ? Campaign.Status.PREPARING : Campaign.Status.SENDING);
        set.put("paused_at", null);
        set.put("failure", null);
        rows.move(id, List.of(Campaign.Status.PAUSED), now, set);
        audit.record(AuditEntry.of("campaign.resumed").target("campaign", id, campaign.name()));
        AfterCommit.run(dispatcher::wake);
        return get(id);
    }

    /**
     * Cancels a campaign that has not ended: recipients not yet handed over are CANCELLED, and so are those whose messages
     * are still in the send queue untouched (taken back); a message a sender has begun to send finishes.
     */
    @Transactional
    public Campaign cancel(UUID id) {
        Campaign campaign = rows.lock(id).orElseThrow(NotFoundException::new);
        if (campaign.status().ended()) {
            throw conflict("cancel", campaign);
        }
        Instant now = clock.instant();
        rows.move(id, List.of(campaign.status()), now, Map.of("status", Campaign.Status.CANCELLED, "cancelled_at", now));
        List<UUID> withdrawn = outbound.withdrawQueued(CampaignDispatcher.SENDER_KIND, id, Text.t("campaigns.withdrawn"));
        int cancelled = rows.cancel(id, withdrawn);
        audit.record(AuditEntry.of("campaign.cancelled").target("campaign", id, campaign.name())
                .details(Map.of("recipientsCancelled", cancelled, "messagesWithdrawn", withdrawn.size())));
        return get(id);
    }

    // ---- reading

    public Optional<Campaign> find(UUID id) {
        return rows.find(id);
    }

    /** The campaign, or not found (another workspace's too). */
    public Campaign get(UUID id) {
        return rows.find(id).orElseThrow(NotFoundException::new);
    }

    /** A page of campaigns, newest first; {@code nextCursor} null on the last page. */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    public Page<Campaign> list(String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw UserError.invalid("campaigns.invalid.limit", MAX_PAGE);
        }
        Instant afterCreated = null;
        UUID afterId = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("\\|");
                long micros = Long.parseLong(parts[0]);
                afterCreated = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
                afterId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw UserError.invalid("campaigns.invalid.cursor");
            }
        }
        List<Campaign> found = new ArrayList<>(rows.list(afterCreated, afterId, limit));
        String next = null;
        if (found.size() > limit) {
            found = found.subList(0, limit);
            Campaign last = found.get(limit - 1);
            long micros = last.createdAt().getEpochSecond() * 1_000_000L + last.createdAt().getNano() / 1_000;
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        }
        return new Page<>(found, next);
    }

    /**
     * The campaign's funnel ({@link CampaignFunnel}), counted from its recipients' states: how many will get it, the excluded by reason, waiting,
     * queued, sent, delivered, read, replied, clicked, failed by Meta's code, cancelled, and the cost.
     */
    public record Funnel(long recipients, Map<String, Long> excluded, long waiting, long queued, long sent, long delivered, long read,
                         long replied, long clicked, Map<String, Long> failed, long cancelled, Cost cost) {
    }

    public record Cost(String currency, BigDecimal estimate, BigDecimal actual) {
    }

    public Funnel funnel(UUID id) {
        get(id);
        CampaignFunnel.Counts c = funnelCounts.counts(id);
        // Every reason is listed (0 where none), and "recipients" are those the campaign is for: the audience less the excluded.
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (String reason : List.of("NO_CONSENT", "OPTED_OUT", "BLOCKED", "NO_WHATSAPP", "EXCLUDED_TAG", "MISSING_VARIABLE")) {
            reasons.put(reason, c.excluded().getOrDefault(reason, 0L));
        }
        c.excluded().forEach(reasons::putIfAbsent);
        long excluded = c.excluded().values().stream().mapToLong(Long::longValue).sum();
        return new Funnel(c.recipients() - excluded, reasons, c.waiting(), c.queued(), c.sent(), c.delivered(), c.read(), c.replied(), c.clicked(),
                c.failed(), c.cancelled(), new Cost(c.cost().currency(), c.cost().estimate(), c.cost().actual()));
    }

    /** One recipient as the campaign's list shows it. */
    public record Recipient(UUID contactId, String name, String phone, String state, String exclusion, String variant, UUID connectionId,
                            String country, Instant dueAt, UUID messageId, Instant queuedAt, Instant sentAt, Instant deliveredAt,
                            Instant readAt, Instant repliedAt, Instant failedAt, Integer errorCode, String errorTitle) {
    }

    static final List<String> STATES = List.of("EXCLUDED", "WAITING", "QUEUED", "SENT", "DELIVERED", "READ", "FAILED", "CANCELLED");

    /** The campaign's recipients in a state (null: all) whose name or number contains {@code q} (null: any), a page at a time. */
    public Page<Recipient> recipients(UUID id, String state, String q, String cursor, int limit) {
        get(id);
        if (limit < 1 || limit > 500) {
            throw UserError.invalid("campaigns.invalid.limit", 500);
        }
        String wanted = state == null || state.isBlank() ? null : state.strip().toUpperCase(java.util.Locale.ROOT);
        if (wanted != null && !STATES.contains(wanted)) {
            throw UserError.invalid("campaigns.invalid.state", state, String.join(", ", STATES));
        }
        UUID after = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = UUID.fromString(cursor.strip());
            } catch (IllegalArgumentException e) {
                throw UserError.invalid("campaigns.invalid.cursor");
            }
        }
        String words = q == null || q.isBlank() ? null : q.strip();
        List<CampaignRows.Recipient> found = new ArrayList<>(rows.recipients(id, wanted, words, after, limit));
        String next = null;
        if (found.size() > limit) {
            found = found.subList(0, limit);
            next = found.get(limit - 1).contactId().toString();
        }
        return new Page<>(found.stream().map(r -> new Recipient(r.contactId(), r.name(), r.phone(), r.state(), r.exclusion(), r.variant(),
                r.connectionId(), r.country(), r.dueAt(), r.messageId(), r.queuedAt(), r.sentAt(), r.deliveredAt(), r.readAt(), r.repliedAt(),
                r.failedAt(), r.errorCode(), r.errorTitle())).toList(), next);
    }

    /**
     * The message as it will look for a few real recipients ({@code sample} at most): each one's template filled with their
     * values, or {@code missingVariable} when one of theirs has neither a value nor a fallback. Before the campaign starts,
     * the sample is drawn from its audience's first contacts who may get it.
     */
    public record Preview(UUID contactId, String name, String variant, boolean missingVariable, String header, String body, String footer,
                          List<String> buttons) {
    }

    public List<Preview> preview(UUID id, int sample) {
        Campaign campaign = get(id);
        int n = Math.max(1, Math.min(sample, 20));
        List<UUID> ids = rows.sample(id, n);
        if (ids.isEmpty() && campaign.audience().upload() == null && campaign.audience().followUpOf() == null) {
            ids = audiences.page(new ContactAudiences.Audience(audience.filter(campaign.audience()), null, campaign.audience().excludeTags(),
                            campaign.marketing()), null, ContactAudiences.MAX_PAGE).stream()
                    .filter(m -> m.standing() == ContactAudiences.Standing.ALLOWED).limit(n).map(ContactAudiences.Member::contactId).toList();
        }
        Map<UUID, Contact> people = contacts.byIds(ids);
        CampaignAudience.Versions versions = audience.versions(campaign);
        List<Preview> previews = new ArrayList<>();
        for (UUID contactId : ids) {
            Contact contact = people.get(contactId);
            if (contact == null) {
                continue;
            }
            String variant = CampaignAudience.variant(campaign, contactId);
            Optional<MessageToSend.Template> message = versions.render(variant, contact);
            Optional<Template> template = audience.template(campaign, campaign.version(variant));
            if (message.isEmpty()) {
                previews.add(new Preview(contactId, contact.displayName(), variant, true, null, null, null, List.of()));
                continue;
            }
            if (template.isEmpty()) {
                String values = message.get().body().stream().map(MessageToSend.Parameter::value).reduce((a, b) -> a + " · " + b).orElse("");
                previews.add(new Preview(contactId, contact.displayName(), variant, false, null, message.get().name() + ": " + values, null, List.of()));
                continue;
            }
            Template.Layout layout = template.get().filled(message.get().metaObject().get("template"));
            String header = layout.header();
            Optional<String> file = campaign.version(variant).variables().headerMedia();
            if (layout.headerMedia() != null && file.isPresent()) {
                // The file is the same for everyone, and goes to Meta only when the campaign sends: its kind and name stand for it.
                header = "[" + layout.headerMedia() + ": " + headerFileName(file.get()) + "]";
            }
            previews.add(new Preview(contactId, contact.displayName(), variant, false, header, layout.body(), layout.footer(),
                    layout.buttons().stream().map(Template.Layout.Button::text).toList()));
        }
        return previews;
    }

    // ---- checks

    private Campaign checked(UUID id, CampaignDraft draft, Instant now) {
        if (draft.name() == null || draft.name().isBlank() || draft.name().strip().length() > CampaignDraft.MAX_NAME) {
            throw UserError.invalid("campaigns.invalid.name", CampaignDraft.MAX_NAME);
        }
        if (draft.template() == null) {
            throw UserError.invalid("campaigns.invalid.template", "template");
        }
        if (draft.audience() == null) {
            throw UserError.invalid("campaigns.invalid.audience-kind");
        }
        List<UUID> numbers = numbers(draft.numbers());
        String waba = connections.connection(numbers.get(0)).wabaId();
        CampaignVariables.Spec variables = draft.variables() == null ? CampaignVariables.Spec.NONE : draft.variables();
        String category = checkTemplate(waba, draft.template().name(), draft.template().language(), variables);
        CampaignDraft.AbTest ab = draft.ab();
        if (ab != null) {
            ab = ab.withCategory(checkTemplate(waba, ab.templateName(), ab.templateLanguage(), ab.variables()));
        }
        checkAudience(draft.audience(), id);
        Actor actor = TenantContext.actor();
        return new Campaign(id, draft.name().strip(), Campaign.Status.DRAFT, draft.template().name(), draft.template().language(), category,
                variables, ab, null, null, draft.audience(), numbers, null, null, null, null,
                draft.audience().followUpOf(), draft.audience().rule(), null, actor.userId(), now, now, null, null, null, null, null, null, null);
    }

    /** The numbers by their phone number ids; none given: the workspace's only, or first, number. */
    private List<UUID> numbers(List<String> phoneNumberIds) {
        List<ConnectionService.View> all = connections.connections();
        if (all.isEmpty()) {
            throw UserError.invalid("campaigns.invalid.no-number");
        }
        if (phoneNumberIds == null || phoneNumberIds.isEmpty()) {
            return List.of(all.get(0).id());
        }
        List<UUID> ids = new ArrayList<>();
        for (String phoneNumberId : phoneNumberIds) {
            UUID found = all.stream().filter(c -> c.phoneNumberId().equals(phoneNumberId) || c.id().toString().equals(phoneNumberId))
                    .map(ConnectionService.View::id).findFirst()
                    .orElseThrow(() -> UserError.invalid("campaigns.invalid.number-unknown", phoneNumberId));
            if (!ids.contains(found)) {
                ids.add(found);
            }
        }
        return ids;
    }

    /** The template's category when the account knows it; an unknown template is taken as marketing until it is synced. */
    private String checkTemplate(String waba, String name, String language, CampaignVariables.Spec variables) {
        Optional<String> media = variables.headerMedia();
        media.ifPresent(this::headerFile); // the upload must be the workspace's, even before the template is synced
        Optional<Template> known = templates.find(waba, name, language);
        if (known.isEmpty()) {
            return null;
        }
        Template template = known.get();
        if (!template.sendable()) {
            throw new UserError(HttpStatus.BAD_REQUEST, "invalid_request", "campaigns.invalid.template-not-approved", name, language,
                    template.status());
        }
        if (template.hasMediaHeader() || media.isPresent()) {
            checkHeaderMedia(template, media);
            if (template.bodyParameterCount() != variables.body().size()) {
                throw UserError.invalid("campaigns.invalid.body-variables", name, template.bodyParameterCount(), variables.body().size());
            }
            return template.category();
        }
        if (template.bodyParameterCount() != variables.body().size()) {
            throw UserError.invalid("campaigns.invalid.body-variables", name, template.bodyParameterCount(), variables.body().size());
        }
        if (template.headerParameters().size() != variables.header().size()) {
            throw UserError.invalid("campaigns.invalid.header-variables", name, template.headerParameters().size(), variables.header().size());
        }
        return template.category();
    }

    /**
     * A template with an image, video or document header takes the file from an upload (variables.header: one parameter
     * of source MEDIA) of the header's kind; any other template takes none.
     */
    private void checkHeaderMedia(Template template, Optional<String> media) {
        String format = template.headerFormat();
        if (!template.hasMediaHeader()) {
            throw UserError.invalid("campaigns.invalid.header-media-not-taken", template.name(), format == null ? "NONE" : format);
        }
        if (media.isEmpty()) {
            throw UserError.invalid("campaigns.invalid.header-media-missing", template.name(), format);
        }
        SendService.UploadedFile file = headerFile(media.get());
        if (!file.fitsHeader(format)) {
            throw UserError.invalid("campaigns.invalid.header-media-kind", template.name(), format, file.filename(), file.mimeType());
        }
    }

    /** An upload of the workspace named by a MEDIA parameter; none (or another workspace's): a clear 400. */
    private SendService.UploadedFile headerFile(String uploadId) {
        try {
            return send.uploadedFile(UUID.fromString(uploadId));
        } catch (UserError unknown) {
            throw UserError.invalid("campaigns.invalid.header-media-unknown", uploadId);
        }
    }

    /** The name of a media header's file for a preview (the id if the upload is gone meanwhile). */
    private String headerFileName(String uploadId) {
        try {
            return send.uploadedFile(UUID.fromString(uploadId)).filename();
        } catch (UserError gone) {
            return uploadId;
        }
    }

    private void checkAudience(CampaignDraft.Audience audience, UUID self) {
        if (audience.segmentId() != null && segments.find(audience.segmentId()).isEmpty()) {
            throw UserError.invalid("campaigns.invalid.segment-unknown", audience.segmentId());
        }
        if (audience.filter() != null) {
            audiences.check(audience.filter());
        }
        if (audience.tags() != null) {
            audiences.check(this.audience.filter(audience));
        }
        if (audience.followUpOf() != null && (audience.followUpOf().equals(self) || rows.find(audience.followUpOf()).isEmpty())) {
            throw UserError.invalid("campaigns.invalid.follow-up-unknown", audience.followUpOf());
        }
        new ContactAudiences.Audience(hexa.contacts.ContactFilter.EVERYONE, null, audience.excludeTags(), false);
    }

    private Instant when(CampaignDraft.Schedule schedule, Instant now) {
        if (schedule.localHour() != null) {
            // The last zone (UTC-12) reaching that hour on that day must still be ahead.
            Instant last = schedule.date().atTime(schedule.localHour(), 0).atZone(ZoneId.of("-12:00")).toInstant();
            if (last.isBefore(now.minus(PAST_TOLERANCE))) {
                throw UserError.invalid("campaigns.invalid.past", schedule.date() + " " + schedule.localHour() + ":00");
            }
            return RecipientZones.earliest(schedule.date(), schedule.localHour());
        }
        Instant at = schedule.at().atZone(ZoneId.of(schedule.timeZone())).toInstant();
        if (at.isBefore(now.minus(PAST_TOLERANCE))) {
            throw UserError.invalid("campaigns.invalid.past", schedule.at() + " " + schedule.timeZone());
        }
        return at;
    }

    /** A draft keeps the schedule it was created with, used when it is scheduled without one. */
    private void saveSchedule(UUID id, CampaignDraft.Schedule schedule, Instant now) {
        Map<String, Object> set = new HashMap<>();
        if (schedule != null && schedule.localHour() == null) {
            when(schedule, now);
        }
        set.put("send_at", schedule == null || schedule.at() == null ? null : schedule.at().atZone(ZoneId.of(schedule.timeZone())).toInstant());
        set.put("time_zone", schedule == null ? null : schedule.timeZone());
        set.put("local_hour", schedule == null || schedule.localHour() == null ? null : schedule.localHour().shortValue());
        set.put("local_date", schedule == null ? null : schedule.date());
        rows.move(id, List.of(Campaign.Status.DRAFT), now, set);
    }

    private static CampaignDraft.Schedule savedSchedule(Campaign campaign) {
        if (campaign.localHour() != null && campaign.localDate() != null) {
            return CampaignDraft.Schedule.localHour(campaign.localHour(), campaign.localDate());
        }
        if (campaign.sendAt() != null && campaign.timeZone() != null) {
            return CampaignDraft.Schedule.at(LocalDateTime.ofInstant(campaign.sendAt(), ZoneId.of(campaign.timeZone())), campaign.timeZone());
        }
        return null;
    }

    private static void requireState(Campaign campaign, String action, Campaign.Status... allowed) {
        if (!List.of(allowed).contains(campaign.status())) {
            throw conflict(action, campaign);
        }
    }

    private static UserError conflict(String action, Campaign campaign) {
        return UserError.conflict("campaigns.conflict." + action, campaign.name(), Text.t("campaigns.status." + campaign.status().name().toLowerCase(java.util.Locale.ROOT)));
    }
}
