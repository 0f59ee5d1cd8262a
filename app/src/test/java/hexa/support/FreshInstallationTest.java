package hexa.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The third of the suite's three servers, with a database of its own that is emptied before each test: a new
 * installation as its first person meets it (the set-up page appears only while no workspace exists), with the
 * settings of a plain {@code ./hexa run}: the WhatsApp sandbox is off, and neither a metrics token nor a security contact is set.
 */
@TestPropertySource(properties = {"hexa.test.database=fresh-installation", "hexa.sandbox.enabled=false", "hexa.metrics-token=", "hexa.security-contact="})
public abstract class FreshInstallationTest extends HexaIntegrationTest {

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private TransactionTemplate transaction;

    /** Every table but Flyway's is emptied, the audit trail too (its guard against truncation is a trigger, not fired here). */
    @BeforeEach
    void aFreshInstallation() {
        String tables = jdbc.sql("""
                select string_agg(format('%I.%I', schemaname, tablename), ', ')
                  from pg_tables where schemaname = current_schema() and tablename <> 'flyway_schema_history'
                """).query(String.class).single();
        transaction.executeWithoutResult(status -> {
            jdbc.sql("set local session_replication_role = replica").update();
            jdbc.sql("truncate table " + tables + " cascade").update();
        });
    }
}
