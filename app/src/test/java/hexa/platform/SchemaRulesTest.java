package hexa.platform;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.HexaIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The tenancy rules of the schema, read from PostgreSQL's catalogue so that every future table is
 * held to them: tenant_id leads every tenant table's primary key and sits inside every foreign key
 * and unique constraint between tenant tables.
 */
class SchemaRulesTest extends HexaIntegrationTest {

    /** Global tables are few, small and listed here on purpose; adding one is a decision. */
    private static final Set<String> GLOBAL_TABLES = Set.of(
            "workspaces", "users", "sign_in_throttle", "spring_session", "spring_session_attributes", "flyway_schema_history",
            // which workspace a WhatsApp number belongs to: a number belongs to one workspace at a time
            "whatsapp_numbers",
            // one-time links to reset a person's password: people belong to no one workspace, like users
            "password_resets",
            // a person's second factor and recovery codes belong to their global account (users), not to a workspace
            "two_factor", "two_factor_recovery_codes",
            // domain events between modules that a listener has not completed yet (Spring Modulith's registry):
            // work in flight, each event carrying its workspace inside
            "event_publication",
            // durable timers (db-scheduler's table, hexa.platform.timers): one scheduler polls all workspaces' timers,
            // each timer carrying its workspace inside its key
            "scheduled_tasks");

    @Autowired
    JdbcClient jdbc;

    @Test
    void every_tenant_table_leads_its_primary_key_with_tenant_id() {
        List<String> violations = new ArrayList<>();
        for (String table : tenantTables()) {
            List<String> key = jdbc.sql("""
                    select a.attname from pg_index i
                      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                     where i.indrelid = cast(:table as regclass) and i.indisprimary
                     order by array_position(i.indkey, a.attnum)
                    """).param("table", table).query(String.class).list();
            if (key.isEmpty() || !key.get(0).equals("tenant_id")) {
                violations.add(table + " primary key " + key);
            }
        }
        assertThat(violations).isEmpty();
        assertThat(tenantTables()).contains("memberships", "invitations", "api_tokens", "audit_events");
    }

    @Test
    void foreign_keys_between_tenant_tables_carry_tenant_id() {
        List<String> violations = jdbc.sql("""
                select c.conname || ' on ' || c.conrelid::regclass
                  from pg_constraint c
                 where c.contype = 'f'
                   and c.conrelid::regclass::text = any(:tenant)
                   and c.confrelid::regclass::text = any(:tenant)
                   and not exists (select 1 from pg_attribute a
                                    where a.attrelid = c.conrelid and a.attnum = any(c.conkey) and a.attname = 'tenant_id')
                """).param("tenant", tenantTables().toArray(String[]::new)).query(String.class).list();
        assertThat(violations).isEmpty();
    }

    @Test
    void unique_constraints_and_indexes_of_tenant_tables_include_tenant_id() {
        List<String> violations = jdbc.sql("""
                select i.indexrelid::regclass::text
                  from pg_index i
                 where i.indisunique
                   and i.indrelid::regclass::text = any(:tenant)
                   and not exists (select 1 from pg_attribute a
                                    where a.attrelid = i.indrelid and a.attnum = any(i.indkey) and a.attname = 'tenant_id')
                """).param("tenant", tenantTables().toArray(String[]::new)).query(String.class).list();
        assertThat(violations).isEmpty();
    }

    /**
     * Contacts, conversations and messages are deleted one by one and in bulk (deleting a contact, a bulk delete,
     * retention). For each deleted row PostgreSQL looks up the rows of every table whose foreign key points at it;
     * without an index that starts with the key's columns each lookup reads the whole table (0.9 s per contact at three
     * million messages, before V26).
     */
    @Test
    void foreign_keys_to_rows_that_are_deleted_can_be_looked_up_by_an_index() {
        List<String> unindexed = jdbc.sql("""
                select c.conname || ' on ' || c.conrelid::regclass
                  from pg_constraint c
                 where c.contype = 'f'
                   and c.confrelid::regclass::text in ('contacts', 'conversations', 'messages')
                   and not exists (select 1 from pg_index i
                                    where i.indrelid = c.conrelid and i.indpred is null
                                      and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                                      and c.conkey @> (i.indkey::int2[])[0:cardinality(c.conkey) - 1])
                """).query(String.class).list();
        assertThat(unindexed).isEmpty();
        assertThat(jdbc.sql("select count(*) from pg_constraint where contype = 'f' and confrelid::regclass::text = 'contacts'")
                .query(Integer.class).single()).as("the rule has foreign keys to check").isGreaterThan(3);
    }

    @Test
    void a_table_without_tenant_id_is_one_of_the_declared_global_tables() {
        List<String> withoutTenant = jdbc.sql("""
                select t.table_name from information_schema.tables t
                 where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
                   and not exists (select 1 from information_schema.columns c
                                    where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'tenant_id')
                """).query(String.class).list();
        assertThat(GLOBAL_TABLES).containsAll(withoutTenant);
    }

    private List<String> tenantTables() {
        return jdbc.sql("""
                select c.table_name from information_schema.columns c
                  join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                 where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
                 order by 1
                """).query(String.class).list().stream().filter(table -> !GLOBAL_TABLES.contains(table)).toList();
    }
}
