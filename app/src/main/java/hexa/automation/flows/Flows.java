package hexa.automation.flows;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.outbound.OutboundCalls;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workspace's chatbot flows: created, their draft edited (checked: a draft with problems is not saved), published
 * as a new immutable version that new runs use (running ones finish on theirs), deleted with their runs.
 */
@Service
public class Flows {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_NAME = 100;
    static final int MAX_KEYWORDS = 20;
    static final int MAX_KEYWORD = 60;

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final Clock clock;
    private final OutboundCalls outbound;

    Flows(JdbcClient jdbc, AuditTrail audit, Clock clock, OutboundCalls outbound) {
        this.outbound = outbound;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a person or integrator sets on a flow. */
    public record Changes(String name, List<String> keywords, boolean adEntry, FlowDefinition draft) {
    }

    /** A flow as the list shows it, with its runs so far and those going. */
    public record Summary(Flow flow, long runs, long going) {
    }

    public List<Summary> list() {
        return jdbc.sql("""
                        select f.*, (select count(*) from automation_flow_runs r where r.tenant_id = f.tenant_id and r.flow_id = f.id) as runs,
                               (select count(*) from automation_flow_runs r where r.tenant_id = f.tenant_id and r.flow_id = f.id
                                   and r.state in ('running', 'waiting')) as going
                          from automation_flows f where f.tenant_id = :tenant order by lower(f.name)
                        """)
                .param("tenant", TenantContext.tenantId())
                .query((rs, n) -> new Summary(flow(rs, n), rs.getLong("runs"), rs.getLong("going"))).list();
    }

    /** The flow, or "not found" (another workspace's flows are not found either). */
    public Flow get(UUID id) {
        return find(id).orElseThrow(NotFoundException::new);
    }

    public Optional<Flow> find(UUID id) {
        return jdbc.sql("select * from automation_flows where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(Flows::flow).optional();
    }

    /** A first draft that can be published as it is: a greeting, then the end. */
    public static FlowDefinition starterDraft(String greeting) {
        return new FlowDefinition("welcome", List.of(
                new FlowDefinition.Step("welcome", "send", FlowDefinition.Message.text(greeting), "done", null, null, null, null, null, null, null,
                        null, null),
                new FlowDefinition.Step("done", "end", null, null, null, null, null, null, null, null, null, null, null)));
    }

    @Transactional
    public Flow create(Changes changes) {
        Changes checked = check(changes);
        UUID id = Ids.newId();
        Instant now = clock.instant();
        try {
            jdbc.sql("""
                            insert into automation_flows (tenant_id, id, name, keywords, ad_entry, draft, created_at, updated_at)
                            values (:tenant, :id, :name, :keywords, :ad, cast(:draft as jsonb), :now, :now)
                            """)
                    .param("tenant", TenantContext.tenantId()).param("id", id).param("name", checked.name())
                    .param("keywords", checked.keywords().toArray(new String[0])).param("ad", checked.adEntry())
                    .param("draft", JSON.writeValueAsString(checked.draft())).param("now", Sql.ts(now)).update();
        } catch (DuplicateKeyException e) {
            throw UserError.conflict("automation.flows.name-taken", checked.name());
        }
        audit.record(AuditEntry.of("automation.flow_created").target("automation_flow", id, checked.name()));
        return get(id);
    }

    /** Saves the draft (and name and entry); the published version and the runs are left as they are. */
    @Transactional
    public Flow update(UUID id, Changes changes) {
        get(id);
        Changes checked = check(changes);
        try {
            jdbc.sql("""
                            update automation_flows set name = :name, keywords = :keywords, ad_entry = :ad, draft = cast(:draft as jsonb), updated_at = :now
                             where tenant_id = :tenant and id = :id
                            """)
                    .param("tenant", TenantContext.tenantId()).param("id", id).param("name", checked.name())
                    .param("keywords", checked.keywords().toArray(new String[0])).param("ad", checked.adEntry())
                    .param("draft", JSON.writeValueAsString(checked.draft())).param("now", Sql.ts(clock.instant())).update();
        } catch (DuplicateKeyException e) {
            throw UserError.conflict("automation.flows.name-taken", checked.name());
        }
        return get(id);
    }

    /** Publishes the draft as the next version: new runs use it, running ones finish on theirs. Answers the version. */
    @Transactional
    public int publish(UUID id) {
        Flow flow = jdbc.sql("select * from automation_flows where tenant_id = :tenant and id = :id for update")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(Flows::flow).optional().orElseThrow(NotFoundException::new);
        List<FlowDefinition.Problem> problems = problems(flow.draft());
        if (!problems.isEmpty()) {
            throw new FlowProblems(problems);
        }
        int version = jdbc.sql("select coalesce(max(version), 0) + 1 from automation_flow_versions where tenant_id = :tenant and flow_id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(Integer.class).single();
        Instant now = clock.instant();
        jdbc.sql("""
                        insert into automation_flow_versions (tenant_id, flow_id, version, definition, published_at, published_by)
                        values (:tenant, :id, :version, cast(:definition as jsonb), :now, :by)
                        """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("version", version)
                .param("definition", JSON.writeValueAsString(flow.draft())).param("now", Sql.ts(now))
                .param("by", TenantContext.actor().name() == null ? "" : TenantContext.actor().name()).update();
        jdbc.sql("update automation_flows set published_version = :version, updated_at = :now where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).param("version", version).param("now", Sql.ts(now)).update();
        audit.record(AuditEntry.of("automation.flow_published").target("automation_flow", id, flow.name()).details(Map.of("version", version)));
        return version;
    }

    /** Deletes the flow with its versions and runs (a run going stops where it is). */
    @Transactional
    public void delete(UUID id) {
        Flow flow = get(id);
        jdbc.sql("delete from automation_flows where tenant_id = :tenant and id = :id").param("tenant", TenantContext.tenantId()).param("id", id)
                .update();
        audit.record(AuditEntry.of("automation.flow_deleted").target("automation_flow", id, flow.name()));
    }

    /** The flow's published versions, newest first. */
    public List<Flow.Version> versions(UUID id) {
        get(id);
        return jdbc.sql("select * from automation_flow_versions where tenant_id = :tenant and flow_id = :id order by version desc")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(Flows::version).list();
    }

    public Optional<Flow.Version> version(UUID flowId, int version) {
        return jdbc.sql("select * from automation_flow_versions where tenant_id = :tenant and flow_id = :id and version = :version")
                .param("tenant", TenantContext.tenantId()).param("id", flowId).param("version", version).query(Flows::version).optional();
    }

    /**
     * A page of the workspace's flows by name (then id), after the flow named {@code afterName} with id {@code afterId}
     * (both null: from the first). Keyed by name, not position, so that flows created or deleted meanwhile shift nothing.
     */
    List<Flow> page(String afterName, UUID afterId, int size) {
        String after = afterId == null ? "" : " and (lower(name), id) > (lower(:afterName), :afterId)";
        var query = jdbc.sql("select * from automation_flows where tenant_id = :tenant" + after + " order by lower(name), id limit :size")
                .param("tenant", TenantContext.tenantId()).param("size", size);
        if (afterId != null) {
            query = query.param("afterName", afterName).param("afterId", afterId);
        }
        return query.query(Flows::flow).list();
    }

    /** The published flows that a message entering by a keyword or an ad can start, by name. */
    List<Flow> published() {
        // Without their drafts (read for every customer's message that might be a keyword: parsing drafts cost more than the rest).
        return jdbc.sql("""
                        select id, name, keywords, ad_entry, published_version, created_at, updated_at, null as draft
                          from automation_flows where tenant_id = :tenant and published_version is not null order by lower(name)
                        """)
                .param("tenant", TenantContext.tenantId()).query(Flows::flow).list();
    }

    /**
     * The draft's problems, and a webhook step's address that the server may not call (inside a private network):
     * checked on saving and publishing, and again when a run calls it.
     */
    private List<FlowDefinition.Problem> problems(FlowDefinition draft) {
        List<FlowDefinition.Problem> problems = new ArrayList<>(draft.problems());
        for (FlowDefinition.Step step : draft.steps()) {
            if ("webhook".equals(step.type()) && step.url() != null && step.url().matches("https?://\\S+")) {
                outbound.refusal(step.url()).ifPresent(reason -> problems.add(FlowDefinition.Problem.of("automation.flows.problem.url-refused", step.id(), reason)));
            }
        }
        return problems;
    }

    private Changes check(Changes changes) {
        String name = changes.name() == null ? "" : changes.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw UserError.invalid("automation.flows.name-invalid", MAX_NAME);
        }
        Set<String> keywords = new LinkedHashSet<>();
        for (String keyword : changes.keywords() == null ? List.<String>of() : changes.keywords()) {
            String clean = keyword == null ? "" : keyword.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            if (clean.length() > MAX_KEYWORD) {
                throw UserError.invalid("automation.flows.keyword-invalid", MAX_KEYWORD);
            }
            if (!clean.isEmpty()) {
                keywords.add(clean);
            }
        }
        if (keywords.size() > MAX_KEYWORDS) {
            throw UserError.invalid("automation.flows.keywords-too-many", MAX_KEYWORDS);
        }
        FlowDefinition draft = changes.draft() == null ? FlowDefinition.empty() : changes.draft();
        List<FlowDefinition.Problem> problems = problems(draft);
        if (!problems.isEmpty()) {
            throw new FlowProblems(problems);
        }
        return new Changes(name, new ArrayList<>(keywords), changes.adEntry(), draft);
    }

    /** Keywords as typed in one field: separated by commas. */
    static List<String> keywords(String typed) {
        return typed == null ? List.of() : Arrays.stream(typed.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static FlowDefinition definition(String json) {
        return json == null ? FlowDefinition.empty() : JSON.readValue(json, FlowDefinition.class);
    }

    static Flow flow(ResultSet rs, int n) throws SQLException {
        int number = rs.getInt("published_version");
        Integer published = rs.wasNull() ? null : number;
        String[] keywords = (String[]) rs.getArray("keywords").getArray();
        return new Flow(Sql.uuid(rs, "id"), rs.getString("name"), List.of(keywords), rs.getBoolean("ad_entry"), definition(rs.getString("draft")),
                published, Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private static Flow.Version version(ResultSet rs, int n) throws SQLException {
        return new Flow.Version(rs.getInt("version"), definition(rs.getString("definition")), Sql.instant(rs, "published_at"),
                rs.getString("published_by"));
    }
}
