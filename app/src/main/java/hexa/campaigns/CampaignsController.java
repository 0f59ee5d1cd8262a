package hexa.campaigns;

import hexa.contacts.ContactSearch;
import hexa.contacts.ContactSegments;
import hexa.identity.WorkspaceService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.Template;
import hexa.whatsapp.TemplateService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Campaigns (Supervisors and up): the list; the form of a new campaign and of a draft (audience, template with a value
 * for each placeholder, numbers, when, an optional A/B test), refused fields shown at their place with nothing typed lost;
 * a campaign's page with its buttons, its audience and a preview before it is sent, its funnel kept live through
 * server-sent events ({@link CampaignsLiveController}) and its recipients. Everything through {@link CampaignService},
 * which checks the workspace and writes the audit trail; another workspace's campaign is not found.
 */
@Controller
class CampaignsController {

    static final int PAGE = 20;
    static final int RECIPIENTS_PAGE = 50;
    static final int PREVIEW_SAMPLE = 3;
    static final long MAX_UPLOAD_BYTES = 20L * 1024 * 1024;

    private final CampaignService campaigns;
    private final CampaignFigures figures;
    private final ConnectionService connections;
    private final TemplateService templates;
    private final ContactSegments segments;
    private final ContactSearch search;
    private final WorkspaceService workspaces;

    private final CampaignFollowUps followUps;
    private final CampaignRecipientList recipientList;

    CampaignsController(CampaignService campaigns, CampaignFigures figures, ConnectionService connections, TemplateService templates,
                        ContactSegments segments, ContactSearch search, WorkspaceService workspaces, CampaignFollowUps followUps,
                        CampaignRecipientList recipientList) {
        this.followUps = followUps;
        this.recipientList = recipientList;
        this.campaigns = campaigns;
        this.figures = figures;
        this.connections = connections;
        this.templates = templates;
        this.segments = segments;
        this.search = search;
        this.workspaces = workspaces;
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns")
    String list(@RequestParam(required = false) String cursor, Model model) {
        CampaignService.Page<Campaign> page;
        try {
            page = campaigns.list(cursor, PAGE);
        } catch (UserError e) {
            return "redirect:/campaigns";
        }
        Map<UUID, CampaignService.Funnel> funnels = new HashMap<>();
        page.items().forEach(c -> funnels.put(c.id(), figures.funnel(c.id())));
        model.addAttribute("campaigns", page.items());
        model.addAttribute("funnels", funnels);
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("firstPage", cursor == null || cursor.isBlank());
        return "campaigns/list";
    }

    // ---- the form

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns/new")
    String newForm(Model model) {
        List<ConnectionService.View> numbers = connections.connections();
        CampaignForm form = CampaignForm.blank(numbers.size() == 1 ? List.of(numbers.get(0).id().toString()) : List.of(),
                workspaces.current().timeZone().getId());
        return form(form, model);
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/campaigns")
    String create(HttpServletRequest request, @RequestParam(value = "uploadFile", required = false) MultipartFile file, Model model,
                  HttpServletResponse response, RedirectAttributes redirect) {
        CampaignForm form = CampaignForm.read(request.getParameterMap(), fileName(file), fileText(file));
        try {
            Campaign created = campaigns.create(form.draft());
            Notices.success(redirect, "campaigns.page.created", created.name());
            return "redirect:/campaigns/" + created.id();
        } catch (CampaignForm.Invalid e) {
            response.setStatus(400);
            return form(form.withErrors(e.problems()), model);
        } catch (UserError e) {
            response.setStatus(e.status().value());
            return form(form.withErrors(Map.of(form.fieldOf(e), e.text())), model);
        }
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns/{id}/edit")
    String editForm(@PathVariable String id, Model model, RedirectAttributes redirect) {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        if (campaign.status() != Campaign.Status.DRAFT) {
            Notices.warning(redirect, "campaigns.page.not-a-draft", campaign.name());
            return "redirect:/campaigns/" + campaign.id();
        }
        return form(CampaignForm.of(campaign, workspaces.current().timeZone().getId()), model);
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/campaigns/{id}")
    String update(@PathVariable String id, HttpServletRequest request, @RequestParam(value = "uploadFile", required = false) MultipartFile file,
                  Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        CampaignForm form = CampaignForm.read(request.getParameterMap(), fileName(file), fileText(file)).withId(campaign.id());
        try {
            campaigns.update(campaign.id(), form.draft());
            Notices.success(redirect, "campaigns.page.saved", form.name().strip());
            return "redirect:/campaigns/" + campaign.id();
        } catch (CampaignForm.Invalid e) {
            response.setStatus(400);
            return form(form.withErrors(e.problems()), model);
        } catch (UserError e) {
            response.setStatus(e.status().value());
            return form(form.withErrors(Map.of(form.fieldOf(e), e.text())), model);
        }
    }

    /** The placeholders' values of the template chosen for version A or B, as the form stands (htmx, on choosing a template). */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/campaigns/form/variables")
    String variables(HttpServletRequest request, @RequestParam(defaultValue = "A") String version, Model model) {
        CampaignForm form = CampaignForm.read(request.getParameterMap(), null, null);
        String chosen = "B".equals(version) ? form.abTemplate() : form.template();
        model.addAttribute("form", form);
        model.addAttribute("version", "B".equals(version) ? "B" : "A");
        model.addAttribute("template", template(chosen).orElse(null));
        model.addAttribute("fields", CampaignVariables.FIELDS);
        model.addAttribute("attributes", search.attributes());
        return "campaigns/variables";
    }

    private String form(CampaignForm form, Model model) {
        List<Template> approved = approved();
        model.addAttribute("form", form);
        model.addAttribute("templates", approved);
        model.addAttribute("templateA", template(form.template()).orElse(null));
        model.addAttribute("templateB", template(form.abTemplate()).orElse(null));
        model.addAttribute("segments", segments.all());
        model.addAttribute("tagsInUse", search.tagsInUse());
        model.addAttribute("numbers", connections.connections());
        model.addAttribute("fields", CampaignVariables.FIELDS);
        model.addAttribute("attributes", search.attributes());
        model.addAttribute("zones", zones());
        return "campaigns/form";
    }

    // ---- a campaign

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns/{id}")
    String show(@PathVariable String id, @RequestParam(required = false) String state, @RequestParam(required = false) String q,
                @RequestParam(required = false) String cursor, Model model) {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        model.addAttribute("campaign", campaign);
        funnel(campaign, model);
        model.addAttribute("numbers", numberNames(campaign));
        model.addAttribute("templateA", template(campaign.templateName() + "|" + campaign.templateLanguage()).orElse(null));
        recipients(campaign, state, q, cursor, model);
        return "campaigns/campaign";
    }

    /** The status and the buttons (htmx, when the live stream says the status changed). */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns/{id}/status")
    String status(@PathVariable String id, Model model) {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        model.addAttribute("campaign", campaign);
        return "campaigns/status";
    }

    /** The funnel (htmx, when the live stream says it moved). */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns/{id}/funnel")
    String funnel(@PathVariable String id, Model model) {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        model.addAttribute("campaign", campaign);
        funnel(campaign, model);
        return "campaigns/funnel";
    }

    private void funnel(Campaign campaign, Model model) {
        CampaignService.Funnel funnel = figures.funnel(campaign.id());
        Map<String, String> words = new LinkedHashMap<>();
        funnel.failed().keySet().forEach(code -> words.put(code, figures.failure(code)));
        model.addAttribute("funnel", funnel);
        model.addAttribute("failureWords", words);
    }

    /** The message as a few real recipients will get it (htmx). */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns/{id}/preview")
    String preview(@PathVariable String id, Model model) {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        model.addAttribute("campaign", campaign);
        model.addAttribute("previews", campaigns.preview(campaign.id(), PREVIEW_SAMPLE));
        return "campaigns/preview";
    }

    /** Who the audience reaches and who not, by reason, before it is sent (htmx). */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns/{id}/audience")
    String audience(@PathVariable String id, Model model) {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        model.addAttribute("campaign", campaign);
        try {
            CampaignFigures.AudienceCount count = figures.count(campaign);
            model.addAttribute("contacts", count.contacts());
            model.addAttribute("reached", count.reached());
            model.addAttribute("excluded", count.excluded());
            model.addAttribute("more", count.more());
            model.addAttribute("estimate", count.estimate().toPlainString() + " " + count.currency());
            model.addAttribute("problem", null);
        } catch (UserError e) {
            model.addAttribute("contacts", 0L);
            model.addAttribute("reached", 0L);
            model.addAttribute("excluded", Map.<String, Long>of());
            model.addAttribute("more", false);
            model.addAttribute("estimate", null);
            model.addAttribute("problem", e.text());
        }
        return "campaigns/audience";
    }

    /** The recipients table (htmx: filtering, searching and paging replace the table alone). */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns/{id}/recipients")
    String recipients(@PathVariable String id, @RequestParam(required = false) String state, @RequestParam(required = false) String q,
                      @RequestParam(required = false) String cursor, HttpServletRequest request, Model model) {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        if (request.getHeader("HX-Request") == null) {
            return show(id, state, q, cursor, model);
        }
        model.addAttribute("campaign", campaign);
        recipients(campaign, state, q, cursor, model);
        return "campaigns/recipients";
    }

    private void recipients(Campaign campaign, String state, String q, String cursor, Model model) {
        String wanted = state == null || state.isBlank() || !CampaignService.STATES.contains(state.strip().toUpperCase(java.util.Locale.ROOT))
                ? "" : state.strip().toUpperCase(java.util.Locale.ROOT);
        String words = q == null ? "" : q.strip();
        CampaignService.Page<CampaignService.Recipient> page;
        try {
            page = campaigns.recipients(campaign.id(), wanted.isEmpty() ? null : wanted, words.isEmpty() ? null : words, cursor, RECIPIENTS_PAGE);
        } catch (UserError e) {
            page = campaigns.recipients(campaign.id(), wanted.isEmpty() ? null : wanted, words.isEmpty() ? null : words, null, RECIPIENTS_PAGE);
            cursor = null;
        }
        model.addAttribute("recipients", page);
        model.addAttribute("state", wanted);
        model.addAttribute("q", words);
        model.addAttribute("paged", cursor != null && !cursor.isBlank());
        model.addAttribute("states", CampaignService.STATES);
    }

    // ---- actions (each one audited by the service)

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/campaigns/{id}/start")
    String start(@PathVariable String id, RedirectAttributes redirect) {
        return act(id, redirect, c -> {
            Campaign after = campaigns.schedule(c.id(), null);
            return after.status() == Campaign.Status.SCHEDULED ? "campaigns.page.scheduled" : "campaigns.page.started";
        });
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/campaigns/{id}/pause")
    String pause(@PathVariable String id, RedirectAttributes redirect) {
        return act(id, redirect, c -> {
            campaigns.pause(c.id());
            return "campaigns.page.paused";
        });
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/campaigns/{id}/resume")
    String resume(@PathVariable String id, RedirectAttributes redirect) {
        return act(id, redirect, c -> {
            campaigns.resume(c.id());
            return "campaigns.page.resumed";
        });
    }

    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/campaigns/{id}/cancel")
    String cancel(@PathVariable String id, RedirectAttributes redirect) {
        return act(id, redirect, c -> {
            campaigns.cancel(c.id());
            return "campaigns.page.cancelled";
        });
    }

    /**
     * "Send again to those who did not read (or reply)": a new draft to the recipients of this campaign that match the rule,
     * with the same template, values and numbers ({@link CampaignFollowUps#create}).
     */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @PostMapping("/campaigns/{id}/follow-up")
    String followUp(@PathVariable String id, @RequestParam(defaultValue = "NOT_READ") String rule, RedirectAttributes redirect) {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        String chosen = "NOT_REPLIED".equals(rule) ? "NOT_REPLIED" : "NOT_READ";
        String name = hexa.platform.web.Text.t("campaigns.page.follow-up.name." + chosen.toLowerCase(java.util.Locale.ROOT), campaign.name());
        if (name.length() > CampaignDraft.MAX_NAME) {
            name = name.substring(0, CampaignDraft.MAX_NAME);
        }
        try {
            Campaign draft = campaigns.get(followUps.create(campaign.id(), CampaignFollowUps.Rule.of(chosen), name));
            Notices.success(redirect, "campaigns.page.follow-up.created", draft.name());
            return "redirect:/campaigns/" + draft.id();
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
            return "redirect:/campaigns/" + campaign.id();
        }
    }

    /** The recipients as CSV, as filtered ({@link CampaignRecipientList#exportCsv}: formulas neutralised). */
    @Requires(Permission.MANAGE_CAMPAIGNS)
    @GetMapping("/campaigns/{id}/recipients.csv")
    void csv(@PathVariable String id, @RequestParam(required = false) String state, @RequestParam(required = false) String q,
             HttpServletResponse response) throws IOException {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"campaign-" + campaign.id() + "-recipients.csv\"");
        response.setHeader("Cache-Control", "no-store");
        recipientList.exportCsv(campaign.id(), state == null || state.isBlank() ? null : state, q == null || q.isBlank() ? null : q,
                response.getOutputStream());
    }

    private interface Action {
        String run(Campaign campaign);
    }

    private String act(String id, RedirectAttributes redirect, Action action) {
        Campaign campaign = campaigns.get(Ids.parseOrNotFound(id));
        try {
            Notices.success(redirect, action.run(campaign), campaign.name());
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/campaigns/" + campaign.id();
    }

    // ---- what the pages choose from

    private List<Template> approved() {
        return templates.templates().stream().filter(Template::sendable)
                .sorted(Comparator.comparing(Template::name).thenComparing(Template::language)).toList();
    }

    private Optional<Template> template(String value) {
        CampaignDraft.TemplateRef ref = CampaignForm.templateRef(value);
        if (ref == null) {
            return Optional.empty();
        }
        return templates.templates().stream().filter(t -> t.name().equals(ref.name()) && t.language().equals(ref.language()))
                .min(Comparator.comparing(t -> t.sendable() ? 0 : 1));
    }

    private Map<UUID, String> numberNames(Campaign campaign) {
        Map<UUID, String> names = new LinkedHashMap<>();
        Map<UUID, ConnectionService.View> all = new HashMap<>();
        connections.connections().forEach(v -> all.put(v.id(), v));
        for (UUID id : campaign.connectionIds()) {
            ConnectionService.View v = all.get(id);
            names.put(id, v == null ? id.toString() : v.displayPhoneNumber() + (v.verifiedName() == null ? "" : " · " + v.verifiedName()));
        }
        return names;
    }

    private List<String> zones() {
        List<String> zones = new ArrayList<>(java.time.ZoneId.getAvailableZoneIds().stream().filter(z -> z.contains("/") && !z.startsWith("Etc/")
                && !z.startsWith("SystemV/")).sorted().toList());
        zones.add("UTC");
        return zones;
    }

    private static String fileName(MultipartFile file) {
        return file == null || file.isEmpty() ? null : Optional.ofNullable(file.getOriginalFilename()).map(n -> n.replaceAll("[\\\\/]", "_")).orElse("upload.csv");
    }

    private static String fileText(MultipartFile file) {
        if (file == null || file.isEmpty()) {
            return null;
        }
        if (file.getSize() > MAX_UPLOAD_BYTES) {
            throw UserError.invalid("campaigns.form.invalid.upload-size", MAX_UPLOAD_BYTES / 1024 / 1024);
        }
        try {
            String text = new String(file.getBytes(), StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            throw UserError.invalid("campaigns.invalid.upload-unreadable");
        }
    }
}
