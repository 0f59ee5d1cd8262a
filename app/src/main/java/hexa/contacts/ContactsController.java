package hexa.contacts;

import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The contact list ({@code /contacts}): search, filters, keyset pages, saved segments, and for those who may, bulk
 * actions and CSV export of a selection or of everything a filter matches. Works without script: bulk actions go
 * through a confirmation page that shows the count before anything changes.
 */
@Controller
class ContactsController {

    private static final int PAGE_SIZE = 50;

    private final ContactSearch search;
    private final ContactSegments segments;
    private final ContactBulk bulk;
    private final ContactExport export;
    private final MemberService members;
    private final Clock clock;

    ContactsController(ContactSearch search, ContactSegments segments, ContactBulk bulk, ContactExport export, MemberService members, Clock clock) {
        this.search = search;
        this.segments = segments;
        this.bulk = bulk;
        this.export = export;
        this.members = members;
        this.clock = clock;
    }

    @Requires(Permission.USE_CONTACTS)
    @GetMapping("/contacts")
    String list(@RequestParam MultiValueMap<String, String> params, Model model) {
        ContactSegments.Segment active = null;
        String segment = params.getFirst("segment");
        if (segment != null && !segment.isBlank()) {
            active = segments.get(Ids.parseOrNotFound(segment.strip()));
        }
        // The jobs are read before the contacts: a job read as ended has its changes in the list read after it.
        boolean canManage = TenantContext.actor().can(Permission.MANAGE_CONTACTS);
        List<BulkJob> jobs = canManage ? bulkJobs(params.getFirst("bulk")) : List.of();
        ContactFilter filter = ContactFilter.EVERYONE;
        ContactSearch.Sort sort = ContactSearch.Sort.ACTIVITY;
        ContactSearch.Page page = new ContactSearch.Page(List.of(), java.util.Map.of(), null, null);
        long matched = 0;
        String problem = null;
        try {
            filter = active != null ? active.filter() : ContactFilter.fromParams(params);
            sort = ContactSearch.Sort.of(params.getFirst("sort"));
            page = search.page(filter, sort, params.getFirst("cursor"), params.getFirst("before"), PAGE_SIZE);
            matched = search.countUpTo(filter, ContactListModel.COUNT_CAP);
        } catch (UserError e) {
            problem = e.text();
        }
        boolean any = !page.contacts().isEmpty() || search.countUpTo(ContactFilter.EVERYONE, 1) > 0;
        ContactListModel list = new ContactListModel(filter, sort, page, matched, search.tagsInUse(), search.attributes(), members.members(),
                segments.all(), active, canManage, any, problem);
        model.addAttribute("list", list);
        model.addAttribute("bulkJobs", jobs);
        model.addAttribute("bulkBack", list.queryWithSort().isEmpty() ? "/contacts" : "/contacts?" + list.queryWithSort());
        return "contacts/list";
    }

    /** Saves the filter shown as a segment ({@code filter} is the list's query string). */
    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/segments")
    String saveSegment(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String filter, RedirectAttributes redirect) {
        try {
            ContactSegments.Segment saved = segments.create(name, ContactFilter.fromQuery(filter));
            Notices.success(redirect, "contacts.segments.saved", saved.name());
            return "redirect:/contacts?segment=" + saved.id();
        } catch (UserError e) {
            redirect.addFlashAttribute("notice", e.text());
            redirect.addFlashAttribute("noticeKind", "warning");
            return "redirect:/contacts" + (filter.isBlank() ? "" : "?" + filter);
        }
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/segments/{id}/rename")
    String renameSegment(@PathVariable String id, @RequestParam(defaultValue = "") String name, RedirectAttributes redirect) {
        UUID segment = segments.get(Ids.parseOrNotFound(id)).id();
        try {
            ContactSegments.Segment renamed = segments.update(segment, name, null);
            Notices.success(redirect, "contacts.segments.renamed", renamed.name());
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:/contacts?segment=" + segment;
    }

    @Requires(Permission.USE_CONTACTS)
    @PostMapping("/contacts/segments/{id}/delete")
    String deleteSegment(@PathVariable String id, RedirectAttributes redirect) {
        ContactSegments.Segment segment = segments.get(Ids.parseOrNotFound(id));
        segments.delete(segment.id());
        Notices.success(redirect, "contacts.segments.deleted", segment.name());
        return "redirect:/contacts";
    }

    /** The filter's contacts as CSV (the page's "Export" link). */
    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/contacts/export")
    void exportFilter(@RequestParam MultiValueMap<String, String> params, HttpServletResponse response) throws IOException {
        String segment = params.getFirst("segment");
        ContactFilter filter = segment != null && !segment.isBlank()
                ? segments.get(Ids.parseOrNotFound(segment.strip())).filter() : ContactFilter.fromParams(params);
        ContactSearch.Sort sort = ContactSearch.Sort.of(params.getFirst("sort"));
        search.check(filter);
        ContactListApiController.csv(response, clock.instant());
        export.write(ContactBulk.Target.matching(filter), sort, response.getOutputStream());
    }

    /**
     * A bulk action asked for on the list: {@code action} (tag, untag, owner, delete, export), {@code scope}
     * ({@code selected} with {@code ids}, or {@code filter} with the list's {@code filter}). Export answers the CSV at
     * once; the others show what will happen, with the count, and wait for confirmation.
     */
    @Requires(Permission.MANAGE_CONTACTS)
    @PostMapping("/contacts/bulk")
    String bulk(@RequestParam MultiValueMap<String, String> form, Model model, HttpServletResponse response, RedirectAttributes redirect)
            throws IOException {
        String back = back(form);
        try {
            BulkRequest request = BulkRequest.of(form);
            if (request.action.equals("export")) {
                ContactListApiController.csv(response, clock.instant());
                export.write(request.target, ContactSearch.Sort.of(form.getFirst("sort")), response.getOutputStream());
                return null;
            }
            request.check(members.members());
            ContactBulk.Preview preview = bulk.preview(request.target);
            if (preview.matched() == 0) {
                throw UserError.invalid("contacts.bulk.nothing-matches");
            }
            model.addAttribute("bulk", new BulkConfirmation(request.action, request.target.selection(), request.target.ids(), form.getFirst("filter"),
                    request.tag, request.owner, request.ownerName(members.members()), preview.matched(), preview.withConversations(), back));
            return "contacts/bulk-confirm";
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
            return "redirect:" + back;
        }
    }

    /**
     * The confirmed action: started as a background job, then back to the list, which shows its progress and, once
     * it is done, what happened.
     */
    @Requires(Permission.MANAGE_CONTACTS)
    @PostMapping("/contacts/bulk/apply")
    String apply(@RequestParam MultiValueMap<String, String> form, RedirectAttributes redirect) {
        String back = back(form);
        try {
            BulkRequest request = BulkRequest.of(form);
            request.check(members.members());
            Long expected = null;
            String written = form.getFirst("expected");
            if (written != null && !written.isBlank()) {
                try {
                    expected = Long.parseLong(written.strip());
                } catch (NumberFormatException e) {
                    expected = -1L;
                }
            }
            BulkJob job;
            switch (request.action) {
                case "tag":
                    job = bulk.tag(request.target, request.tag, expected);
                    break;
                case "untag":
                    job = bulk.untag(request.target, request.tag, expected);
                    break;
                case "owner":
                    job = bulk.setOwner(request.target, request.owner, expected);
                    break;
                case "delete":
                    job = bulk.delete(request.target, expected, "true".equals(form.getFirst("withConversations")));
                    break;
                default:
                    throw UserError.invalid("contacts.bulk.action-invalid", request.action);
            }
            return "redirect:" + withJob(back, job.id());
        } catch (UserError e) {
            Notices.warning(redirect, e.messageKey(), e.args());
        }
        return "redirect:" + back;
    }

    /**
     * A bulk job's progress card alone, polled every second by the list while the job runs. When the poll finds it
     * ended, htmx is sent to the list again (the page it polled from, naming the job), which shows the outcome over
     * the contacts as they are now.
     */
    @Requires(Permission.MANAGE_CONTACTS)
    @GetMapping("/contacts/bulk/{id}/progress")
    String progress(@PathVariable String id, @RequestHeader(value = "HX-Request", required = false) String htmx,
                    @RequestHeader(value = "HX-Current-URL", required = false) String current, Model model, HttpServletResponse response) {
        BulkJob job = bulk.job(Ids.parseOrNotFound(id));
        String list = listOf(current);
        if (job.finished() && "true".equals(htmx)) {
            response.setHeader("HX-Redirect", withJob(list, job.id()));
        }
        model.addAttribute("job", job);
        model.addAttribute("back", list);
        return "contacts/bulk-progress";
    }

    /** The list's jobs: those still running in the workspace, and the one just started or ended ({@code ?bulk=}). */
    private List<BulkJob> bulkJobs(String named) {
        List<BulkJob> jobs = new ArrayList<>(bulk.unfinished());
        if (named != null && !named.isBlank()) {
            try {
                BulkJob job = bulk.job(UUID.fromString(named.strip()));
                if (jobs.stream().noneMatch(j -> j.id().equals(job.id()))) {
                    jobs.add(0, job);
                }
            } catch (IllegalArgumentException | hexa.platform.web.NotFoundException e) {
                // an old or mistyped link: the list alone
            }
        }
        return jobs;
    }

    /** The list page a poll came from (path and query of {@code /contacts} only, without a job named), else the plain list. */
    static String listOf(String currentUrl) {
        if (currentUrl == null) {
            return "/contacts";
        }
        try {
            java.net.URI uri = java.net.URI.create(currentUrl);
            if (!"/contacts".equals(uri.getRawPath())) {
                return "/contacts";
            }
            String query = uri.getRawQuery() == null ? "" : java.util.Arrays.stream(uri.getRawQuery().split("&"))
                    .filter(p -> !p.isEmpty() && !p.startsWith("bulk=")).collect(java.util.stream.Collectors.joining("&"));
            return query.isEmpty() ? "/contacts" : "/contacts?" + query;
        } catch (IllegalArgumentException e) {
            return "/contacts";
        }
    }

    private static String withJob(String list, UUID job) {
        return list + (list.contains("?") ? "&" : "?") + "bulk=" + job;
    }

    /** Where to go back to: the list with the filter the action came from. */
    private static String back(MultiValueMap<String, String> form) {
        String filter = form.getFirst("filter");
        if (filter == null || filter.isBlank()) {
            return "/contacts";
        }
        try {
            return "/contacts?" + ContactFilter.fromQuery(filter).toQuery();
        } catch (UserError e) {
            return "/contacts";
        }
    }

    /** A bulk action as the list's form sends it. */
    private static final class BulkRequest {
        final String action;
        final ContactBulk.Target target;
        final String tag;
        final UUID owner;

        private BulkRequest(String action, ContactBulk.Target target, String tag, UUID owner) {
            this.action = action;
            this.target = target;
            this.tag = tag;
            this.owner = owner;
        }

        static BulkRequest of(MultiValueMap<String, String> form) {
            String action = String.valueOf(form.getFirst("action")).toLowerCase(Locale.ROOT);
            if (!List.of("tag", "untag", "owner", "delete", "export").contains(action)) {
                throw UserError.invalid("contacts.bulk.action-invalid", action);
            }
            ContactBulk.Target target;
            if ("filter".equals(form.getFirst("scope"))) {
                target = ContactBulk.Target.matching(ContactFilter.fromQuery(form.getFirst("filter")));
            } else {
                List<UUID> ids = new ArrayList<>();
                for (String id : form.getOrDefault("ids", List.of())) {
                    try {
                        ids.add(UUID.fromString(id.strip()));
                    } catch (IllegalArgumentException e) {
                        throw UserError.invalid("contacts.bulk.id-invalid", id);
                    }
                }
                target = ContactBulk.Target.selection(ids);
            }
            String tag = form.getFirst("tag");
            UUID owner = null;
            String ownerValue = form.getFirst("owner");
            if (action.equals("owner")) {
                if (ownerValue == null || ownerValue.isBlank()) {
                    throw UserError.invalid("contacts.bulk.owner-missing");
                }
                if (!ownerValue.equals("none")) {
                    try {
                        owner = UUID.fromString(ownerValue.strip());
                    } catch (IllegalArgumentException e) {
                        throw UserError.invalid("contacts.bulk.owner-not-member");
                    }
                }
            }
            return new BulkRequest(action, target, tag == null ? null : tag.strip(), owner);
        }

        /** Refuses what the action would refuse, before the confirmation is shown. */
        void check(List<Member> members) {
            if ((action.equals("tag") || action.equals("untag")) && (tag == null || tag.isEmpty())) {
                throw UserError.invalid("contacts.bulk.tag-missing");
            }
            if (tag != null && tag.length() > 64 && (action.equals("tag") || action.equals("untag"))) {
                throw UserError.invalid("contacts.bulk.tag-too-long", 64);
            }
            if (owner != null && members.stream().noneMatch(m -> m.userId().equals(owner) && m.active())) {
                throw UserError.invalid("contacts.bulk.owner-not-member");
            }
        }

        String ownerName(List<Member> members) {
            return owner == null ? null : members.stream().filter(m -> m.userId().equals(owner)).map(Member::name).findFirst().orElse(null);
        }
    }
}
