package hexa.privacy;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The purge's runs, per workspace: the daily ones (claimed once per day), those run by hand, and the dry runs. */
@Repository
class PurgeRuns {

    private static final TypeReference<LinkedHashMap<String, Long>> COUNTS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    PurgeRuns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Claims the workspace's daily run of {@code day}: empty when a node has already claimed it. */
    Optional<UUID> claimDaily(UUID tenant, LocalDate day, Instant now) {
        UUID id = Ids.newId();
        int claimed = jdbc.sql("""
                insert into privacy_purge_runs (tenant_id, id, day, dry_run, by_hand, started_by_name, started_at)
                values (:tenant, :id, :day, false, false, 'Daily purge', :now)
                on conflict (tenant_id, day) where day is not null do nothing
                """)
                .param("tenant", tenant).param("id", id).param("day", day).param("now", Sql.ts(now)).update();
        return claimed > 0 ? Optional.of(id) : Optional.empty();
    }

    UUID start(UUID tenant, boolean dryRun, boolean byHand, String byName, Instant now) {
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into privacy_purge_runs (tenant_id, id, dry_run, by_hand, started_by_name, started_at)
                values (:tenant, :id, :dry, :hand, :name, :now)
                """)
                .param("tenant", tenant).param("id", id).param("dry", dryRun).param("hand", byHand).param("name", byName)
                .param("now", Sql.ts(now)).update();
        return id;
    }

    void finish(UUID tenant, UUID id, Map<String, Long> removed, String failure, Instant now) {
        jdbc.sql("""
                update privacy_purge_runs set finished_at = :now, removed = cast(:removed as jsonb), failure = :failure
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", tenant).param("id", id).param("now", Sql.ts(now)).param("removed", json.writeValueAsString(removed))
                .param("failure", failure).update();
    }

    /** What a run has removed so far, written after each module's part so that its page shows progress. */
    void progress(UUID tenant, UUID id, Map<String, Long> removed) {
        jdbc.sql("update privacy_purge_runs set removed = cast(:removed as jsonb) where tenant_id = :tenant and id = :id and finished_at is null")
                .param("tenant", tenant).param("id", id).param("removed", json.writeValueAsString(removed)).update();
    }

    /**
     * The run that removes and has not finished, if one started within the last {@code hours}: a run a stopped node
     * left unfinished stops counting as running after that.
     */
    Optional<PurgeRun> running(UUID tenant, Instant now, int hours) {
        return jdbc.sql(SELECT + """
                 where tenant_id = :tenant and not dry_run and finished_at is null and started_at > :since
                 order by started_at desc limit 1
                """)
                .param("tenant", tenant).param("since", Sql.ts(now.minus(java.time.Duration.ofHours(hours)))).query(this::run).optional();
    }

    /** The latest finished run that removed (not a dry run). */
    Optional<PurgeRun> lastReal(UUID tenant) {
        return latest(tenant, false, 1).stream().findFirst();
    }

    /** The latest dry run. */
    Optional<PurgeRun> lastDry(UUID tenant) {
        return latest(tenant, true, 1).stream().findFirst();
    }

    Optional<PurgeRun> find(UUID tenant, UUID id) {
        return jdbc.sql(SELECT + " where tenant_id = :tenant and id = :id").param("tenant", tenant).param("id", id).query(this::run).optional();
    }

    List<PurgeRun> latest(UUID tenant, boolean dryRun, int limit) {
        return jdbc.sql(SELECT + " where tenant_id = :tenant and dry_run = :dry and finished_at is not null order by started_at desc limit :limit")
                .param("tenant", tenant).param("dry", dryRun).param("limit", limit)
                .query(this::run).list();
    }

    private static final String SELECT = """
            select id, day, dry_run, by_hand, started_by_name, started_at, finished_at, removed::text as removed, failure
              from privacy_purge_runs
            """;

    private PurgeRun run(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new PurgeRun(Sql.uuid(rs, "id"), rs.getObject("day", LocalDate.class), rs.getBoolean("dry_run"), rs.getBoolean("by_hand"),
                        rs.getString("started_by_name"), Sql.instant(rs, "started_at"), Sql.instant(rs, "finished_at"),
                        json.readValue(rs.getString("removed"), COUNTS), rs.getString("failure"));
    }
}
