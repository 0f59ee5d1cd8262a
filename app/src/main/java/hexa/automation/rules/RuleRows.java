package hexa.automation.rules;

import hexa.platform.database.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code automation_rules} table: a rule per row, its trigger, conditions and actions as JSONB. */
@Repository
class RuleRows {

    private static final String COLUMNS = "id, name, position, enabled, stop_after, trigger::text as trigger, match, conditions::text as conditions,"
            + " actions::text as actions, built_in, created_at, updated_at";

    private final JdbcClient jdbc;

    RuleRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Rule> all(UUID tenant) {
        return jdbc.sql("select " + COLUMNS + " from automation_rules where tenant_id = :tenant order by position, created_at")
                .param("tenant", tenant).query(RuleRows::rule).list();
    }

    /** The enabled rules a trigger starts, in order. */
    List<Rule> enabled(UUID tenant, Rule.TriggerKind kind) {
        return jdbc.sql("select " + COLUMNS + " from automation_rules where tenant_id = :tenant and enabled and trigger_kind = :kind"
                        + " order by position, created_at")
                .param("tenant", tenant).param("kind", kind.name()).query(RuleRows::rule).list();
    }

    Optional<Rule> find(UUID tenant, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from automation_rules where tenant_id = :tenant and id = :id")
                .param("tenant", tenant).param("id", id).query(RuleRows::rule).optional();
    }

    Optional<Rule> builtIn(UUID tenant, String key) {
        return jdbc.sql("select " + COLUMNS + " from automation_rules where tenant_id = :tenant and built_in = :key")
                .param("tenant", tenant).param("key", key).query(RuleRows::rule).optional();
    }

    /** Locks the workspace's rules for a change of order (two admins moving at once keep a clean sequence). */
    int nextPosition(UUID tenant) {
        jdbc.sql("select id from automation_rules where tenant_id = :tenant for update").param("tenant", tenant).query(UUID.class).list();
        return jdbc.sql("select coalesce(max(position) + 1, 0) from automation_rules where tenant_id = :tenant")
                .param("tenant", tenant).query(Integer.class).single();
    }

    void insert(UUID tenant, Rule rule, UUID by) {
        jdbc.sql("""
                insert into automation_rules (tenant_id, id, name, position, enabled, stop_after, trigger_kind, trigger, match, conditions, actions,
                                              built_in, created_at, updated_at, updated_by)
                values (:tenant, :id, :name, :position, :enabled, :stopAfter, :kind, cast(:trigger as jsonb), :match, cast(:conditions as jsonb),
                        cast(:actions as jsonb), :builtIn, :created, :updated, :by)
                """)
                .param("tenant", tenant).param("id", rule.id()).param("name", rule.name()).param("position", rule.position())
                .param("enabled", rule.enabled()).param("stopAfter", rule.stopAfter()).param("kind", rule.trigger().kind().name())
                .param("trigger", RuleJson.write(rule.trigger())).param("match", rule.match().name())
                .param("conditions", RuleJson.write(rule.conditions())).param("actions", RuleJson.write(rule.actions()))
                .param("builtIn", rule.builtIn()).param("created", Sql.ts(rule.createdAt())).param("updated", Sql.ts(rule.updatedAt()))
                .param("by", by)
                .update();
    }

    void update(UUID tenant, Rule rule, UUID by) {
        jdbc.sql("""
                update automation_rules set name = :name, enabled = :enabled, stop_after = :stopAfter, trigger_kind = :kind,
                       trigger = cast(:trigger as jsonb), match = :match, conditions = cast(:conditions as jsonb), actions = cast(:actions as jsonb),
                       updated_at = :updated, updated_by = :by
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", tenant).param("id", rule.id()).param("name", rule.name())
                .param("enabled", rule.enabled()).param("stopAfter", rule.stopAfter()).param("kind", rule.trigger().kind().name())
                .param("trigger", RuleJson.write(rule.trigger())).param("match", rule.match().name())
                .param("conditions", RuleJson.write(rule.conditions())).param("actions", RuleJson.write(rule.actions()))
                .param("updated", Sql.ts(rule.updatedAt())).param("by", by)
                .update();
    }

    void enable(UUID tenant, UUID id, boolean enabled, Instant now, UUID by) {
        jdbc.sql("update automation_rules set enabled = :enabled, updated_at = :now, updated_by = :by where tenant_id = :tenant and id = :id")
                .param("tenant", tenant).param("id", id).param("enabled", enabled).param("now", Sql.ts(now)).param("by", by).update();
    }

    void position(UUID tenant, UUID id, int position) {
        jdbc.sql("update automation_rules set position = :position where tenant_id = :tenant and id = :id")
                .param("tenant", tenant).param("id", id).param("position", position).update();
    }

    /** Places the rules after {@code position} one further down, to make room. */
    void makeRoomAfter(UUID tenant, int position) {
        jdbc.sql("update automation_rules set position = position + 1 where tenant_id = :tenant and position > :position")
                .param("tenant", tenant).param("position", position).update();
    }

    boolean delete(UUID tenant, UUID id) {
        return jdbc.sql("delete from automation_rules where tenant_id = :tenant and id = :id")
                .param("tenant", tenant).param("id", id).update() > 0;
    }

    /** The member who last changed the rule, if a member did. */
    Optional<UUID> updatedBy(UUID tenant, UUID id) {
        return jdbc.sql("select updated_by from automation_rules where tenant_id = :tenant and id = :id and updated_by is not null")
                .param("tenant", tenant).param("id", id).query(UUID.class).optional();
    }

    private static Rule rule(ResultSet rs, int row) throws SQLException {
        return new Rule(Sql.uuid(rs, "id"), rs.getString("name"), rs.getInt("position"), rs.getBoolean("enabled"), rs.getBoolean("stop_after"),
                RuleJson.trigger(rs.getString("trigger")), Rule.Match.valueOf(rs.getString("match")), RuleJson.conditions(rs.getString("conditions")),
                RuleJson.actions(rs.getString("actions")), rs.getString("built_in"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
