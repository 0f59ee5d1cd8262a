package hexa.automation.flows;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;

/** The runs of flows and the steps each took, in the current workspace. */
@Repository
class FlowRuns {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String SELECT = """
            select r.*, f.name as flow_name from automation_flow_runs r
              join automation_flows f on f.tenant_id = r.tenant_id and f.id = r.flow_id
            """;

    private final JdbcClient jdbc;
    private final Clock clock;

    FlowRuns(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The last answer a run took, for its branches: what was written or tapped, the reply's id, a Flow form's fields. */
    record Answer(String text, String replyId, Map<String, Object> fields) {
        Answer {
            fields = fields == null ? Map.of() : fields;
        }
    }

    /** A new run going in the conversation, or empty when one is going there already. */
    Optional<UUID> start(UUID flowId, int version, UUID conversationId, UUID contactId, UUID connectionId, String startedBy) {
        UUID id = Ids.newId();
        Instant now = clock.instant();
        int inserted = jdbc.sql("""
                        insert into automation_flow_runs (tenant_id, id, flow_id, version, conversation_id, contact_id, connection_id, state,
                                                          started_by, started_at, updated_at)
                        values (:tenant, :id, :flow, :version, :conversation, :contact, :connection, 'running', :by, :now, :now)
                        on conflict (tenant_id, conversation_id) where state in ('running', 'waiting') do nothing
                        """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("flow", flowId).param("version", version)
                .param("conversation", conversationId).param("contact", contactId).param("connection", connectionId)
                .param("by", startedBy.length() > 200 ? startedBy.substring(0, 200) : startedBy).param("now", Sql.ts(now)).update();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }

    /** The runs going in these conversations, by conversation. */
    Map<UUID, FlowRun> goingIn(Collection<UUID> conversationIds) {
        return goingIn(conversationIds, "");
    }

    /**
     * The same, each run locked until the transaction ends, as it is when the lock is granted: what moves a run (an
     * answer, a timeout, an agent's reply) moves it one at a time, even when two webhook batches of one customer are
     * handled side by side. Locked in the order of the conversations, so that two batches never each hold a run the
     * other waits for.
     */
    Map<UUID, FlowRun> lockGoingIn(Collection<UUID> conversationIds) {
        return goingIn(conversationIds, " order by r.conversation_id for no key update of r");
    }

    private Map<UUID, FlowRun> goingIn(Collection<UUID> conversationIds, String locking) {
        Map<UUID, FlowRun> going = new LinkedHashMap<>();
        if (conversationIds.isEmpty()) {
            return going;
        }
        jdbc.sql(SELECT + " where r.tenant_id = :tenant and r.conversation_id = any(:ids) and r.state in ('running', 'waiting')" + locking)
                .param("tenant", TenantContext.tenantId()).param("ids", conversationIds.toArray(new UUID[0]))
                .query(FlowRuns::run).list().forEach(run -> going.put(run.conversationId(), run));
        return going;
    }

    Optional<FlowRun> find(UUID runId) {
        return jdbc.sql(SELECT + " where r.tenant_id = :tenant and r.id = :id").param("tenant", TenantContext.tenantId()).param("id", runId)
                .query(FlowRuns::run).optional();
    }

    /** The run, locked until the transaction ends (see {@link #lockGoingIn}). */
    Optional<FlowRun> lock(UUID runId) {
        return jdbc.sql(SELECT + " where r.tenant_id = :tenant and r.id = :id for no key update of r").param("tenant", TenantContext.tenantId())
                .param("id", runId).query(FlowRuns::run).optional();
    }

    /** The run's last answer (null before the first). */
    Answer lastAnswer(UUID runId) {
        String json = jdbc.sql("select last_answer from automation_flow_runs where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", runId).query(String.class).optional().orElse(null);
        return json == null ? null : Flows.JSON.readValue(json, Answer.class);
    }

    void answered(UUID runId, Map<String, Object> answers, Answer last) {
        jdbc.sql("""
                        update automation_flow_runs set answers = cast(:answers as jsonb), last_answer = cast(:last as jsonb), state = 'running',
                               updated_at = :now
                         where tenant_id = :tenant and id = :id
                        """)
                .param("tenant", TenantContext.tenantId()).param("id", runId).param("answers", Flows.JSON.writeValueAsString(answers))
                .param("last", Flows.JSON.writeValueAsString(last)).param("now", Sql.ts(clock.instant())).update();
    }

    /** The run is at {@code step}, in {@code state}; a state that is not going ends it. */
    void at(UUID runId, String step, String state) {
        Instant now = clock.instant();
        boolean going = "running".equals(state) || "waiting".equals(state);
        jdbc.sql("""
                        update automation_flow_runs set current_step = :step, state = :state, updated_at = :now, ended_at = :ended
                         where tenant_id = :tenant and id = :id
                        """)
                .param("tenant", TenantContext.tenantId()).param("id", runId).param("step", step).param("state", state)
                .param("now", Sql.ts(now)).param("ended", going ? null : Sql.ts(now)).update();
    }

    /** Records a step the run took. */
    void took(UUID runId, String stepId, String stepType, String outcome, String answer, UUID messageId) {
        jdbc.sql("""
                        insert into automation_flow_run_steps (tenant_id, run_id, position, step_id, step_type, outcome, answer, message_id, taken_at)
                        values (:tenant, :run, (select coalesce(max(position), 0) + 1 from automation_flow_run_steps
                                                 where tenant_id = :tenant and run_id = :run),
                                :step, :type, :outcome, :answer, :message, :now)
                        """)
                .param("tenant", TenantContext.tenantId()).param("run", runId).param("step", stepId).param("type", stepType)
                .param("outcome", outcome).param("answer", answer).param("message", messageId).param("now", Sql.ts(clock.instant())).update();
    }

    /** Whether a run's step names this message: one a flow sent, or a customer's answer a run took. */
    boolean inAStep(UUID messageId) {
        return jdbc.sql("select exists (select 1 from automation_flow_run_steps where tenant_id = :tenant and message_id = :message)")
                .param("tenant", TenantContext.tenantId()).param("message", messageId).query(Boolean.class).single();
    }

    /** The flow's latest runs, newest first. */
    List<FlowRun> ofFlow(UUID flowId, int limit) {
        return jdbc.sql(SELECT + " where r.tenant_id = :tenant and r.flow_id = :flow order by r.started_at desc, r.id desc limit :limit")
                .param("tenant", TenantContext.tenantId()).param("flow", flowId).param("limit", limit).query(FlowRuns::run).list();
    }

    List<FlowRun.StepTaken> steps(UUID runId) {
        return jdbc.sql("select * from automation_flow_run_steps where tenant_id = :tenant and run_id = :run order by position")
                .param("tenant", TenantContext.tenantId()).param("run", runId)
                .query((rs, n) -> new FlowRun.StepTaken(rs.getInt("position"), rs.getString("step_id"), rs.getString("step_type"),
                        rs.getString("outcome"), rs.getString("answer"), Sql.uuid(rs, "message_id"), Sql.instant(rs, "taken_at")))
                .list();
    }

    Map<String, FlowRun.StepCount> counts(UUID flowId) {
        Map<String, FlowRun.StepCount> counts = new LinkedHashMap<>();
        jdbc.sql("""
                        with taken as (
                            select s.step_id, count(distinct s.run_id) as reached, count(*) filter (where s.outcome = 'answered') as answered
                              from automation_flow_run_steps s
                              join automation_flow_runs r on r.tenant_id = s.tenant_id and r.id = s.run_id
                             where r.tenant_id = :tenant and r.flow_id = :flow
                             group by s.step_id),
                        stopped as (
                            select current_step as step_id, count(*) as stopped from automation_flow_runs
                             where tenant_id = :tenant and flow_id = :flow and state in ('waiting', 'timed_out', 'stopped')
                             group by current_step)
                        select coalesce(t.step_id, s.step_id) as step_id, coalesce(t.reached, 0) as reached, coalesce(t.answered, 0) as answered,
                               coalesce(s.stopped, 0) as stopped
                          from taken t full join stopped s on s.step_id = t.step_id
                        """)
                .param("tenant", TenantContext.tenantId()).param("flow", flowId)
                .query((rs, n) -> new FlowRun.StepCount(rs.getString("step_id"), rs.getLong("reached"), rs.getLong("answered"), rs.getLong("stopped")))
                .list().forEach(c -> {
                    if (c.stepId() != null) {
                        counts.put(c.stepId(), c);
                    }
                });
        return counts;
    }

    /** Deleted contacts' runs go with them (their conversations went). */
    void deleteOfContacts(UUID tenantId, List<UUID> contactIds) {
        UUID[] ids = contactIds.toArray(new UUID[0]);
        jdbc.sql("""
                        delete from automation_flow_run_steps s using automation_flow_runs r
                         where r.tenant_id = :tenant and r.contact_id = any(:ids) and s.tenant_id = r.tenant_id and s.run_id = r.id
                        """)
                .param("tenant", tenantId).param("ids", ids).update();
        jdbc.sql("delete from automation_flow_runs where tenant_id = :tenant and contact_id = any(:ids)").param("tenant", tenantId).param("ids", ids)
                .update();
    }

    /** A merged contact's runs are the kept contact's. */
    void moveContact(UUID tenantId, UUID from, UUID to) {
        jdbc.sql("update automation_flow_runs set contact_id = :to where tenant_id = :tenant and contact_id = :from")
                .param("tenant", tenantId).param("from", from).param("to", to).update();
    }

    static FlowRun run(ResultSet rs, int n) throws SQLException {
        String answers = rs.getString("answers");
        return new FlowRun(Sql.uuid(rs, "id"), Sql.uuid(rs, "flow_id"), rs.getString("flow_name"), rs.getInt("version"),
                Sql.uuid(rs, "conversation_id"), Sql.uuid(rs, "contact_id"), Sql.uuid(rs, "connection_id"), rs.getString("state"),
                rs.getString("current_step"), answers == null ? Map.of() : Flows.JSON.readValue(answers, MAP), rs.getString("started_by"),
                Sql.instant(rs, "started_at"), Sql.instant(rs, "updated_at"), Sql.instant(rs, "ended_at"));
    }
}
