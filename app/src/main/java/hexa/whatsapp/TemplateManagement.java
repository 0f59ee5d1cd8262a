package hexa.whatsapp;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphSettings;
import hexa.whatsapp.graph.TemplateSubmission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Settings → Templates and {@code /api/v1/templates}: creates, edits and deletes templates at Meta (the Graph API's
 * {@code message_templates}) after {@link TemplateChecks}, and keeps the workspace's copy in {@code whatsapp_templates},
 * the same store {@link TemplateService} syncs and the review webhooks update.
 */
@Service
public class TemplateManagement {

    private final JdbcClient jdbc;
    private final Connections connections;
    private final ConnectionService connectionService;
    private final TemplateService templates;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final AuditTrail audit;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    TemplateManagement(JdbcClient jdbc, Connections connections, ConnectionService connectionService, TemplateService templates, GraphClient graph,
                       GraphSettings graphSettings, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.connectionService = connectionService;
        this.templates = templates;
        this.graph = graph;
        this.graphSettings = graphSettings;
        this.audit = audit;
        this.clock = clock;
    }

    /** A WhatsApp Business Account of the workspace, named by its numbers. */
    public record Account(String wabaId, List<String> numbers) {
        public String label() {
            return String.join(", ", numbers) + " (" + wabaId + ")";
        }
    }

    /** What the list shows, narrowed by a text (name or body), a status and an account; all when blank. */
    public record Filter(String query, String status, String wabaId) {
        public Filter {
            query = query == null ? "" : query.strip();
            status = status == null ? "" : status.strip().toUpperCase(Locale.ROOT);
            wabaId = wabaId == null ? "" : wabaId.strip();
        }
    }

    public List<Account> accounts() {
        Map<String, List<String>> byWaba = new LinkedHashMap<>();
        for (Connection c : connections.all(TenantContext.tenantId())) {
            byWaba.computeIfAbsent(c.wabaId(), k -> new ArrayList<>()).add(c.displayPhoneNumber());
        }
        return byWaba.entrySet().stream().map(e -> new Account(e.getKey(), List.copyOf(e.getValue()))).toList();
    }

    public List<Template> list(Filter filter) {
        return page(filter, null, 1000);
    }

    /** A page of the list in name order; {@code after} is the id of the last one of the page before. */
    public List<Template> page(Filter filter, UUID after, int limit) {
        Template last = after == null ? null : templates.byId(after);
        return jdbc.sql("""
                select * from whatsapp_templates
                 where tenant_id = :tenant
                   and (:query = '' or name ilike :like or components::text ilike :like)
                   and (:status = '' or status = :status)
                   and (:waba = '' or waba_id = :waba)
                   and (cast(:afterName as text) is null or (lower(name), language, id) > (cast(:afterName as text), cast(:afterLanguage as text), cast(:afterId as uuid)))
                 order by lower(name), language, id
                 limit :limit
                """)
                .param("tenant", TenantContext.tenantId()).param("query", filter.query())
                .param("like", "%" + filter.query().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .param("status", filter.status()).param("waba", filter.wabaId()).param("afterName", last == null ? null : last.name().toLowerCase(Locale.ROOT))
                .param("afterLanguage", last == null ? null : last.language()).param("afterId", last == null ? null : last.id()).param("limit", limit)
                .query(TemplateService::map).list();
    }

    public Template get(UUID id) {
        return templates.byId(id);
    }

    /** Checks the draft, submits it to Meta for the account, and keeps it as PENDING. Nothing is sent when a check fails. */
    public Template create(String wabaId, TemplateDraft draft) {
        TemplateChecks.require(draft);
        Connection connection = connectionOf(wabaId);
        if (templates.find(connection.wabaId(), draft.name(), draft.language()).isPresent()) {
            throw new TemplateProblems(List.of(new TemplateChecks.Problem("name", "templates.check.exists", List.of(draft.name(), draft.language()))));
        }
        TemplateSubmission submitted;
        try {
            submitted = graph.createTemplate(endpoint(connection), connection.wabaId(), draft.toMeta());
        } catch (GraphApiException e) {
            throw GraphProblems.asUserError(e, HttpStatus.UNPROCESSABLE_ENTITY);
        }
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into whatsapp_templates (tenant_id, id, waba_id, meta_id, name, language, category, status, components, synced_at, status_changed_at)
                values (:tenant, :id, :waba, :metaId, :name, :language, :category, :status, cast(:components as jsonb), :now, :now)
                on conflict (tenant_id, waba_id, name, language) do update
                   set meta_id = excluded.meta_id, category = coalesce(whatsapp_templates.category, excluded.category),
                       components = excluded.components, synced_at = excluded.synced_at
                """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("waba", connection.wabaId()).param("metaId", submitted.id())
                .param("name", draft.name()).param("language", draft.language())
                .param("category", submitted.category() == null ? draft.category() : submitted.category())
                .param("status", submitted.status() == null ? "PENDING" : submitted.status())
                .param("components", draft.components().toString()).param("now", Sql.ts(clock.instant())).update();
        // A review decided at once (the sandbox without delay) may have arrived first: its status stays.
        Template created = templates.find(connection.wabaId(), draft.name(), draft.language()).orElseThrow();
        audit.record(AuditEntry.of("whatsapp.template_created").target("whatsapp_template", created.id(), created.name())
                .details(Map.of("language", created.language(), "category", created.category(), "wabaId", created.wabaId())));
        return created;
    }

    /**
     * Sends the edited components (and category while the template was never approved) to Meta: the template goes back
     * to review. Name and language cannot change, as at Meta.
     */
    public Template edit(UUID id, TemplateDraft edited) {
        Template template = templates.byId(id);
        TemplateDraft draft = new TemplateDraft(template.name(), template.language(), edited.category(), edited.headerFormat(),
                edited.headerText(), edited.headerExample(), edited.body(), edited.examples(), edited.footer(), edited.buttons(),
                edited.securityRecommendation(), edited.codeExpirationMinutes());
        if (!editable(template)) {
            throw UserError.conflict("templates.edit.not-editable", template.name());
        }
        if ("APPROVED".equals(template.status()) && template.category() != null && !template.category().equals(draft.category())) {
            throw new TemplateProblems(List.of(new TemplateChecks.Problem("category", "templates.check.category-fixed", List.of())));
        }
        TemplateChecks.require(draft);
        Connection connection = connectionOf(template.wabaId());
        ObjectNode edit = json.createObjectNode();
        if (!"APPROVED".equals(template.status())) {
            edit.put("category", draft.category());
        }
        edit.set("components", draft.components());
        java.time.Instant before = clock.instant();
        try {
            graph.editTemplate(endpoint(connection), template.metaId(), edit);
        } catch (GraphApiException e) {
            throw GraphProblems.asUserError(e, HttpStatus.UNPROCESSABLE_ENTITY);
        }
        jdbc.sql("""
                update whatsapp_templates set components = cast(:components as jsonb), category = :category, synced_at = :now,
                       status = case when status_changed_at > :before then status else 'PENDING' end,
                       rejected_reason = case when status_changed_at > :before then rejected_reason end,
                       rejection_detail = case when status_changed_at > :before then rejection_detail end,
                       status_changed_at = case when status_changed_at > :before then status_changed_at else :now end
                 where tenant_id = :tenant and id = :id
                """)
                .param("before", Sql.ts(before))
                .param("tenant", TenantContext.tenantId()).param("id", id).param("components", draft.components().toString())
                .param("category", draft.category()).param("now", Sql.ts(clock.instant())).update();
        audit.record(AuditEntry.of("whatsapp.template_edited").target("whatsapp_template", id, template.name())
                .details(Map.of("language", template.language(), "category", draft.category())));
        return templates.byId(id);
    }

    /** Meta lets a template be edited once it has an id and is not waiting for review or disabled. */
    public static boolean editable(Template template) {
        return template.metaId() != null && !"PENDING".equals(template.status()) && !"DISABLED".equals(template.status())
                && !"PENDING_DELETION".equals(template.status());
    }

    /** Deletes the template at Meta by its name, which removes every language of it; here too. Answers how many went. */
    public int delete(UUID id) {
        Template template = templates.byId(id);
        Connection connection = connectionOf(template.wabaId());
        try {
            graph.deleteTemplate(endpoint(connection), template.wabaId(), template.name());
        } catch (GraphApiException e) {
            throw GraphProblems.asUserError(e, HttpStatus.UNPROCESSABLE_ENTITY);
        }
        int deleted = jdbc.sql("delete from whatsapp_templates where tenant_id = :tenant and waba_id = :waba and name = :name")
                .param("tenant", TenantContext.tenantId()).param("waba", template.wabaId()).param("name", template.name()).update();
        audit.record(AuditEntry.of("whatsapp.template_deleted").target("whatsapp_template", id, template.name())
                .details(Map.of("languages", deleted, "wabaId", template.wabaId())));
        return deleted;
    }

    /** How many languages a template's name has in its account (a delete takes them all). */
    public int languages(Template template) {
        return jdbc.sql("select count(*) from whatsapp_templates where tenant_id = :tenant and waba_id = :waba and name = :name")
                .param("tenant", TenantContext.tenantId()).param("waba", template.wabaId()).param("name", template.name())
                .query(Integer.class).single();
    }

    private Connection connectionOf(String wabaId) {
        List<Connection> all = connections.all(TenantContext.tenantId());
        Optional<Connection> match = all.stream().filter(c -> c.wabaId().equals(wabaId == null || wabaId.isBlank() ? c.wabaId() : wabaId)).findFirst();
        if (match.isEmpty()) {
            if (all.isEmpty()) {
                throw new UserError(HttpStatus.CONFLICT, "no_number", "templates.no-number");
            }
            throw new TemplateProblems(List.of(new TemplateChecks.Problem("wabaId", "templates.check.account", List.of())));
        }
        return match.get();
    }

    private GraphEndpoint endpoint(Connection connection) {
        return new GraphEndpoint(connection.graphUrl(), graphSettings.apiVersion(), connectionService.accessToken(connection));
    }
}
