package hexa.whatsapp;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphSettings;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Keeps the workspace's copy of its message templates: synced from each WABA on demand, and kept
 * current by Meta's {@code message_template_status_update} webhooks.
 */
@Service
public class TemplateService {

    private final JdbcClient jdbc;
    private final Connections connections;
    private final ConnectionService connectionService;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final Clock clock;

    TemplateService(JdbcClient jdbc, Connections connections, ConnectionService connectionService, GraphClient graph,
                    GraphSettings graphSettings, Clock clock) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.connectionService = connectionService;
        this.graph = graph;
        this.graphSettings = graphSettings;
        this.clock = clock;
    }

    public List<Template> templates() {
        return jdbc.sql("select * from whatsapp_templates where tenant_id = :tenant order by lower(name), language")
                .param("tenant", TenantContext.tenantId()).query(TemplateService::map).list();
    }

    public Optional<Template> find(String wabaId, String name, String language) {
        return jdbc.sql("select * from whatsapp_templates where tenant_id = :tenant and waba_id = :waba and name = :name and language = :language")
                .param("tenant", TenantContext.tenantId()).param("waba", wabaId).param("name", name).param("language", language)
                .query(TemplateService::map).optional();
    }

    /** Reads every template of every connected WABA from the Graph API; answers how many there are. */
    @Transactional
    public int syncAll() {
        UUID tenant = TenantContext.tenantId();
        List<String> done = new ArrayList<>();
        int count = 0;
        for (Connection connection : connections.all(tenant)) {
            if (done.contains(connection.wabaId())) {
                continue;
            }
            done.add(connection.wabaId());
            GraphEndpoint endpoint = new GraphEndpoint(connection.graphUrl(), graphSettings.apiVersion(), connectionService.accessToken(connection));
            List<JsonNode> listed;
            try {
                listed = graph.templates(endpoint, connection.wabaId());
            } catch (GraphApiException e) {
                throw GraphProblems.asUserError(e, HttpStatus.BAD_GATEWAY);
            }
            Instant now = clock.instant();
            List<String> seen = new ArrayList<>();
            for (JsonNode template : listed) {
                String name = template.path("name").asString("");
                String language = template.path("language").asString("");
                seen.add(name + "\u0000" + language);
                upsert(tenant, connection.wabaId(), template.path("id").asString(null), name, language,
                        template.path("category").asString(null), template.path("status").asString("PENDING"),
                        template.path("rejected_reason").asString(null), template.path("components").toString(), now);
                count++;
            }
            // Templates deleted in Meta's WhatsApp Manager disappear here too.
            jdbc.sql("delete from whatsapp_templates where tenant_id = :tenant and waba_id = :waba and synced_at < :now")
                    .param("tenant", tenant).param("waba", connection.wabaId()).param("now", Sql.ts(now)).update();
        }
        return count;
    }

    /**
     * A new number's templates are read at once, so the inbox can offer them when a customer's window
     * is closed; if Meta does not answer now, "Refresh" in Settings → WhatsApp → Templates does it later.
     */
    @org.springframework.context.event.EventListener
    void numberConnected(ConnectionService.NumberConnected connected) {
        try {
            syncAll();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TemplateService.class).warn("Templates could not be read after connecting a number: {}", e.getMessage());
        }
    }

    /** Meta's review decided, or a template was paused or disabled: {@code message_template_status_update}. */
    @Transactional
    public void statusChanged(String wabaId, String metaId, String name, String language, String event, String reason, String category) {
        statusChanged(wabaId, metaId, name, language, event, reason, category, null);
    }

    /**
     * {@code message_template_status_update} with Meta's words ({@code rejection_info.reason}, or a pause's
     * {@code other_info.description}). REINSTATED and UNFLAGGED make the template approved again; DELETED removes it.
     */
    @Transactional
    public void statusChanged(String wabaId, String metaId, String name, String language, String event, String reason, String category,
                              String detail) {
        UUID tenant = TenantContext.tenantId();
        String status = event == null ? "PENDING" : event.toUpperCase(java.util.Locale.ROOT);
        if ("REINSTATED".equals(status) || "UNFLAGGED".equals(status)) {
            status = "APPROVED";
        }
        if ("DELETED".equals(status)) {
            jdbc.sql("delete from whatsapp_templates where tenant_id = :tenant and waba_id = :waba and (meta_id = :metaId or (name = :name and language = :language))")
                    .param("tenant", tenant).param("waba", wabaId).param("metaId", metaId).param("name", name).param("language", language).update();
            return;
        }
        String why = "NONE".equals(reason) || (reason != null && reason.isBlank()) ? null : reason;
        String words = detail == null || detail.isBlank() ? null : detail;
        Instant now = clock.instant();
        int updated = jdbc.sql("""
                update whatsapp_templates set status = :status, rejected_reason = :reason, rejection_detail = :detail,
                       category = coalesce(:category, category), meta_id = coalesce(meta_id, :metaId), synced_at = :now, status_changed_at = :now
                 where tenant_id = :tenant and waba_id = :waba and (meta_id = :metaId or (name = :name and language = :language))
                """)
                .param("tenant", tenant).param("waba", wabaId).param("metaId", metaId).param("name", name).param("language", language)
                .param("status", status).param("reason", why).param("detail", words).param("category", category)
                .param("now", Sql.ts(now)).update();
        if (updated == 0 && name != null && language != null) {
            upsert(tenant, wabaId, metaId, name, language, category, status, why, "[]", now);
        }
    }

    /** {@code message_template_quality_update}: GREEN, YELLOW, RED or UNKNOWN. */
    @Transactional
    public void qualityChanged(String wabaId, String metaId, String name, String language, String score) {
        jdbc.sql("""
                update whatsapp_templates set quality_rating = :score, synced_at = :now
                 where tenant_id = :tenant and waba_id = :waba and (meta_id = :metaId or (name = :name and language = :language))
                """)
                .param("tenant", TenantContext.tenantId()).param("waba", wabaId).param("metaId", metaId).param("name", name)
                .param("language", language).param("score", score == null || score.isBlank() ? null : score.toUpperCase(java.util.Locale.ROOT))
                .param("now", Sql.ts(clock.instant())).update();
    }

    /** {@code template_category_update}: Meta moved the template to another category (kept with the one it had). */
    @Transactional
    public void categoryChanged(String wabaId, String metaId, String name, String language, String newCategory, String previousCategory) {
        if (newCategory == null || newCategory.isBlank()) {
            return;
        }
        jdbc.sql("""
                update whatsapp_templates set previous_category = coalesce(:previous, category), category = :category, synced_at = :now
                 where tenant_id = :tenant and waba_id = :waba and (meta_id = :metaId or (name = :name and language = :language))
                """)
                .param("tenant", TenantContext.tenantId()).param("waba", wabaId).param("metaId", metaId).param("name", name)
                .param("language", language).param("category", newCategory.toUpperCase(java.util.Locale.ROOT)).param("previous", previousCategory)
                .param("now", Sql.ts(clock.instant())).update();
    }

    /**
     * Checks a template message against the known template before it is sent: it must exist for one of
     * the workspace's accounts, be approved, and get exactly as many body parameters as it has.
     */
    public void check(String wabaId, JsonNode template) {
        String name = template.path("name").asString("");
        String language = template.path("language").path("code").asString("");
        Optional<Template> known = find(wabaId, name, language);
        if (known.isEmpty()) {
            return;
        }
        if (!known.get().sendable()) {
            throw new TemplateNotApproved(name, Text.t("whatsapp.template.status." + known.get().status().toLowerCase(java.util.Locale.ROOT)));
        }
        int given = 0;
        for (JsonNode component : template.path("components")) {
            if ("body".equalsIgnoreCase(component.path("type").asString(""))) {
                given = component.path("parameters").size();
            }
            if ("header".equalsIgnoreCase(component.path("type").asString(""))) {
                checkHeaderMedia(known.get(), component.path("parameters"));
            }
        }
        int expected = known.get().bodyParameterCount();
        if (given != expected) {
            throw new TemplateParametersMismatch(name, expected, given);
        }
    }

    /** A media header parameter (image, video, document) fits only a template whose header is of that format. */
    private static void checkHeaderMedia(Template known, JsonNode parameters) {
        for (JsonNode parameter : parameters) {
            String type = parameter.path("type").asString("text");
            if (!MessageToSend.HeaderMedia.KINDS.contains(type)) {
                continue;
            }
            String format = known.headerFormat();
            if (!type.equalsIgnoreCase(format)) {
                throw new UserError(HttpStatus.BAD_REQUEST, "template_parameters", "whatsapp.template.header-media",
                        known.name(), format == null ? "NONE" : format, type);
            }
            if (parameter.path(type).path("id").asString("").isBlank() && parameter.path(type).path("link").asString("").isBlank()) {
                throw new UserError(HttpStatus.BAD_REQUEST, "template_parameters", "whatsapp.template.header-media-source",
                        known.name(), type);
            }
        }
    }

    public Template byId(UUID id) {
        return jdbc.sql("select * from whatsapp_templates where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(TemplateService::map).optional()
                .orElseThrow(NotFoundException::new);
    }

    private void upsert(UUID tenant, String wabaId, String metaId, String name, String language, String category, String status,
                        String rejectedReason, String components, Instant now) {
        jdbc.sql("""
                insert into whatsapp_templates (tenant_id, id, waba_id, meta_id, name, language, category, status, rejected_reason, components, synced_at)
                values (:tenant, :id, :waba, :metaId, :name, :language, :category, :status, :reason, cast(:components as jsonb), :now)
                on conflict (tenant_id, waba_id, name, language) do update
                   set meta_id = coalesce(excluded.meta_id, whatsapp_templates.meta_id), category = excluded.category,
                       status = excluded.status, rejected_reason = excluded.rejected_reason,
                       components = case when excluded.components = '[]'::jsonb then whatsapp_templates.components else excluded.components end,
                       synced_at = excluded.synced_at
                """)
                .param("tenant", tenant).param("id", Ids.newId()).param("waba", wabaId).param("metaId", metaId).param("name", name)
                .param("language", language).param("category", category).param("status", status).param("reason", rejectedReason)
                .param("components", components).param("now", Sql.ts(now))
                .update();
    }

    static Template map(ResultSet rs, int row) throws SQLException {
        return new Template(Sql.uuid(rs, "id"), rs.getString("waba_id"), rs.getString("meta_id"), rs.getString("name"),
                rs.getString("language"), rs.getString("category"), rs.getString("status"), rs.getString("rejected_reason"),
                rs.getString("components"), Sql.instant(rs, "synced_at"), rs.getString("quality_rating"), rs.getString("rejection_detail"),
                rs.getString("previous_category"));
    }
}
